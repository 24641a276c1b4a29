import Foundation
import Testing
@testable import DriftStats
import DriftTestSupport

/// `SketchKolmogorovSmirnov` and `SketchWasserstein` against exact values from the raw data and the
/// golden `ks.json` / `wasserstein.json` cases.
@Suite struct SketchDistanceTests {
    /// A k large enough to keep every small golden sample in exact mode.
    static let exactK = 8_192

    static func samples(_ file: String, _ id: String, _ first: String, _ second: String) throws -> ([Double], [Double], [String: Any]) {
        let golden = try Golden.case(file, id: id)
        let inputs = try #require(golden["inputs"] as? [String: Any])
        let a = try #require(GoldenJSON.sample(inputs[first]))
        let b = try #require(GoldenJSON.sample(inputs[second]))
        return (a, b, try #require(golden["expected"] as? [String: Any]))
    }

    static let ksIDs = Golden.caseIDs("ks")
    static let wassersteinIDs = Golden.caseIDs("wasserstein").filter { $0 != "weighted_points" }

    @Test(arguments: ksIDs)
    func ksStatisticMatchesGolden(id: String) throws {
        let (a, b, expected) = try Self.samples("ks", id, "a", "b")
        let golden = try #require(GoldenJSON.double((expected["two_sided"] as? [String: Any])?["statistic"]))
        let k = max(a.count, b.count) <= Self.exactK ? Self.exactK : 200
        let sketchA = try KLLSketch.make(k: k, seed: 1, a)
        let sketchB = try KLLSketch.make(k: k, seed: 2, b)
        let result = SketchKolmogorovSmirnov.test(sketchA, sketchB)
        if !sketchA.isEstimationMode && !sketchB.isEstimationMode {
            // Exact mode: scipy's statistic; tolerance rel 1e-12 (|i/n1 − j/n2| rounded differently).
            #expect(isClose(result.statistic, golden, rel: 1e-12, abs: 1e-15), "\(id): \(result.statistic) vs \(golden)")
        } else {
            // Tolerance: ε_a + ε_b (the sketch error of the statistic).
            #expect(abs(result.statistic - golden) <= result.epsilon, "\(id): \(result.statistic) vs \(golden)")
        }
    }

    @Test(arguments: wassersteinIDs)
    func wassersteinMatchesGolden(id: String) throws {
        let (ref, cur, expected) = try Self.samples("wasserstein", id, "ref", "cur")
        let golden = try #require(GoldenJSON.double(expected["wasserstein"]))
        let k = max(ref.count, cur.count) <= Self.exactK ? Self.exactK : 200
        let a = try KLLSketch.make(k: k, seed: 3, ref)
        let b = try KLLSketch.make(k: k, seed: 4, cur)
        let result = SketchWasserstein.distance(a, b)
        if !a.isEstimationMode && !b.isEstimationMode {
            // Exact mode = scipy.wasserstein_distance; tolerance rel 1e-10 (numpy sums pairwise,
            // we sum sequentially).
            #expect(isClose(result.distance, golden, rel: 1e-10, abs: 1e-14), "\(id): \(result.distance) vs \(golden)")
        } else {
            // Tolerance: the reported errorBound (ε_a + ε_b)·(max − min).
            #expect(abs(result.distance - golden) <= result.errorBound, "\(id): \(result.distance) vs \(golden)")
        }
    }

    /// Pairs of 200k-value streams in estimation mode (k = 200): (label, a, b).
    static func streamPairs() -> [(String, [Double], [Double])] {
        func generate(_ distribution: String, seed: UInt64, loc: Double = 0, scale: Double = 1, k: UInt64 = 0) -> [Double] {
            var spec = GoldenGeneratorSpec(distribution: distribution, count: 200_000, seed: seed)
            spec.loc = loc
            spec.scale = scale
            spec.k = k
            return spec.generate()
        }
        return [
            ("normal same", generate("normal12", seed: 1), generate("normal12", seed: 2)),
            ("normal shift 0.05", generate("normal12", seed: 3), generate("normal12", seed: 4, loc: 0.05)),
            ("normal shift 0.5", generate("normal12", seed: 5), generate("normal12", seed: 6, loc: 0.5)),
            ("lomax scale 1.3", generate("lomax1", seed: 7), generate("lomax1", seed: 8, scale: 1.3)),
            ("discrete", generate("discrete", seed: 9, k: 30), generate("discrete", seed: 10, loc: 2, k: 30)),
        ]
    }

    @Test func ksAgainstExactStatisticOnLargeStreams() throws {
        for (label, a, b) in Self.streamPairs() {
            let sketchA = try KLLSketch.make(seed: 11, a)
            let sketchB = try KLLSketch.make(seed: 12, b)
            #expect(sketchA.isEstimationMode && sketchB.isEstimationMode)
            let exact = KLLReference.ksStatistic(sortedA: a.sorted(), sortedB: b.sorted())
            let result = SketchKolmogorovSmirnov.test(sketchA, sketchB, alpha: 0.05)
            // Tolerance: ε_a + ε_b.
            #expect(abs(result.statistic - exact) <= result.epsilon, "\(label): \(result.statistic) vs \(exact)")
            let epsilon = sketchA.normalizedRankError(pmf: false) + sketchB.normalizedRankError(pmf: false)
            #expect(result.epsilon == epsilon)
            let n1 = Double(a.count), n2 = Double(b.count)
            let threshold = (-0.5 * Foundation.log(0.05 / 2)).squareRoot() * ((n1 + n2) / (n1 * n2)).squareRoot()
            // Tolerance: rel 1e-12 (same formula, independent evaluation).
            #expect(isClose(result.threshold, threshold, rel: 1e-12))
            #expect(result.rejectsNull == (result.statistic > result.threshold + result.epsilon))
            if label == "normal same" { #expect(!result.rejectsNull) }
            if label == "normal shift 0.5" || label == "discrete" { #expect(result.rejectsNull) }
            // DataSketches' convention: sizes = retained items.
            let retained = SketchKolmogorovSmirnov.test(sketchA, sketchB, alpha: 0.05, sampleSize: .retainedItems)
            let r1 = Double(sketchA.retainedCount), r2 = Double(sketchB.retainedCount)
            #expect(isClose(retained.threshold, SketchKolmogorovSmirnov.coefficient(alpha: 0.05) * ((r1 + r2) / (r1 * r2)).squareRoot(), rel: 1e-12))
            #expect(retained.statistic == result.statistic)
        }
    }

    @Test func wassersteinAgainstExactDistanceOnLargeStreams() throws {
        for (label, a, b) in Self.streamPairs() {
            let sketchA = try KLLSketch.make(seed: 21, a)
            let sketchB = try KLLSketch.make(seed: 22, b)
            let exact = KLLReference.wasserstein(sortedA: a.sorted(), sortedB: b.sorted())
            let result = SketchWasserstein.distance(sketchA, sketchB)
            // Tolerance: the reported errorBound (ε_a + ε_b)·(max − min).
            #expect(abs(result.distance - exact) <= result.errorBound, "\(label): \(result.distance) vs \(exact)")
            let range = max(sketchA.maximum, sketchB.maximum) - min(sketchA.minimum, sketchB.minimum)
            let epsilon = sketchA.normalizedRankError(pmf: false) + sketchB.normalizedRankError(pmf: false)
            #expect(isClose(result.errorBound, epsilon * range, rel: 1e-12))
        }
    }

    @Test func exactModeSmallSamplesMatchReference() throws {
        var rng = SplitMix64(seed: 5)
        for trial in 0..<40 {
            let a = KLLStreams.values(count: 1 + Int(rng.nextBounded(150)), seed: rng.next(), shape: trial)
            let b = KLLStreams.values(count: 1 + Int(rng.nextBounded(150)), seed: rng.next(), shape: trial + 1)
            let sketchA = try KLLSketch.make(k: 200, a)
            let sketchB = try KLLSketch.make(k: 200, b)
            let sortedA = a.sorted(), sortedB = b.sorted()
            // Tolerance: exact for KS (same fractions), rel 1e-12 for the Wasserstein sum.
            #expect(SketchKolmogorovSmirnov.statistic(sketchA, sketchB) == KLLReference.ksStatistic(sortedA: sortedA, sortedB: sortedB))
            #expect(isClose(SketchWasserstein.distance(sketchA, sketchB).distance,
                            KLLReference.wasserstein(sortedA: sortedA, sortedB: sortedB), rel: 1e-12, abs: 1e-15))
        }
    }

    @Test func identicalAndEmptySketches() throws {
        let values = KLLStreams.values(count: 50_000, seed: 3, shape: 0)
        let sketch = try KLLSketch.make(values)
        let same = SketchKolmogorovSmirnov.test(sketch, sketch)
        #expect(same.statistic == 0 && !same.rejectsNull)
        #expect(SketchWasserstein.distance(sketch, sketch).distance == 0)

        let empty = try KLLSketch()
        let ks = SketchKolmogorovSmirnov.test(sketch, empty)
        #expect(ks.statistic.isNaN && !ks.rejectsNull)
        let w = SketchWasserstein.distance(empty, sketch)
        #expect(w.distance.isNaN && w.errorBound.isNaN)
    }
}
