import Hummingbird

/// Who may use a service's HTTP API: state-changing requests (retrain now, approve, reject, promote, roll back)
/// need the **admin token** (`api.token`, `DRIFTWATCH_API_TOKEN`) and are refused with 403 when none is
/// configured; read requests need the **read token** (`api.read_token`, `DRIFTWATCH_API_READ_TOKEN`) or the admin
/// token when a read token is configured, and are open otherwise. `/healthz` and `/readyz` stay open for probes.
///
/// Tokens are compared in constant time (``BearerToken``) and never echoed: answers name the setting, not the value.
public struct APIAccess: Sendable {
    let admin: BearerToken?
    let read: BearerToken?

    /// The shortest token accepted from configuration.
    public static let minimumTokenLength = 16

    /// Access with these tokens (`nil` or empty: not configured).
    public init(adminToken: String?, readToken: String? = nil) {
        admin = adminToken.flatMap(BearerToken.init)
        read = readToken.flatMap(BearerToken.init)
    }

    /// Whether reads need a token.
    public var protectsReads: Bool { read != nil }

    /// The refusal of a state-changing request (`action` names it in the answer), or `nil` when it may go on.
    func refusalOfChange(_ request: Request, action: String) -> Response? {
        guard let admin else {
            return HTTPResponses.json(
                #"{"error":"\#(action) over HTTP needs an API token: set api.token (DRIFTWATCH_API_TOKEN) on this service"}"#, status: .forbidden)
        }
        return Self.refusal(admin.check(authorization: request.headers[.authorization]))
    }

    /// The refusal of a read request, or `nil` when it may go on (always, without a read token).
    func refusalOfRead(_ request: Request) -> Response? {
        guard let read else { return nil }
        let header = request.headers[.authorization]
        let check = read.check(authorization: header)
        if check == .accepted || admin?.check(authorization: header) == .accepted { return nil }
        return Self.refusal(check)
    }

    /// 401 with a `WWW-Authenticate` challenge for a missing token, 403 for a wrong one, `nil` when accepted.
    static func refusal(_ check: BearerToken.Check) -> Response? {
        switch check {
        case .accepted: return nil
        case .missing:
            var response = HTTPResponses.json(#"{"error":"this request needs Authorization: Bearer <token>"}"#, status: .unauthorized)
            response.headers[.wwwAuthenticate] = #"Bearer realm="driftwatch""#
            return response
        case .wrong: return HTTPResponses.json(#"{"error":"the token is not valid"}"#, status: .forbidden)
        }
    }

    /// `token`, set as `setting` by `origin`, if it is at least ``minimumTokenLength`` characters long; the error
    /// names the setting and the origin, never the token.
    public static func token(_ token: String, setting: String, origin: String) throws(ConfigError) -> String {
        guard token.utf8.count >= minimumTokenLength else {
            throw .invalidValue(setting, "(hidden)", origin: origin, expected: "a token of at least \(minimumTokenLength) characters")
        }
        return token
    }
}

/// Applies ``APIAccess``'s read rule to every `GET` and `HEAD` request but the probes (`/healthz`, `/readyz`) —
/// to every request with `everyMethod` (the model server, whose predictions are reads); state-changing routes
/// check the admin token themselves (and accept it for reads too).
struct ReadAccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: APIAccess
    var everyMethod = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard access.protectsReads, everyMethod || request.method == .get || request.method == .head else { return try await next(request, context) }
        let path = request.uri.path
        if path == "/healthz" || path == "/readyz" { return try await next(request, context) }
        if let refusal = access.refusalOfRead(request) { return refusal }
        return try await next(request, context)
    }
}
