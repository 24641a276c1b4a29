import Testing
@testable import DriftStats
import DriftTestSupport

/// One 1M-value golden sample (`quantiles.json`, `gen_*_1M`), regenerated once per test process.
struct KLLGoldenSample: Sendable {
    let id: String
    let values: [Double]
    let sorted: [Double]
    let q: [Double]
    let linear: [Double]
    let rankLessThanLinear: [Int]
    let rankAtMostLinear: [Int]
    let checkFirst: [Double]
    let checkLast: Double
    let checkMin: Double
    let checkMax: Double

    static func load(_ id: String) -> KLLGoldenSample? {
        guard let golden = try? Golden.case("quantiles", id: id),
              let inputs = golden["inputs"] as? [String: Any],
              let expected = golden["expected"] as? [String: Any],
              let x = inputs["x"] as? [String: Any],
              let check = x["check"] as? [String: Any],
              let values = GoldenJSON.sample(inputs["x"]),
              let q = GoldenJSON.doubles(expected["q"]),
              let linear = GoldenJSON.doubles(expected["linear"]),
              let lt = (expected["rank_lt_linear"] as? [Any])?.compactMap(GoldenJSON.int),
              let le = (expected["rank_le_linear"] as? [Any])?.compactMap(GoldenJSON.int),
              let first = GoldenJSON.doubles(check["first"]),
              let last = GoldenJSON.double(check["last"]),
              let min = GoldenJSON.double(check["min"]),
              let max = GoldenJSON.double(check["max"])
        else { return nil }
        return KLLGoldenSample(
            id: id, values: values, sorted: values.sorted(), q: q, linear: linear,
            rankLessThanLinear: lt, rankAtMostLinear: le,
            checkFirst: first, checkLast: last, checkMin: min, checkMax: max)
    }

    // Lazily computed once per process (static stored properties are initialised on first use).
    static let normal12 = load("gen_normal12_1M")
    static let lomax = load("gen_lomax_1M")
    static let uniform = load("gen_uniform_1M")
    static let discrete = load("gen_discrete_1M")

    static func named(_ id: String) -> KLLGoldenSample? {
        switch id {
        case "gen_normal12_1M": return normal12
        case "gen_lomax_1M": return lomax
        case "gen_uniform_1M": return uniform
        case "gen_discrete_1M": return discrete
        default: return nil
        }
    }

    static let ids = ["gen_normal12_1M", "gen_lomax_1M", "gen_uniform_1M", "gen_discrete_1M"]
}

/// Accuracy of the KLL sketch (k = 200) on the 1M-value golden samples: normal12, lomax, uniform
/// and discrete (K = 100, heavy ties).
///
/// Tolerance everywhere: `KLLSketch.normalizedRankError(k: 200, pmf: false)` ≈ 0.0133, the
/// DataSketches 99 %-confidence bound on the maximum normalised rank error (seeds are fixed, so the
/// outcome is deterministic).
@Suite struct KLLSketchAccuracyTests {
    static let k = 200
    static var epsilon: Double { KLLSketch.normalizedRankError(k: k, pmf: false) }

    @Test(arguments: KLLGoldenSample.ids)
    func regeneratedSampleMatchesGoldenCheck(id: String) throws {
        let sample = try #require(KLLGoldenSample.named(id))
        #expect(sample.values.count == 1_000_000)
        // Tolerance: bit-exact (the generator is specified bit for bit).
        #expect(Array(sample.values.prefix(3)) == sample.checkFirst)
        #expect(sample.values.last == sample.checkLast)
        #expect(sample.sorted.first == sample.checkMin && sample.sorted.last == sample.checkMax)
    }

    @Test(arguments: KLLGoldenSample.ids)
    func singleSketchRankErrorWithinBound(id: String) throws {
        let sample = try #require(KLLGoldenSample.named(id))
        let sketch = try KLLSketch.make(k: Self.k, seed: 42, sample.values)
        #expect(sketch.testOnly_verifyInvariants())
        #expect(sketch.count == 1_000_000)
        #expect(sketch.minimum == sample.checkMin && sketch.maximum == sample.checkMax)
        let view = sketch.sortedView()
        let queries = KLLReference.queryPoints(sorted: sample.sorted)
        for inclusive in [true, false] {
            // Discrete data: inclusive compares with #{≤ x}/n, exclusive with #{< x}/n.
            let worst = KLLReference.maxRankError(view, sorted: sample.sorted, queries: queries, inclusive: inclusive)
            #expect(worst <= Self.epsilon, "\(id) inclusive \(inclusive): \(worst)")
        }
    }

    @Test(arguments: KLLGoldenSample.ids)
    func sixteenMergedSketchesRankErrorWithinBound(id: String) throws {
        let sample = try #require(KLLGoldenSample.named(id))
        let parts = 16
        let chunk = sample.values.count / parts
        var union = try KLLSketch(k: Self.k, seed: 7)
        for part in 0..<parts {
            let slice = Array(sample.values[(part * chunk)..<(part == parts - 1 ? sample.values.count : (part + 1) * chunk)])
            let shard = try KLLSketch.make(k: Self.k, seed: 1_000 + UInt64(part), slice)
            #expect(shard.testOnly_verifyInvariants())
            try union.merge(shard)
            #expect(union.testOnly_verifyInvariants(), "\(id) after merging shard \(part)")
        }
        #expect(union.count == 1_000_000)
        #expect(union.minimum == sample.checkMin && union.maximum == sample.checkMax)
        #expect(union.minK == Self.k)
        let view = union.sortedView()
        let queries = KLLReference.queryPoints(sorted: sample.sorted)
        for inclusive in [true, false] {
            let worst = KLLReference.maxRankError(view, sorted: sample.sorted, queries: queries, inclusive: inclusive)
            #expect(worst <= Self.epsilon, "\(id) merged, inclusive \(inclusive): \(worst)")
        }
    }

    @Test(arguments: KLLGoldenSample.ids)
    func quantilesAgreeWithGoldenLinearQuantiles(id: String) throws {
        let sample = try #require(KLLGoldenSample.named(id))
        let sketch = try KLLSketch.make(k: Self.k, seed: 43, sample.values)
        let n = Double(sample.values.count)
        #expect(sample.q.count == sample.linear.count && sample.q.count == sample.rankAtMostLinear.count)
        for inclusive in [true, false] {
            let quantiles = sketch.quantiles(sample.q, inclusive: inclusive)
            for (i, q) in sample.q.enumerated() {
                let value = quantiles[i]
                // The exact rank interval of the returned value contains a point within ε of q.
                let distance = KLLReference.rankDistance(of: value, to: q, in: sample.sorted)
                #expect(distance <= Self.epsilon, "\(id) q \(q): rank distance \(distance)")
                // …and is within ε of the exact rank interval of numpy's linear quantile.
                let low = Double(KLLReference.count(in: sample.sorted, value, inclusive: false)) / n
                let high = Double(KLLReference.count(in: sample.sorted, value, inclusive: true)) / n
                let goldenLow = Double(sample.rankLessThanLinear[i]) / n
                let goldenHigh = Double(sample.rankAtMostLinear[i]) / n
                let gap = max(0, low - goldenHigh, goldenLow - high)
                #expect(gap <= Self.epsilon, "\(id) q \(q): gap to golden linear \(sample.linear[i]) is \(gap)")
            }
            // The extremes are exact.
            #expect(quantiles.first == sample.linear.first && quantiles.last == sample.linear.last)
        }
    }
}
