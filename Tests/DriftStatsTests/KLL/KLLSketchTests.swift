import Foundation
import Testing
@testable import DriftStats
import DriftTestSupport

/// Construction, updates, invariants, exact-mode answers and query semantics of `KLLSketch`.
@Suite struct KLLSketchTests {
    @Test func kOutsideRangeThrows() throws {
        for k in [-1, 0, 1, 7, 65_536, Int.max] {
            #expect(throws: SketchError.invalidK(k)) { try KLLSketch(k: k) }
        }
        for k in [8, 200, 65_535] {
            let sketch = try KLLSketch(k: k, seed: 1)
            #expect(sketch.k == k)
            #expect(sketch.minK == k)
            #expect(sketch.testOnly_verifyInvariants())
        }
        #expect(try KLLSketch().k == KLLSketch.defaultK)
    }

    @Test func emptySketchAnswersNaN() throws {
        let sketch = try KLLSketch()
        #expect(sketch.isEmpty)
        #expect(sketch.count == 0)
        #expect(sketch.minimum.isNaN && sketch.maximum.isNaN)
        #expect(sketch.rank(1).isNaN)
        #expect(sketch.quantile(0.5).isNaN)
        let cdf = sketch.cdf([1, 2])
        #expect(cdf.count == 3 && cdf.allSatisfy { $0.isNaN })
        #expect(sketch.pmf([1]).allSatisfy { $0.isNaN })
        #expect(sketch.retainedCount == 0)
        #expect(!sketch.isEstimationMode)
        #expect(sketch.testOnly_verifyInvariants())
    }

    @Test func nonFiniteValuesAreIgnored() throws {
        var sketch = try KLLSketch(k: 8, seed: 3)
        for x in [Double.nan, .infinity, -.infinity, .signalingNaN] { sketch.update(x) }
        #expect(sketch.isEmpty)
        #expect(sketch == (try KLLSketch(k: 8, seed: 3)))

        let clean = KLLStreams.values(count: 500, seed: 11, shape: 1)
        var dirty = [Double]()
        for (i, x) in clean.enumerated() {
            dirty.append(x)
            if i % 7 == 0 { dirty.append(.nan) }
            if i % 11 == 0 { dirty.append(i % 2 == 0 ? .infinity : -.infinity) }
        }
        var single = try KLLSketch(k: 8, seed: 3)
        for x in dirty { single.update(x) }
        let batch = try KLLSketch.make(k: 8, seed: 3, dirty)
        let reference = try KLLSketch.make(k: 8, seed: 3, clean)
        #expect(single == reference)
        #expect(batch == reference)
        #expect(reference.count == UInt64(clean.count))
        #expect(single.testOnly_verifyInvariants())
    }

    @Test func exactModeRanksAndQuantilesAreExact() throws {
        // n <= k: nothing is discarded, so every answer equals the exact one (tolerance: exact).
        for shape in 0..<5 {
            let values = KLLStreams.values(count: 200, seed: UInt64(shape) + 20, shape: shape)
            let sketch = try KLLSketch.make(k: 200, seed: 5, values)
            #expect(!sketch.isEstimationMode)
            let sorted = values.sorted()
            #expect(sketch.minimum == sorted.first && sketch.maximum == sorted.last)
            let view = sketch.sortedView()
            for x in sorted + sorted.map({ $0 + 1e-9 }) + [sorted[0] - 1, sorted[sorted.count - 1] + 1] {
                for inclusive in [true, false] {
                    let exact = KLLReference.rank(in: sorted, x, inclusive: inclusive)
                    #expect(sketch.rank(x, inclusive: inclusive) == exact)
                    #expect(view.rank(x, inclusive: inclusive) == exact)
                }
            }
            let n = sorted.count
            for step in 1..<100 {
                let r = Double(step) / 100
                // Inclusive: the smallest value whose count of values <= it reaches ceil(r n);
                // exclusive: the smallest value whose count of values <= it exceeds floor(r n).
                let inclusiveTarget = Int((r * Double(n)).rounded(.up))
                let exclusiveTarget = Int((r * Double(n)).rounded(.down))
                let inclusiveExpected = sorted[max(inclusiveTarget, 1) - 1]
                let exclusiveExpected = sorted[min(exclusiveTarget, n - 1)]
                #expect(sketch.quantile(r) == inclusiveExpected, "shape \(shape) r \(r)")
                #expect(sketch.quantile(r, inclusive: false) == exclusiveExpected, "shape \(shape) r \(r)")
            }
        }
    }

