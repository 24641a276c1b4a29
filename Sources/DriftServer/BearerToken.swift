import Hummingbird

/// Bearer-token authentication for state-changing HTTP requests: `Authorization: Bearer <token>`, compared in
/// constant time (the time taken does not depend on where the first differing byte is). A missing or malformed
/// header is 401 (with `WWW-Authenticate: Bearer`), a wrong token 403; the token is never echoed.
public struct BearerToken: Sendable {
    private let expected: [UInt8]

    /// `nil` for an empty token: an empty token would let an empty header through.
    public init?(_ token: String) {
        guard !token.isEmpty else { return nil }
        expected = Array(token.utf8)
    }

    /// The outcome of checking a request.
    public enum Check: Equatable {
        case accepted
        case missing
        case wrong
    }

    /// Checks an `Authorization` header value.
    public func check(authorization: String?) -> Check {
        guard let authorization, authorization.count > 7, authorization.prefix(7).lowercased() == "bearer " else { return .missing }
        return Self.constantTimeEqual(Array(authorization.utf8.dropFirst(7)), expected) ? .accepted : .wrong
    }

    /// Equal byte strings, in time that depends only on their lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        let length = max(a.count, b.count)
        for index in 0..<length {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
