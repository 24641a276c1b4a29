import DriftJSON
import DriftMonitor
import DriftStats
import Foundation
import Testing

/// Inputs `scripts/fuzz` (docs/fuzzing.md) found crashing the monitor.
@Suite("Fuzz regressions: monitor")
struct MonitorFuzzRegressionTests {
    /// `partials`: a window partial (a record of `driftwatch.partials`, checksum valid) whose ROC bin counts are
    /// above `Int.max`. Stage 2 merged and evaluated it, then trapped writing the drift event (`Int(UInt64)` in
    /// the JSON writer); counts beyond `Int.max` are now written clamped to it. The fixture is the fuzzer's
    /// input; the target recomputes a record's CRC-32 before decoding it, and so does this test.
    /// `partials`, again: a partial whose ROC bin counts sum beyond `UInt64.max`; the binned ROC-AUC summed them
    /// as `UInt64` and trapped on the overflow. They are summed as doubles now. And one whose category counts sum
    /// beyond `UInt64.max` (`CategoricalPartial.count`): those sums saturate now.
    @Test("partials with counts above Int.max, or summing beyond UInt64.max, are evaluated and their drift events written",
          arguments: ["fuzz-partial-huge-counts.bin", "fuzz-partial-roc-overflow.bin", "fuzz-partial-category-overflow.bin"])
    func hugeCounts(_ name: String) throws {
        let url = Bundle.module.bundleURL.appendingPathComponent("Fixtures/\(name)")
        var bytes = Array(try Data(contentsOf: url))
        let checksum = CRC32.checksum(bytes[0..<(bytes.count - 4)])
        for i in 0..<4 { bytes[bytes.count - 4 + i] = UInt8(truncatingIfNeeded: checksum >> (8 * UInt32(i))) }
        let record = try PartialsRecord(serialized: bytes)
        guard case .partial(let partial) = record else {
            Issue.record("not a window partial")
            return
        }
        let stream = SyntheticStream(modelID: partial.modelID, modelVersion: partial.modelVersion, seed: 7)
        var stage2 = Stage2Processor(policy: MonitorPolicy(), completionTimeout: 60_000, profiles: [try stream.profile(rows: 300)])
        stage2.evaluator.domainClassifier = false
        stage2.add(serialized: bytes, now: 0)
        stage2.add(serialized: bytes, now: 1)
        let events = stage2.ready(now: 2) + stage2.flush(now: 3)
        #expect(!events.isEmpty)
        for event in events {
            let text = event.json()
            let parsed = try JSONValue.parse(text)
            #expect(parsed["model_id"]?.stringValue == partial.modelID)
            if name == "fuzz-partial-huge-counts.bin" { #expect(text.contains(String(Int.max))) }
        }
    }
}
