import DriftKafka
import DriftMonitor
import DriftRetrain
import DriftServer
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The HTTP APIs' guards, over real sockets: every state-changing action of the retraining worker needs the admin
/// token (401 without, 403 wrong or read-only, 403 when none is configured), reads need a token only when a read
/// token is configured, request heads and bodies are bounded, and no answer ever contains a token.
@Suite(.serialized) struct APISecurityTests {
    static let admin = "admin-token-0123456789abcdef"
    static let reader = "read-token-fedcba9876543210"

    /// The state-changing routes, each with a body that names who acts.
    static let actions = [
        "/api/retrain/m", "/api/models/m/versions/2/approve", "/api/models/m/versions/2/reject",
        "/api/models/m/versions/2/promote", "/api/models/m/rollback",
    ]

    struct Answer {
        var status: Int
        var body: String
        var challenge: String?
    }

    static func request(_ port: Int, _ method: String, _ path: String, token: String? = nil, body: Data? = nil,
                        headers: [String: String] = [:]) async throws -> Answer {
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)\(path)")))
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 10
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return Answer(status: http?.statusCode ?? -1, body: String(decoding: data, as: UTF8.self), challenge: http?.value(forHTTPHeaderField: "WWW-Authenticate"))
    }

    /// Runs `application` until `body` returns.
    static func serving<A: Service>(
        _ make: (@escaping @Sendable (Int) async -> Void) -> A, _ body: (Int) async throws -> Void
    ) async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = make { port in continuation.yield(port) }
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [.init(service: application)], logger: logger))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        do {
            try await body(port)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }

    static func retrainService(admin: String?, reader: String?) throws -> (RetrainService, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-api-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var settings = RetrainSettings(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:9"), registry: directory)
        settings.apiToken = admin
        settings.apiReadToken = reader
        return (RetrainService(settings: settings, logger: Logger(label: "test")), directory)
    }

    @Test("state-changing actions: 401 without a token, 403 with a wrong or read-only one, through with the admin token")
    func stateChangingActionsNeedTheAdminToken() async throws {
        let (service, directory) = try Self.retrainService(admin: Self.admin, reader: Self.reader)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var answers: [String] = []
        try await Self.serving({ RetrainHTTPAPI.application(service: service, host: "127.0.0.1", port: 0, logger: Logger(label: "test"), onRunning: $0) }) { port in
            let body = Data(#"{"by":"alice","reason":"test"}"#.utf8)
            for path in Self.actions {
                let none = try await Self.request(port, "POST", path, body: body)
                #expect(none.status == 401, "\(path)")
                #expect(none.challenge?.hasPrefix("Bearer") == true, "\(path)")
                let wrong = try await Self.request(port, "POST", path, token: "not-the-admin-token-at-all", body: body)
                #expect(wrong.status == 403, "\(path)")
                let almost = try await Self.request(port, "POST", path, token: String(Self.admin.dropLast()) + "g", body: body)
                #expect(almost.status == 403, "\(path): one byte off")
                let readOnly = try await Self.request(port, "POST", path, token: Self.reader, body: body)
                #expect(readOnly.status == 403, "\(path): the read token cannot change anything")
                let admitted = try await Self.request(port, "POST", path, token: Self.admin, body: body)
                // Past the guard: the empty registry has no model m, so the action itself is refused.
                #expect(admitted.status == 404 || admitted.status == 409, "\(path): \(admitted.status) \(admitted.body)")
                answers += [none.body, wrong.body, almost.body, readOnly.body, admitted.body]
            }
            // A body beyond the bound is refused before anything happens.
            let large = try await Self.request(port, "POST", "/api/models/m/rollback", token: Self.admin, body: Data(repeating: 0x20, count: 20_000))
            #expect(large.status == 413)
            let notJSON = try await Self.request(port, "POST", "/api/models/m/rollback", token: Self.admin, body: Data("[1,2]".utf8))
            #expect(notJSON.status == 400)
        }
        for answer in answers {
            #expect(!answer.contains(Self.admin) && !answer.contains(Self.reader), "an answer echoes a token: \(answer)")
        }
    }

    @Test("without an admin token configured, every state-changing action is refused (403) and says which setting to set")
    func noAdminTokenRefusesActions() async throws {
        let (service, directory) = try Self.retrainService(admin: nil, reader: nil)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.serving({ RetrainHTTPAPI.application(service: service, host: "127.0.0.1", port: 0, logger: Logger(label: "test"), onRunning: $0) }) { port in
            for path in Self.actions {
                let answer = try await Self.request(port, "POST", path, token: "any-token-at-all-0123456789")
                #expect(answer.status == 403, "\(path)")
                #expect(answer.body.contains("api.token"), "\(answer.body)")
            }
            let status1 = try await Self.request(port, "GET", "/api/retrain/status").status
            #expect(status1 == 200, "reads are open without a read token")
            let status2 = try await Self.request(port, "GET", "/metrics").status
            #expect(status2 == 200)
        }
    }

    @Test("with a read token the worker's reads need it (or the admin token); the probes stay open")
    func readTokenProtectsTheWorkersReads() async throws {
        let (service, directory) = try Self.retrainService(admin: Self.admin, reader: Self.reader)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.serving({ RetrainHTTPAPI.application(service: service, host: "127.0.0.1", port: 0, logger: Logger(label: "test"), onRunning: $0) }) { port in
            for path in ["/api/retrain/status", "/api/approvals", "/metrics"] {
                let status3 = try await Self.request(port, "GET", path).status
                #expect(status3 == 401, "\(path)")
                let status4 = try await Self.request(port, "GET", path, token: "wrong-token-0123456789").status
                #expect(status4 == 403, "\(path)")
                let status5 = try await Self.request(port, "GET", path, token: Self.reader).status
                #expect(status5 == 200, "\(path)")
                let status6 = try await Self.request(port, "GET", path, token: Self.admin).status
                #expect(status6 == 200, "\(path)")
            }
            let status7 = try await Self.request(port, "GET", "/healthz").status
            #expect(status7 == 200)
            let status8 = try await Self.request(port, "GET", "/readyz").status
            #expect(status8 == 503, "open, and not ready: the service is not running")
        }
    }

    @Test("with a read token the monitor's API, metrics and dashboard need it; the probes stay open")
    func readTokenProtectsTheMonitor() async throws {
        let registry = PrometheusCollectorRegistry()
        let service = MonitorService(
            settings: MonitorSettings(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:9"), window: .tumbling(10_000)), profiles: [],
            logger: Logger(label: "test"), metrics: MonitorMetrics(factory: PrometheusMetricsFactory(registry: registry)))
        let access = APIAccess(adminToken: nil, readToken: Self.reader)
        try await Self.serving({
            MonitorHTTPAPI.application(service: service, registry: registry, access: access, host: "127.0.0.1", port: 0, logger: Logger(label: "test"), onRunning: $0)
        }) { port in
            for path in ["/api/status", "/api/models", "/api/models/m/windows", "/metrics", "/", "/dashboard"] {
                let refused = try await Self.request(port, "GET", path)
                #expect(refused.status == 401, "\(path)")
                #expect(!refused.body.contains(Self.reader))
                let status9 = try await Self.request(port, "GET", path, token: "wrong-token-0123456789").status
                #expect(status9 == 403, "\(path)")
                let admitted = try await Self.request(port, "GET", path, token: Self.reader)
                #expect(admitted.status == 200 || (path == "/api/models/m/windows" && admitted.status == 404), "\(path): \(admitted.status)")
            }
            let status10 = try await Self.request(port, "GET", "/healthz").status
            #expect(status10 == 200)
        }
    }

    @Test("request heads are bounded: a 20 KiB header field or 200 fields are refused, and the server goes on serving")
    func requestHeadsAreBounded() async throws {
        let (service, directory) = try Self.retrainService(admin: Self.admin, reader: nil)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.serving({ RetrainHTTPAPI.application(service: service, host: "127.0.0.1", port: 0, logger: Logger(label: "test"), onRunning: $0) }) { port in
            let field = String(repeating: "a", count: 20_000)
            let oversize = try? await Self.request(port, "GET", "/healthz", headers: ["X-Padding": field])
            #expect(oversize.map { $0.status >= 400 } ?? true, "a 20 KiB field: \(oversize?.status ?? -1)")
            var many: [String: String] = [:]
            for index in 0..<200 { many["X-Field-\(index)"] = "v" }
            let crowded = try? await Self.request(port, "GET", "/healthz", headers: many)
            #expect(crowded.map { $0.status >= 400 } ?? true, "200 fields: \(crowded?.status ?? -1)")
            let fine = try await Self.request(port, "GET", "/healthz", headers: ["X-Padding": String(repeating: "a", count: 8_000)])
            #expect(fine.status == 200, "an 8 KiB field is within the bound, and the server is still up")
        }
    }

    @Test("tokens shorter than 16 characters are refused by the configuration, without showing them")
    func shortTokensAreRefused() throws {
        var config = RetrainConfig()
        try config.set("api.read_token", "short-secret", origin: "DRIFTWATCH_API_READ_TOKEN")
        var settings = RetrainSettings(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:9"), registry: "/tmp/none")
        #expect {
            try config.apply(to: &settings)
        } throws: { error in
            "\(error)".contains("api.read_token") && !"\(error)".contains("short-secret")
        }
        var monitor = MonitorConfig()
        try monitor.set("api.read_token", "short-secret", origin: "DRIFTWATCH_API_READ_TOKEN")
        #expect {
            _ = try monitor.access()
        } throws: { error in
            "\(error)".contains("api.read_token") && !"\(error)".contains("short-secret")
        }
        try monitor.set("api.read_token", Self.reader, origin: "DRIFTWATCH_API_READ_TOKEN")
        #expect(try monitor.access().protectsReads)
    }
}
