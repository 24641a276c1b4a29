import DriftJSON
import DriftKafka
import DriftTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension ProcessHeavy {
    /// The first five minutes of a user: `driftwatch demo` tells the whole story and writes a valid report; the
    /// monitor's live dashboard shows the severities in a real headless Chromium; a real Prometheus scrapes the
    /// monitor and answers a PromQL query about the drift gauge.
    @Suite("Demo, dashboard and Prometheus", .serialized, .timeLimit(.minutes(6)))
    struct DemoAndObservabilityTests {
        @Test func demoDetectsDriftPromotesAVersionAndWritesTheReport() async throws {
            let binary = try ExternalProcess.driftwatchBinary().path
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("dw-demo-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: out) }
            let base = Int(try KafkaTestSupport.freePort() / 4 * 4)
            // From the repository's root, where data/ and data/scenarios/ are.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["demo", "--out", out, "--port-base", "\(base)", "--rate", "500", "--train-rows", "4000", "--window", "4s", "--duration", "170s"]
            process.currentDirectoryURL = SchemaValidation.packageRoot
            let log = out + ".log"
            FileManager.default.createFile(atPath: log, contents: nil)
            defer { try? FileManager.default.removeItem(atPath: log) }
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardError = process.standardOutput
            try process.run()
            let finished = await ExternalProcess.waitForExit(process, timeout: .seconds(240))
            if !finished { process.terminate() }
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            try #require(finished && process.terminationStatus == 0, "demo failed:\n\(output)")
            #expect(output.contains("● drift injected"), "\(output)")
            #expect(output.contains("● drift detected"), "\(output)")
            #expect(output.contains("PROMOTED"), "\(output)")
            #expect(output.contains("● drift subsided"), "\(output)")
            // The model server swaps only after the model-version event the monitor loads the profile from:
            // no event of the new version reached the monitor before its profile (they would be dead letters).
            let monitorLog = (try? String(contentsOfFile: out + "/logs/monitor.log", encoding: .utf8)) ?? ""
            #expect(monitorLog.contains(" dead_letters=0"), "\(monitorLog.suffix(1_000))")
            let report = out + "/report/report.json"
            #expect(FileManager.default.fileExists(atPath: out + "/report/report.html"))
            let outcomes = try SchemaValidation.validate(files: [report], schema: "report.schema.json")
            #expect(outcomes.first?.valid == true, "\(outcomes.first?.errors ?? [])")
            let json = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: report))))
            #expect(json["summary"]?["promotions"]?.intValue ?? 0 >= 1)
            #expect(json["summary"]?["worst_severity"]?.stringValue == "CRITICAL")
            #expect((json["summary"]?["drifted_features"]?.arrayValue ?? []).contains(.string("age")), "the scenario shifts age")
            let events = try String(contentsOfFile: out + "/drift-events.jsonl", encoding: .utf8).split(separator: "\n").map { Array($0.utf8) }
            let valid = try SchemaValidation.validate(documents: events, schema: "drift-event.schema.json")
            #expect(!valid.isEmpty && valid.allSatisfy { $0.valid })

            // The report again from the files, as a user would rerun it: the same windows, a valid document.
            let again = out + "/again"
            let rerun = try await ExternalProcess.run(binary, ["report", "--model-id", "adult-income", "--drift-events", out + "/drift-events.jsonl",
                                                                "--registry", out + "/registry", "--out", again])
            #expect(rerun.status == 0, "\(rerun.stderr)")
            let rebuilt = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: again + "/report.json"))))
            #expect(rebuilt["summary"]?["windows"] == json["summary"]?["windows"])
            #expect(rebuilt["versions"] == json["versions"])
        }

        @Test func dashboardInChromiumAndAPrometheusScrape() async throws {
            let binary = try ExternalProcess.driftwatchBinary()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-observe-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let profile = directory.appendingPathComponent("profile.json").path
            let broker = try await BrokerProcess(arguments: ["--brokers", "1", "--partitions", "2"])
            let simulated = try await ExternalProcess.run(binary.path, [
                "simulate", "--bootstrap-servers", broker.bootstrapServers, "--events", "4000", "--spacing", "10ms", "--start-offset", "1h",
                "--align", "10s", "--drift-at", "2000", "--mean-shift", "5=1.5,9=-1.5", "--profile-out", profile, "--profile-rows", "5000",
            ])
            try #require(simulated.status == 0, "simulate failed: \(simulated.stderr)")
            let port = try KafkaTestSupport.freePort()
            let monitor = try MonitorProcess("monitor", binary: binary, arguments: [
                "--bootstrap-servers", broker.bootstrapServers, "--profile", profile, "--window", "10s", "--grace", "0s", "--no-checkpoint",
                "--http-address", "127.0.0.1:\(port)", "-X", "log_level=3",
            ], directory: directory)
            let base = "http://127.0.0.1:\(port)"
            let critical = await KafkaTestSupport.waitUntil(timeout: .seconds(90)) {
                let models = await HTTPProbe.json(base + "/api/models")
                return models?["models"]?.arrayValue?.first?["windows"]?.intValue == 4
            }
            try #require(critical, "no windows: \(monitor.stderr.suffix(2_000))")

            // A real headless Chromium runs the page's script against the live API.
            let chromium = ["chromium", "chromium-browser", "google-chrome"].first { name in
                (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
            }
            let browser = try #require(chromium, "no chromium on PATH (.ci/run installs Debian's chromium)")
            let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,900", "--virtual-time-budget=8000",
                         "--user-data-dir=" + directory.appendingPathComponent("chromium").path]
            let dom = try await ExternalProcess.run(browser, flags + ["--dump-dom", base + "/"], timeout: .seconds(90))
            try #require(dom.status == 0, "chromium: \(dom.stderr.suffix(2_000))")
            #expect(dom.stdout.contains(#"data-model="credit-risk" data-severity="CRITICAL""#), "\(dom.stdout.suffix(3_000))")
            #expect(dom.stdout.contains(#"data-feature="f05" data-severity="CRITICAL""#))
            #expect(dom.stdout.contains(#"data-feature="f09" data-severity="CRITICAL""#))
            #expect(dom.stdout.contains(#"data-feature="f00" data-severity="NORMAL""#))
            #expect(dom.stdout.contains(#"<div id="error"></div>"#), "no failed update")
            let screenshot = directory.appendingPathComponent("dashboard.png").path
            let shot = try await ExternalProcess.run(browser, flags + ["--screenshot=" + screenshot, base + "/"], timeout: .seconds(90))
            #expect(shot.status == 0)
            let png = FileManager.default.contents(atPath: screenshot) ?? Data()
            #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG screenshot")

            // A real Prometheus scrapes the monitor and answers PromQL about the drift gauge.
            let prometheusPort = try KafkaTestSupport.freePort()
            let config = directory.appendingPathComponent("prometheus.yml").path
            try """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: driftwatch-monitor
                    static_configs:
                      - targets: ["127.0.0.1:\(port)"]
                """.write(toFile: config, atomically: true, encoding: .utf8)
            let prometheus = Process()
            prometheus.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            prometheus.arguments = ["prometheus", "--config.file=" + config, "--storage.tsdb.path=" + directory.appendingPathComponent("tsdb").path,
                                    "--web.listen-address=127.0.0.1:\(prometheusPort)"]
            prometheus.standardOutput = FileHandle.nullDevice
            prometheus.standardError = FileHandle.nullDevice
            try prometheus.run()
            defer { prometheus.terminate() }
            let query = "http://127.0.0.1:\(prometheusPort)/api/v1/query?query=" + "max(driftwatch_model_severity{model=\"credit-risk\"})".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let scraped = await KafkaTestSupport.waitUntil(timeout: .seconds(60)) {
                await HTTPProbe.json(query)?["data"]?["result"]?.arrayValue?.isEmpty == false
            }
            let answer = await HTTPProbe.json(query)
            try #require(scraped, "prometheus answered \(answer?.serialized() ?? "nothing")")
            let value = answer?["data"]?["result"]?.arrayValue?.first?["value"]?.arrayValue?.last?.stringValue
            #expect(value == "3", "CRITICAL is 3 on the severity gauge")
            let up = await HTTPProbe.json("http://127.0.0.1:\(prometheusPort)/api/v1/query?query=up")
            #expect(up?["data"]?["result"]?.arrayValue?.first?["value"]?.arrayValue?.last?.stringValue == "1")

            // Every monitor metric the alert rules and the Grafana dashboard use is exposed.
            let exposition = await HTTPProbe.text(base + "/metrics") ?? ""
            for name in ["driftwatch_model_severity", "driftwatch_feature_psi", "driftwatch_feature_severity", "driftwatch_events_consumed_total", "driftwatch_drift_events_total"] {
                #expect(exposition.contains(name + "{") || exposition.contains(name + " "), "\(name) missing from /metrics")
            }

            // `driftwatch report` straight from the drift-events topic (no registry: no reference panels).
            let reportDirectory = directory.appendingPathComponent("report").path
            let report = try await ExternalProcess.run(binary.path, ["report", "--model-id", "credit-risk", "--bootstrap-servers", broker.bootstrapServers,
                                                                     "--out", reportDirectory])
            #expect(report.status == 0, "\(report.stderr)")
            let fromKafka = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: reportDirectory + "/report.json"))))
            #expect(fromKafka["summary"]?["windows"]?.intValue == 4)
            #expect(fromKafka["summary"]?["worst_severity"]?.stringValue == "CRITICAL")
            #expect((fromKafka["summary"]?["drifted_features"]?.arrayValue ?? []).contains(.string("f05")))
            let reportValid = try SchemaValidation.validate(files: [reportDirectory + "/report.json"], schema: "report.schema.json")
            #expect(reportValid.first?.valid == true, "\(reportValid.first?.errors ?? [])")
            _ = await monitor.stop()
            _ = await broker.stop()
        }
    }
}