    @Test func invariantsHoldAfterEveryUpdate() throws {
        for (index, k) in [8, 9, 17, 50, 200].enumerated() {
            for shape in 0..<5 {
                let values = KLLStreams.values(count: 3_000, seed: UInt64(100 * index + shape), shape: shape)
                var sketch = try KLLSketch(k: k, seed: UInt64(index))
                for (i, x) in values.enumerated() {
                    sketch.update(x)
                    if k < 50 || i % 37 == 0 {
                        #expect(sketch.testOnly_verifyInvariants(), "k \(k) shape \(shape) after \(i + 1)")
                    }
                }
                #expect(sketch.testOnly_verifyInvariants())
                #expect(sketch.count == UInt64(values.count))
                #expect(sketch.minimum == values.min() && sketch.maximum == values.max())
                #expect(sketch.isEstimationMode == (values.count > k))
                // Retained items stay O(k log(n / k)): never more than the total capacity.
                #expect(sketch.retainedCount <= KLLSketch.totalCapacity(k: k, numLevels: sketch.numLevels))
            }
        }
    }

    @Test func batchUpdateMatchesSingleUpdates() throws {
        for shape in 0..<5 {
            let values = KLLStreams.values(count: 20_000, seed: UInt64(shape) * 7 + 1, shape: shape)
            var single = try KLLSketch(k: 64, seed: 9)
            for x in values { single.update(x) }
            var chunked = try KLLSketch(k: 64, seed: 9)
            var rng = SplitMix64(seed: UInt64(shape))
            var start = 0
            while start < values.count {
                let end = min(values.count, start + 1 + Int(rng.nextBounded(700)))
                Array(values[start..<end]).withUnsafeBufferPointer { chunked.update(contentsOf: $0) }
                start = end
            }
            #expect(chunked == single)
            #expect(try KLLSketch.make(k: 64, seed: 9, values) == single)
            #expect(single.testOnly_verifyInvariants())
        }
        var sketch = try KLLSketch(k: 8)
        sketch.update(contentsOf: [])
        #expect(sketch.isEmpty)
    }

    @Test func sameSeedSameBytesDifferentSeedDifferentBytes() throws {
        let values = KLLStreams.values(count: 50_000, seed: 77, shape: 0)
        let a = try KLLSketch.make(seed: 1234, values)
        let b = try KLLSketch.make(seed: 1234, values)
        let c = try KLLSketch.make(seed: 1235, values)
        #expect(a == b)
        #expect(a.serialized() == b.serialized())
        #expect(a != c)
        #expect(a.serialized() != c.serialized())
        #expect(c.testOnly_verifyInvariants())
    }

    @Test func levelCapacitiesFollowDataSketches() {
        // level_capacity = max(8, round(k (2/3)^depth)) computed in integers; compare with the real
        // value where it is not within 1e-9 of a rounding tie (tolerance: exact integer).
        for k in stride(from: 8, through: 65_535, by: 97) {
            for depth in 0...40 {
                let capacity = KLLSketch.levelCapacity(k: k, numLevels: depth + 1, height: 0)
                let real = Double(k) * pow2over3(depth)
                if abs(real - real.rounded(.down) - 0.5) > 1e-9 {
                    #expect(capacity == max(8, Int(real.rounded())), "k \(k) depth \(depth)")
                }
            }
        }
        #expect(KLLSketch.levelCapacityTable(k: 200, numLevels: 4) == [59, 89, 133, 200])
        #expect(KLLSketch.totalCapacity(k: 200, numLevels: 4) == 59 + 89 + 133 + 200)
        // Beyond the integer range of DataSketches the minimum width applies.
        #expect(KLLSketch.levelCapacity(k: 65_535, numLevels: 64, height: 0) == 8)
    }

    private func pow2over3(_ depth: Int) -> Double {
        var p = 1.0
        for _ in 0..<depth { p = p * 2 / 3 }
        return p
    }

    @Test func normalizedRankErrorIsDataSketchesFormula() throws {
        for k in [8, 100, 200, 1_000, 65_535] {
            let single = KLLSketch.normalizedRankError(k: k, pmf: false)
            let pmf = KLLSketch.normalizedRankError(k: k, pmf: true)
            // Tolerance: a few ulps (same formula, independent evaluation order).
            #expect(isClose(single, 2.296 * exp2(-0.9723 * log2(Double(k))), rel: 1e-12))
            #expect(isClose(pmf, 2.446 * exp2(-0.9433 * log2(Double(k))), rel: 1e-12))
            #expect(pmf > single)
        }
        // DataSketches documents ≈ 1.33 % single-rank error at k = 200 (99 % confidence).
        let at200 = KLLSketch.normalizedRankError(k: 200, pmf: false)
        #expect(at200 > 0.0132 && at200 < 0.0134)
        #expect(try KLLSketch(k: 200).normalizedRankError(pmf: false) == at200)
    }

