import DriftJSON
import DriftTestSupport
import Foundation
import Testing

extension ProcessHeavy {
    /// The five-minute version of `scripts/soak` (docs/soak.md): steady traffic from synthetic models through
    /// `driftwatch broker`, `driftwatch simulate` and `driftwatch monitor`, each its own process, with the binary
    /// `swift test` built. The monitor must keep up, lose and dead-letter nothing, evaluate every event, and keep
    /// its resident memory, descriptors and latency flat once warm.
    ///
    /// Scaled to what a debug build sustains on 2 shared cores (release costs 14 µs of CPU per event, debug
    /// about 230 µs, and debug stage 2 evaluates 20 models' windows more slowly than they close): 5 models at
    /// 1,000 events/s on 4 partitions. The label join holds at most 50,000 predictions here (1,000,000 by
    /// default) so that it fills inside the warm-up, as the default fills within the first minute of the
    /// hour-long release run at 20,000 events/s: memory after warm-up is then the steady state the check is
    /// about. `DRIFTWATCH_SOAK_RATE`, `DRIFTWATCH_SOAK_SECONDS` and `DRIFTWATCH_SOAK_MODELS` tune it.
    @Suite("Soak: five minutes of steady traffic", .timeLimit(.minutes(12)))
    struct SoakTests {
        static let environment = ProcessInfo.processInfo.environment
        static let rate = Int(environment["DRIFTWATCH_SOAK_RATE"] ?? "") ?? 1_000
        static let duration = Int(environment["DRIFTWATCH_SOAK_SECONDS"] ?? "") ?? 300
        static let models = Int(environment["DRIFTWATCH_SOAK_MODELS"] ?? "") ?? 5

        @Test func fiveMinutesOfSteadyTrafficStayFlat() async throws {
            let binary = try ExternalProcess.driftwatchBinary().path
            let script = SchemaValidation.packageRoot.appendingPathComponent("scripts/soak").path
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-soak-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let out = directory.appendingPathComponent("summary.json").path
            let run = try await ExternalProcess.run("python3", [
                script, "--binary", binary, "--duration", "\(Self.duration)", "--rate", "\(Self.rate)", "--models", "\(Self.models)",
                "--partitions", "4", "--internal-partitions", "4", "--monitor-env", "DRIFTWATCH_FEEDBACK_JOIN_CAPACITY=50000",
                "--out", out, "--workdir", directory.appendingPathComponent("work").path, "--quiet",
            ], timeout: .seconds(Self.duration + 360))
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            let summary = try JSONValue.parse(Array(text.utf8))
            let context = "\(run.stderr.suffix(2_000))\n\(text.prefix(6_000))"
            #expect(run.status == 0, "soak exit status \(run.status): \(context)")
            #expect(summary["verdict"]?.stringValue == "pass", "\(context)")

            // The figures behind the verdict, so a failure says which one moved.
            let events = try #require(summary["events"], "\(context)")
            let produced = events["produced"]?.intValue ?? 0
            #expect(produced >= Int(Double(Self.rate * Self.duration) * 0.98), "\(context)")
            #expect(events["delivered"]?.intValue == produced)
            #expect(events["consumed"]?.intValue == produced, "\(context)")
            #expect(events["evaluated"]?.intValue == produced, "every event in a published window: \(context)")
            #expect(events["lost"]?.intValue == 0 && events["dead_letters"]?.intValue == 0, "\(context)")
            #expect(summary["offset_resets"]?.objectValue?.isEmpty ?? false, "\(context)")
            let checks = try #require(summary["checks"], "\(context)")
            for name in ["rss_flat", "fds_flat", "consumer_keeps_up", "latency_stable"] {
                #expect(checks[name]?["pass"]?.boolValue == true, "\(name): \(context)")
            }
            let fifths = summary["fifths"]?.arrayValue ?? []
            #expect(fifths.count == 5)
            #expect(fifths.dropFirst().allSatisfy { ($0["windows"]?.intValue ?? 0) > 0 }, "windows evaluated in every fifth after the first: \(context)")
        }
    }
}
