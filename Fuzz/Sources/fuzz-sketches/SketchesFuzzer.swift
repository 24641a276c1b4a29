@testable import DriftStats
import FuzzSupport

/// The `DriftStats` binary encodings (`KLLSketch`, `FixedEdgeHistogram`, `CategoricalCounts`, `Moments`)
/// on arbitrary bytes, each also with its CRC-32 recomputed (``FuzzInput/withChecksumVariants(_:_:)``).
/// Every input decodes or throws a `BinaryFormatError`. Oracles for what decodes: the type's invariants
/// hold, the encoding round-trips (`==`), and the decoded value can be queried, updated and merged with
/// itself (what stage 2 does with partials) without trapping, its invariants still holding (structure and
/// counts; not the floating-point moments, which may overflow).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzInput.withChecksumVariants(FuzzInput.bytes(data, size)) { bytes in
        if let sketch = try? KLLSketch(serialized: bytes) { exercise(sketch) }
        if let histogram = try? FixedEdgeHistogram(serialized: bytes) { exercise(histogram) }
        if let counts = try? CategoricalCounts(serialized: bytes) { exercise(counts) }
        if let moments = try? Moments(serialized: bytes) { exercise(moments) }
    }
    return 0
}

private func exercise(_ sketch: KLLSketch) {
    if let violation = sketch.invariantViolation() { FuzzInput.fail("decoded KLL sketch: \(violation)") }
    guard (try? KLLSketch(serialized: sketch.serialized())) == sketch else { FuzzInput.fail("KLL round trip") }
    _ = sketch.quantiles([0, 0.25, 0.5, 1])
    _ = sketch.rank(0)
    _ = sketch.cdf([-1, 0, 1])
    _ = sketch.normalizedRankError(pmf: true)
    var merged = sketch
    do { try merged.merge(sketch) } catch { FuzzInput.fail("merging a KLL sketch with itself: \(error)") }
    merged.update(contentsOf: [0, 1, -1e300, 1e300])
    if let violation = merged.invariantViolation() { FuzzInput.fail("merged KLL sketch: \(violation)") }
}

private func exercise(_ histogram: FixedEdgeHistogram) {
    guard histogram.testOnly_verifyInvariants() else { FuzzInput.fail("decoded histogram invariants") }
    guard (try? FixedEdgeHistogram(serialized: histogram.serialized())) == histogram else { FuzzInput.fail("histogram round trip") }
    var merged = histogram
    do { try merged.merge(histogram) } catch { FuzzInput.fail("merging a histogram with itself: \(error)") }
    merged.update(contentsOf: [0, .nan, .infinity, -1e300])
    merged.recordMissing()
    guard merged.testOnly_verifyInvariants() else { FuzzInput.fail("merged histogram invariants") }
}

private func exercise(_ counts: CategoricalCounts) {
    if let violation = counts.invariantViolation(checkCounterSum: false) { FuzzInput.fail("decoded categorical counts: \(violation)") }
    guard (try? CategoricalCounts(serialized: counts.serialized())) == counts else { FuzzInput.fail("categorical counts round trip") }
    _ = counts.mostFrequent(5)
    _ = counts.proportions(over: Array(counts.counts.keys.prefix(3)))
    var merged = counts
    merged.merge(counts)
    merged.update("fuzz")
    merged.recordMissing()
    // Counts saturate at UInt64.max instead of trapping, and a saturated counter no longer satisfies the
    // invariants (cᵢ − εᵢ ≥ 1, the tracked total): check them only when doubling cannot saturate. Invariant 5
    // (Σ counters ≤ total) is not required of a decoded summary (see the decoder), so not of its merge.
    let limit: UInt64 = 1 << 62
    let nearSaturation = counts.total >= limit || counts.maximumError >= limit || counts.missing >= limit
        || counts.counts.keys.contains { counts.upperBound(of: $0) >= limit }
    if !nearSaturation, let violation = merged.invariantViolation(checkCounterSum: false) {
        FuzzInput.fail("merged categorical counts: \(violation)")
    }
}

private func exercise(_ moments: Moments) {
    if let violation = moments.invariantViolation() { FuzzInput.fail("decoded moments: \(violation)") }
    guard (try? Moments(serialized: moments.serialized())) == moments else { FuzzInput.fail("moments round trip") }
    _ = (moments.mean, moments.variance, moments.sampleStandardDeviation, moments.min, moments.max)
    var merged = moments
    merged.merge(moments)
    merged.update(1)
    // No invariant check after the merge: M2 and the mean of values near ±1e308 legitimately overflow.
    _ = merged.standardDeviation
}

/// The entry point SwiftPM's debug link expects (see ``FuzzInput/runDriver(_:_:_:)``); a release build uses libFuzzer's `main`.
@_cdecl("fuzz_sketches_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzInput.runDriver(argc, argv) { data, size in fuzz(data ?? FuzzInput.empty, size) }
}