    @Test func quantilesAreMonotoneAndBounded() throws {
        let values = KLLStreams.values(count: 100_000, seed: 5, shape: 2)
        let sketch = try KLLSketch.make(k: 100, seed: 5, values)
        #expect(sketch.quantile(0) == sketch.minimum)
        #expect(sketch.quantile(1) == sketch.maximum)
        #expect(sketch.quantile(0, inclusive: false) == sketch.minimum)
        #expect(sketch.quantile(-0.1).isNaN && sketch.quantile(1.1).isNaN && sketch.quantile(.nan).isNaN)
        for inclusive in [true, false] {
            let ranks = (0...1000).map { Double($0) / 1000 }
            let quantiles = sketch.quantiles(ranks, inclusive: inclusive)
            #expect(zip(quantiles, quantiles.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(quantiles.allSatisfy { $0 >= sketch.minimum && $0 <= sketch.maximum })
            #expect(quantiles[500] == sketch.quantile(0.5, inclusive: inclusive))
        }
        #expect(sketch.rank(.nan).isNaN)
        #expect(sketch.rank(sketch.minimum - 1) == 0)
        #expect(sketch.rank(sketch.maximum) == 1)
        #expect(sketch.rank(sketch.minimum, inclusive: false) == 0)
    }

    @Test func sortedViewAgreesWithDirectRank() throws {
        let values = KLLStreams.values(count: 30_000, seed: 8, shape: 3) + KLLStreams.values(count: 30_000, seed: 9, shape: 1)
        let sketch = try KLLSketch.make(k: 40, seed: 2, values)
        let view = sketch.sortedView()
        #expect(view.totalWeight == sketch.count)
        #expect(view.cumulativeWeights.last == sketch.count)
        #expect(view.items.count == sketch.retainedCount)
        #expect(zip(view.items, view.items.dropFirst()).allSatisfy { $0 <= $1 })
        for x in stride(from: -3.0, through: 7.0, by: 0.05) {
            for inclusive in [true, false] {
                // Tolerance: exact — the same weights divided by the same count.
                #expect(view.rank(x, inclusive: inclusive) == sketch.rank(x, inclusive: inclusive))
            }
        }
    }

    @Test func cdfAndPmfAreConsistentAndAccurate() throws {
        let values = KLLStreams.values(count: 200_000, seed: 31, shape: 1)
        let sorted = values.sorted()
        let sketch = try KLLSketch.make(k: 200, seed: 31, values)
        let splits = stride(from: -1.8, through: 1.8, by: 0.2).map { $0 }
        for inclusive in [true, false] {
            let cdf = sketch.cdf(splits, inclusive: inclusive)
            let pmf = sketch.pmf(splits, inclusive: inclusive)
            #expect(cdf.count == splits.count + 1 && pmf.count == splits.count + 1)
            #expect(cdf.last == 1)
            #expect(zip(cdf, cdf.dropFirst()).allSatisfy { $0 <= $1 })
            // Tolerance: 1e-12 absolute (a sum of differences of the same doubles).
            #expect(abs(pmf.reduce(0, +) - 1) < 1e-12)
            let epsRank = sketch.normalizedRankError(pmf: false)
            let epsPMF = sketch.normalizedRankError(pmf: true)
            var previous = 0.0
            for (i, split) in splits.enumerated() {
                let exact = KLLReference.rank(in: sorted, split, inclusive: inclusive)
                #expect(abs(cdf[i] - exact) <= epsRank, "cdf at \(split)")
                #expect(abs(pmf[i] - (exact - previous)) <= epsPMF, "pmf at \(split)")
                previous = exact
            }
        }
    }

    @Test func rankErrorWithinBoundForOtherK() throws {
        // Tolerance: the sketch's own normalizedRankError(pmf: false) (99 % confidence bound).
        for (k, shape) in [(50, 0), (400, 2), (1_000, 1)] {
            let values = KLLStreams.values(count: 150_000, seed: UInt64(k), shape: shape)
            let sorted = values.sorted()
            let sketch = try KLLSketch.make(k: k, seed: UInt64(k) + 1, values)
            #expect(sketch.testOnly_verifyInvariants())
            let view = sketch.sortedView()
            let queries = KLLReference.queryPoints(sorted: sorted)
            for inclusive in [true, false] {
                let worst = KLLReference.maxRankError(view, sorted: sorted, queries: queries, inclusive: inclusive)
                #expect(worst <= KLLSketch.normalizedRankError(k: k, pmf: false), "k \(k)")
            }
        }
    }
}
