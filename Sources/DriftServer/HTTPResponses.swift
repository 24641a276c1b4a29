import Hummingbird
import HummingbirdCore
import Logging

/// The plain-text, JSON and Prometheus responses the services' APIs answer with, and the application that
/// serves a router.
enum HTTPResponses {
    static func text(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// Prometheus text exposition (format 0.0.4).
    static func prometheus(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: ResponseBody(byteBuffer: body))
    }

    /// Bounds on a request's head: one header field at most 16 KiB, all of them 32 KiB, at most 100 fields (a
    /// longer head is refused by the HTTP decoder and the connection closed); a connection idle for 60 s is closed.
    /// Bodies are bounded per route (`collect(upTo:)`).
    static let http1Configuration = HTTP1Channel.Configuration(
        idleTimeout: .seconds(60),
        httpDecoderConfiguration: .init(maxHeaderFieldSize: 16_384, maxHeaderListSize: 32_768, maxHeaderFieldCount: 100))

    /// `router` served on `host:port` as `serverName`; `onRunning` gets the bound port (useful with port 0).
    static func application(
        _ router: Router<BasicRequestContext>, serverName: String, host: String, port: Int, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        Application(
            router: router,
            server: .http1(configuration: http1Configuration),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: serverName),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
