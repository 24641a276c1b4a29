import DriftStats
import Testing

/// Inputs `scripts/fuzz` (docs/fuzzing.md) stopped on in the `sketches` target. Neither was a crash of the
/// library: the target's own oracle expected more of a merge than the type promises. They are kept so the
/// behaviour the fuzzer found stays defined: a decoded `CategoricalCounts` whose error bound exceeds its total
/// (the decoder does not require Σ counters ≤ total, invariant 5) merges with itself and takes new
/// categories without trapping, and at the saturation of `UInt64` counts stay bounded instead of trapping.
@Suite("Fuzz regressions: sketches")
struct SketchFuzzRegressionTests {
    /// A `CategoricalCounts` encoding: capacity 10, no category, total 0, missing 0, the given error bound
    /// (the fuzzer's inputs, with their CRC-32 recomputed as the target does).
    static func encoding(maximumError: UInt64) -> [UInt8] {
        var bytes: [UInt8] = [0x44, 0x57, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00]
        for field: UInt64 in [10, 0, 0, maximumError, 0] {
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: field >> UInt64(shift))) }
        }
        let checksum = CRC32.checksum(bytes)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: checksum >> UInt32(shift))) }
        return bytes
    }

    @Test("counts with an error bound above the total merge with themselves and take a new category", arguments: [
        UInt64(1) << 60,  // sketches: counters exceed the total after the merge (invariant 5 is not promised)
        0x8800_0000_0000_0000,  // sketches: the doubled bound saturates at UInt64.max
    ])
    func boundAboveTotal(maximumError: UInt64) throws {
        let counts = try CategoricalCounts(serialized: Self.encoding(maximumError: maximumError))
        #expect(counts.maximumError == maximumError)
        #expect(counts.total == 0)
        #expect(counts.trackedCount == 0)
        var merged = counts
        merged.merge(counts)
        merged.update("fuzz")
        merged.recordMissing()
        let (doubled, overflow) = maximumError.multipliedReportingOverflow(by: 2)
        #expect(merged.maximumError == (overflow ? UInt64.max : doubled))
        #expect(merged.total == 1)
        #expect(merged.missing == 1)
        // Charged the bound, the new category's reported (lower) count is 1, or 0 once the counter saturates;
        // its upper bound is never below it, and the proportions stay within [0, 1].
        #expect(merged.count(of: "fuzz") == (overflow ? 0 : 1))
        #expect(merged.upperBound(of: "fuzz") >= merged.count(of: "fuzz"))
        #expect(merged.proportions(over: ["fuzz"]).allSatisfy { (0...1).contains($0) })
        // Its encoding is written; reading it back either succeeds or is refused, never traps.
        _ = try? CategoricalCounts(serialized: merged.serialized())
    }
}
