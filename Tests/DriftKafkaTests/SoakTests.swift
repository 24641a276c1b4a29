import DriftJSON
import DriftTestSupport
import Foundation
import Testing

extension ProcessHeavy {
    /// The five-minute version of `scripts/soak` (docs/soak.md): steady traffic from 20 synthetic models through
    /// `driftwatch broker`, `driftwatch simulate` and `driftwatch monitor`, each its own process, with the binary
    /// `swift test` built. The monitor must keep up, lose and dead-letter nothing, evaluate every event, and keep
    /// its resident memory, descriptors and latency flat once warm.
    ///
    /// Runs only with `DRIFTWATCH_SOAK=1`. Measured on 2 shared cores (docs/soak.md): a plain debug build of the
    /// monitor costs about 230 µs of CPU per event (release 14 µs, debug with the hot modules at -O 20 µs),
    /// its stage 2 falls minutes behind with 20 models even at 1,000 events/s, and the monitor's resident
    /// memory grows for as long as traffic flows in every build: enabled, the test fails today on real
    /// findings, not on its set-up. `DRIFTWATCH_SOAK_RATE` (default 1,000) and `DRIFTWATCH_SOAK_SECONDS`
    /// (default 300) tune it; 4 inference partitions keep the partials and checkpoints of 20 models small.
    @Suite(
        "Soak: five minutes of steady traffic", .timeLimit(.minutes(12)),
        .enabled(if: ProcessInfo.processInfo.environment["DRIFTWATCH_SOAK"] == "1", "set DRIFTWATCH_SOAK=1 (docs/soak.md)"))
    struct SoakTests {
        static let rate = Int(ProcessInfo.processInfo.environment["DRIFTWATCH_SOAK_RATE"] ?? "") ?? 1_000
        static let duration = Int(ProcessInfo.processInfo.environment["DRIFTWATCH_SOAK_SECONDS"] ?? "") ?? 300

        @Test func fiveMinutesOfTwentyModelsStayFlat() async throws {
            let binary = try ExternalProcess.driftwatchBinary().path
            let script = SchemaValidation.packageRoot.appendingPathComponent("scripts/soak").path
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-soak-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let out = directory.appendingPathComponent("summary.json").path
            let run = try await ExternalProcess.run("python3", [
                script, "--binary", binary, "--duration", "\(Self.duration)", "--rate", "\(Self.rate)", "--models", "20",
                "--partitions", "4", "--internal-partitions", "4", "--out", out, "--workdir", directory.appendingPathComponent("work").path, "--quiet",
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
