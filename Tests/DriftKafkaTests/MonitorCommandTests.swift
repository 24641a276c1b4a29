import DriftKafka
import DriftTestSupport
import Foundation
import Testing

extension ProcessHeavy {
    /// The commands as a user runs them, each its own process: `driftwatch broker`, `driftwatch simulate`
    /// (profile and traffic with a mean shift), `driftwatch monitor`, and Python's confluent-kafka reading the
    /// drift events and validating them with jsonschema.
    @Suite("driftwatch monitor against driftwatch broker", .timeLimit(.minutes(3)))
    struct MonitorCommandTests {
        struct Summary: Decodable {
            struct Event: Decodable {
                var event_id: String
                var key: String
                var severity: String
                var valid: Bool
                var start: String
                var count: Int
                var critical: [String]
                var operations: String?
                var error_rate: Double?
                var latency_p99_ms: Double?
            }
            var count: Int
            var valid: Int
            var errors: [String]
            var events: [Event]
        }

        @Test func profileSimulateMonitorAndAPythonConsumer() async throws {
            let binary = try ExternalProcess.driftwatchBinary().path
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-monitor-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let profile = directory.appendingPathComponent("profile.json").path
            let port = try KafkaTestSupport.freePort()
            let broker = try await BrokerProcess(arguments: ["--brokers", "1", "--partitions", "3", "--port", "\(port)"])
            let bootstrap = broker.bootstrapServers

            // 6 windows of 10 s with 1,000 events each (10 ms apart), starting on a window boundary; drift from window 3,
            // where the model server also slows down 300-fold and fails 8 % of the requests.
            let simulated = try await ExternalProcess.run(binary, [
                "simulate", "--bootstrap-servers", bootstrap, "--events", "6000", "--spacing", "10ms", "--start-offset", "1h", "--align", "10s",
                "--drift-at", "3000", "--mean-shift", "5=1.5,9=-1.5", "--profile-out", profile, "--profile-rows", "10000",
                "--latency", "--error-share", "0.08", "--latency-factor", "300",
            ])
            try #require(simulated.status == 0, "simulate failed: \(simulated.stderr)")
            #expect(simulated.stdout.contains("produced=6000"))

            // Settings from all three layers: the YAML file (windows, librdkafka properties), the environment (the
            // HTTP address), flags (the profile, the log format; the flag's window wins over the file's 1m).
            let config = directory.appendingPathComponent("monitor.yaml").path
            try """
                window:
                  size: 1m
                  grace: 0s
                completion_timeout: 5s
                kafka:
                  properties:
                    session.timeout.ms: 6000
                    heartbeat.interval.ms: 500
                    log_level: 3
                """.write(toFile: config, atomically: true, encoding: .utf8)
            let httpPort = try KafkaTestSupport.freePort()
            let monitor = try await ExternalProcess.run(binary, [
                "monitor", "--config", config, "--bootstrap-servers", bootstrap, "--profile", profile, "--window", "10s",
                "--exit-after-windows", "5", "--no-checkpoint", "--max-runtime", "90s", "--log-format", "json",
            ], timeout: .seconds(120), environment: ["DRIFTWATCH_HTTP_ADDRESS": "127.0.0.1:\(httpPort)"])
            try #require(monitor.status == 0, "monitor failed: \(monitor.stderr)")
            #expect(monitor.stdout.contains("windows=6 events=6000"), "\(monitor.stdout)\n\(monitor.stderr)")
            #expect(monitor.stderr.contains("http on 127.0.0.1:\(httpPort)"))
            let driftLogLines = monitor.stderr.split(separator: "\n").filter { $0.hasPrefix("{") && $0.contains(#""message":"drift event""#) }
            #expect(driftLogLines.count == 6, "one structured log line per drift event")
            #expect(driftLogLines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })

            let script = try ExternalProcess.fixture("drift_events_reader.py").path
            let read = try await ExternalProcess.run("python3", [script, bootstrap, "drift-events", "6", SchemaValidation.schemaDirectory.path])
            try #require(read.status == 0, "python reader failed: \(read.stderr)")
            let summary = try JSONDecoder().decode(Summary.self, from: Data(read.stdout.utf8))
            #expect(summary.count == 6)
            #expect(summary.valid == 6, "\(summary.errors)")
            #expect(summary.events.map(\.count).reduce(0, +) == 6_000)
            #expect(Set(summary.events.map(\.key)) == ["credit-risk"])
            let ordered = summary.events.sorted { $0.start < $1.start }
            #expect(ordered.prefix(3).allSatisfy { $0.critical.isEmpty && $0.severity != "CRITICAL" })
            #expect(ordered.dropFirst(3).allSatisfy { $0.critical == ["f05", "f09"] && $0.severity == "CRITICAL" })
            #expect(ordered.prefix(3).allSatisfy { $0.operations == "NORMAL" && $0.error_rate == 0 && ($0.latency_p99_ms ?? 99) < 10 })
            #expect(ordered.dropFirst(3).allSatisfy { $0.operations == "CRITICAL" && abs(($0.error_rate ?? 0) - 0.08) < 0.03 })

            // No event had a label: every window asked for labels on each of its 3 partitions, 20 (the default) each,
            // exactly its least certain predictions.
            let requestScript = try ExternalProcess.fixture("label_requests_reader.py").path
            let requests = try await ExternalProcess.run("python3", [
                requestScript, bootstrap, "360", "6000", "10000", "20", SchemaValidation.schemaDirectory.path,
            ])
            try #require(requests.status == 0, "python reader failed: \(requests.stderr)")
            #expect(requests.stdout.contains(#""count": 360, "events": 6000, "errors": [], "groups": 18, "mismatches": []"#), "\(requests.stdout)")
            _ = await broker.stop()
        }
    }
}
