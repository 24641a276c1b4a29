import Testing
@testable import DriftStats
import DriftTestSupport

/// Merging KLL sketches: invariants, counts, extremes, different k, exactness and accuracy.
@Suite struct KLLSketchMergeTests {
    @Test func mergingEmptySketchesChangesNothing() throws {
        let values = KLLStreams.values(count: 5_000, seed: 1, shape: 0)
        var sketch = try KLLSketch.make(k: 32, seed: 4, values)
        let before = sketch
        try sketch.merge(try KLLSketch(k: 32, seed: 99))
        #expect(sketch == before)

        var empty = try KLLSketch(k: 32, seed: 4)
        try empty.merge(before)
        #expect(empty.count == before.count)
        #expect(empty.minimum == before.minimum && empty.maximum == before.maximum)
        #expect(empty.testOnly_verifyInvariants())
        // An empty sketch that absorbed another answers within the other's error bound.
        let sorted = values.sorted()
        let view = empty.sortedView()
        let worst = KLLReference.maxRankError(view, sorted: sorted, queries: KLLReference.queryPoints(sorted: sorted), inclusive: true)
        #expect(worst <= empty.normalizedRankError(pmf: false))
    }

    @Test func exactModeMergeIsExact() throws {
        let a = KLLStreams.values(count: 60, seed: 2, shape: 3)
        let b = KLLStreams.values(count: 90, seed: 3, shape: 1)
        var sketch = try KLLSketch.make(k: 200, seed: 0, a)
        try sketch.merge(try KLLSketch.make(k: 200, seed: 1, b))
        #expect(!sketch.isEstimationMode)
        #expect(sketch.testOnly_verifyInvariants())
        let sorted = (a + b).sorted()
        for x in sorted {
            // Tolerance: exact (nothing discarded).
            #expect(sketch.rank(x) == KLLReference.rank(in: sorted, x, inclusive: true))
            #expect(sketch.rank(x, inclusive: false) == KLLReference.rank(in: sorted, x, inclusive: false))
        }
    }

    @Test func randomMergeTreesKeepInvariants() throws {
        // Property loop: sketches of random sizes, k and shapes merged in random order.
        var rng = SplitMix64(seed: 2024)
        for round in 0..<12 {
            let ks = [8, 12, 50, 200]
            var sketches: [KLLSketch] = []
            var all: [Double] = []
            for part in 0..<6 {
                let size = Int(rng.nextBounded(4_000))
                let values = KLLStreams.values(count: size, seed: rng.next(), shape: Int(rng.nextBounded(5)))
                all += values
                let k = ks[Int(rng.nextBounded(UInt64(ks.count)))]
                var sketch = try KLLSketch(k: k, seed: UInt64(round * 10 + part))
                sketch.update(contentsOf: values)
                #expect(sketch.testOnly_verifyInvariants())
                sketches.append(sketch)
            }
            while sketches.count > 1 {
                let i = Int(rng.nextBounded(UInt64(sketches.count)))
                let other = sketches.remove(at: i)
                let j = Int(rng.nextBounded(UInt64(sketches.count)))
                let countBefore = sketches[j].count
                let minKBefore = sketches[j].minK
                let kBefore = sketches[j].k
                try sketches[j].merge(other)
                #expect(sketches[j].testOnly_verifyInvariants(), "round \(round)")
                #expect(sketches[j].count == countBefore + other.count)
                #expect(sketches[j].k == kBefore)
                let expectedMinK = other.isEstimationMode ? min(minKBefore, other.minK) : minKBefore
                #expect(sketches[j].minK == expectedMinK)
            }
            let merged = sketches[0]
            #expect(merged.count == UInt64(all.count))
            if let low = all.min(), let high = all.max() {
                #expect(merged.minimum == low && merged.maximum == high)
            }
        }
    }

    @Test func selfMergeDoublesEveryWeight() throws {
        let values = KLLStreams.values(count: 10_000, seed: 6, shape: 2)
        var sketch = try KLLSketch.make(k: 64, seed: 6, values)
        let copy = sketch
        try sketch.merge(copy)
        #expect(sketch.count == 2 * copy.count)
        #expect(sketch.testOnly_verifyInvariants())
        let sorted = values.sorted()
        let queries = KLLReference.queryPoints(sorted: sorted)
        let worst = KLLReference.maxRankError(sketch.sortedView(), sorted: sorted, queries: queries, inclusive: true)
        #expect(worst <= sketch.normalizedRankError(pmf: false))
    }

    @Test func differentKMergeKeepsMinKAndAccuracy() throws {
        // Tolerance: normalizedRankError(k: minK) — the merged sketch's own bound.
        let a = KLLStreams.values(count: 120_000, seed: 12, shape: 0)
        let b = KLLStreams.values(count: 80_000, seed: 13, shape: 1)
        let sorted = (a + b).sorted()
        let queries = KLLReference.queryPoints(sorted: sorted)
        for (kA, kB) in [(400, 100), (100, 400)] {
            var sketch = try KLLSketch.make(k: kA, seed: 1, a)
            try sketch.merge(try KLLSketch.make(k: kB, seed: 2, b))
            #expect(sketch.k == kA)
            #expect(sketch.minK == min(kA, kB))
            #expect(sketch.normalizedRankError(pmf: false) == KLLSketch.normalizedRankError(k: min(kA, kB), pmf: false))
            #expect(sketch.testOnly_verifyInvariants())
            for inclusive in [true, false] {
                let worst = KLLReference.maxRankError(sketch.sortedView(), sorted: sorted, queries: queries, inclusive: inclusive)
                #expect(worst <= sketch.normalizedRankError(pmf: false), "k \(kA) <- \(kB)")
            }
        }
        // An exact-mode sketch with a smaller k does not lower minK (DataSketches' rule).
        var big = try KLLSketch.make(k: 400, seed: 3, a)
        try big.merge(try KLLSketch.make(k: 8, seed: 4, [1, 2, 3]))
        #expect(big.minK == 400)
    }

    @Test func mergeIsDeterministic() throws {
        let parts = (0..<4).map { KLLStreams.values(count: 25_000, seed: UInt64($0), shape: $0) }
        func build() throws -> KLLSketch {
            var union = try KLLSketch(k: 100, seed: 77)
            for (i, part) in parts.enumerated() { try union.merge(try KLLSketch.make(k: 100, seed: UInt64(i), part)) }
            return union
        }
        #expect(try build().serialized() == build().serialized())
    }

    @Test func countOverflowThrowsAndLeavesSketchUnchanged() throws {
        // A sketch whose count is near UInt64.max can only be made by decoding; build one with a
        // single top-level item of weight 2^63.
        var huge = try KLLSketch(k: 8, seed: 0)
        huge.update(1)
        var bytes = huge.serialized()
        // Rewrite as 64 levels with one item on the top level (weight 2^63): n = 2^63.
        bytes = KLLBytes.reencode(bytes) { fields in
            fields.numLevels = 64
            fields.levelSizes = [UInt32](repeating: 0, count: 63) + [1]
            fields.n = 1 << 63
        }
        let big = try KLLSketch(serialized: bytes)
        #expect(big.count == 1 << 63)
        var target = big
        #expect(throws: SketchError.countOverflow) { try target.merge(big) }
        #expect(target == big)
    }
}
