import DriftJSON
import DriftKafka
import DriftTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension ProcessHeavy {
    /// Passwords and tokens given to the services (the SASL password in a YAML file and in the environment, the API
    /// tokens) never appear in their logs (at debug level, librdkafka's included), their errors, their HTTP answers
    /// or the reports made from their output; and the SASL settings do reach librdkafka (it tries the mechanism
    /// against the dev broker, which speaks no SASL).
    @Suite("Secrets are never shown", .timeLimit(.minutes(4)))
    struct SecretsTests {
        static let saslPassword = "sasl-pw-\(UUID().uuidString)"
        static let filePassword = "file-pw-\(UUID().uuidString)"
        static let adminToken = "admin-\(UUID().uuidString)"
        static let readToken = "reader-\(UUID().uuidString)"
        static let secrets = [saslPassword, filePassword, adminToken, readToken]

        static func leaks(_ text: String) -> [String] {
            secrets.filter { text.contains($0) } + secrets.compactMap { secret in
                // Not even a long fragment of one.
                let fragment = String(secret.suffix(20))
                return text.contains(fragment) ? "fragment of \(secret.prefix(8))…" : nil
            }
        }

        static func get(_ url: String, token: String?) async -> (Int, String) {
            guard let address = URL(string: url) else { return (-1, "") }
            var request = URLRequest(url: address)
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            guard let (data, response) = try? await URLSession.shared.data(for: request) else { return (-1, "") }
            return ((response as? HTTPURLResponse)?.statusCode ?? -1, String(decoding: data, as: UTF8.self))
        }

        @Test func secretsStayOutOfLogsErrorsAnswersAndReports() async throws {
            let binary = try ExternalProcess.driftwatchBinary()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-secrets-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let broker = try await BrokerProcess(arguments: ["--brokers", "1", "--partitions", "2", "--port", "\(try KafkaTestSupport.freePort())"])
            let bootstrap = broker.bootstrapServers
            let environment = [
                "DRIFTWATCH_SASL_PASSWORD": Self.saslPassword, "DRIFTWATCH_API_TOKEN": Self.adminToken, "DRIFTWATCH_API_READ_TOKEN": Self.readToken,
            ]
            var seen: [(String, String)] = []  // (where, text)

            // A working monitor whose configuration holds a password and whose API needs the read token.
            let profile = directory.appendingPathComponent("profile.json").path
            let simulated = try await ExternalProcess.run(binary.path, [
                "simulate", "--bootstrap-servers", bootstrap, "--events", "2000", "--spacing", "10ms", "--start-offset", "1h", "--align", "10s",
                "--profile-out", profile, "--profile-rows", "5000",
            ])
            try #require(simulated.status == 0, "\(simulated.stderr)")
            let config = directory.appendingPathComponent("monitor.yaml").path
            try """
                window:
                  grace: 0s
                completion_timeout: 5s
                kafka:
                  properties:
                    sasl.username: someone
                    sasl.password: \(Self.filePassword)
                    session.timeout.ms: 6000
                    heartbeat.interval.ms: 500
                """.write(toFile: config, atomically: true, encoding: .utf8)
            let httpPort = try KafkaTestSupport.freePort()
            let monitor = try MonitorProcess("monitor", binary: binary, arguments: [
                "--config", config, "--bootstrap-servers", bootstrap, "--profile", profile, "--window", "10s", "--no-checkpoint",
                "--http-address", "127.0.0.1:\(httpPort)", "--log-level", "debug",
            ], directory: directory, environment: environment)
            let base = "http://127.0.0.1:\(httpPort)"
            let evaluated = await KafkaTestSupport.waitUntil(timeout: .seconds(60)) {
                (await Self.get(base + "/api/status", token: Self.readToken).1).contains(#""drift_events_produced":1"#)
            }
            #expect(evaluated, "\(monitor.stderr.suffix(2_000))")
            for path in ["/api/status", "/api/models", "/api/models/credit-risk/windows", "/metrics", "/", "/healthz", "/readyz"] {
                for token in [nil, "wrong-token-0123456789", Self.readToken] {
                    let (status, body) = await Self.get(base + path, token: token)
                    if path != "/healthz" && path != "/readyz" {
                        #expect(status == (token == nil ? 401 : token == Self.readToken ? 200 : 403), "\(path) with \(token == nil ? "no" : "a") token")
                    }
                    seen.append(("monitor \(path)", body))
                }
            }
            #expect(await monitor.stop() == 0)
            seen.append(("monitor log", monitor.stderr))

            // A report made from its drift events.
            let events = try await KafkaTestSupport.readAll(bootstrap: bootstrap, topic: "drift-events", expected: 2, timeout: .seconds(20))
            #expect(events.count == 2)
            let lines = directory.appendingPathComponent("drift-events.jsonl")
            try Data(events.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n").utf8).write(to: lines)
            let reportDirectory = directory.appendingPathComponent("report").path
            let report = try await ExternalProcess.run(binary.path, [
                "report", "--model-id", "credit-risk", "--drift-events", lines.path, "--out", reportDirectory,
            ], environment: environment)
            #expect(report.status == 0, "\(report.stderr)")
            seen.append(("report command", report.stdout + report.stderr))
            for file in ["report.html", "report.json"] {
                seen.append((file, (try? String(contentsOfFile: reportDirectory + "/" + file, encoding: .utf8)) ?? ""))
                #expect(!(seen.last?.1.isEmpty ?? true), "\(file) written")
            }

            // SASL from flags and the environment reaches librdkafka: it asks the broker for SCRAM-SHA-512.
            let sasl = try MonitorProcess("sasl-monitor", binary: binary, arguments: [
                "--bootstrap-servers", bootstrap, "--profile", profile, "--security-protocol", "sasl_plaintext", "--sasl-mechanism", "SCRAM-SHA-512",
                "--sasl-username", "someone", "--http-address", "off", "--log-level", "debug", "-X", "debug=security,broker",
            ], directory: directory, environment: environment)
            let tried = await sasl.waitForLog("SCRAM-SHA-512", timeout: .seconds(30))
            #expect(tried, "librdkafka never mentioned the mechanism: \(sasl.stderr.suffix(2_000))")
            _ = await sasl.stop(timeout: .seconds(20))
            seen.append(("SASL monitor log", sasl.stderr))

            // A retraining worker with both tokens: its answers and its log.
            let registry = directory.appendingPathComponent("registry").path
            try FileManager.default.createDirectory(atPath: registry, withIntermediateDirectories: true)
            let retrainPort = try KafkaTestSupport.freePort()
            let worker = try MonitorProcess("retrain", binary: binary, arguments: [
                "--bootstrap-servers", bootstrap, "--registry", registry, "--http-address", "127.0.0.1:\(retrainPort)", "--log-level", "debug",
            ], directory: directory, command: "retrain", environment: environment)
            let workerBase = "http://127.0.0.1:\(retrainPort)"
            let up = await KafkaTestSupport.waitUntil(timeout: .seconds(30)) { await Self.get(workerBase + "/healthz", token: nil).0 == 200 }
            #expect(up, "\(worker.stderr.suffix(2_000))")
            for path in ["/api/retrain/status", "/api/approvals", "/metrics"] {
                for token in [nil, "wrong-token-0123456789", Self.readToken, Self.adminToken] {
                    seen.append(("worker \(path)", await Self.get(workerBase + path, token: token).1))
                }
            }
            for path in ["/api/retrain/m", "/api/models/m/versions/1/promote", "/api/models/m/rollback"] {
                for token in [nil, "wrong-token-0123456789", Self.readToken, Self.adminToken] {
                    var request = URLRequest(url: try #require(URL(string: workerBase + path)))
                    request.httpMethod = "POST"
                    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
                    let (data, _) = try await URLSession.shared.data(for: request)
                    seen.append(("worker POST \(path)", String(decoding: data, as: UTF8.self)))
                }
            }
            _ = await worker.stop(timeout: .seconds(20))
            seen.append(("worker log", worker.stderr))

            // Errors: tokens too short, a bad librdkafka property next to a password, a worker that does not answer.
            let shortEnvironment = ["DRIFTWATCH_API_READ_TOKEN": String(Self.readToken.prefix(10)), "DRIFTWATCH_SASL_PASSWORD": Self.saslPassword]
            let short = try await ExternalProcess.run(binary.path, ["monitor", "--bootstrap-servers", bootstrap, "--profile", profile], environment: shortEnvironment)
            #expect(short.status != 0 && short.stderr.contains("api.read_token"), "\(short.stderr)")
            #expect(!short.stderr.contains(String(Self.readToken.prefix(10))), "the short token is not shown either")
            seen.append(("short token error", short.stdout + short.stderr))
            let badProperty = try await ExternalProcess.run(binary.path, [
                "monitor", "--bootstrap-servers", bootstrap, "--profile", profile, "-X", "sasl.password=\(Self.filePassword)", "-X", "no.such.property=1",
            ], environment: environment)
            #expect(badProperty.status != 0, "\(badProperty.stderr)")
            seen.append(("bad property error", badProperty.stdout + badProperty.stderr))
            let unreachable = try await ExternalProcess.run(binary.path, [
                "approve", "m", "2", "--url", "http://127.0.0.1:\(try KafkaTestSupport.freePort())", "--token", Self.adminToken,
            ])
            #expect(unreachable.status != 0)
            seen.append(("approve error", unreachable.stdout + unreachable.stderr))

            for (place, text) in seen {
                #expect(Self.leaks(text).isEmpty, "\(place) shows \(Self.leaks(text))")
            }
            #expect(seen.count > 50)
            _ = await broker.stop()
        }
    }
}
