import Testing
@testable import DriftStats

/// Hellinger distance: hand-computed values and bounds (no golden peer).
@Suite struct HellingerTests {
    @Test func handComputedValues() {
        // Tolerance: relative 1e-14 — a handful of roundings.
        #expect(Hellinger.distance([1, 0], [0, 1]) == 1)
        #expect(Hellinger.distance([3, 7], [30, 70]) == 0)
        // p = [½,½], q = [1,0]: BC = √½ → H = sqrt(1 − √½).
        #expect(isClose(Hellinger.distance([1, 1], [1, 0]), (1.0 - 0.5.squareRoot()).squareRoot(), rel: 1e-14))
        // p = [¼,¾], q = [¾,¼]: BC = 2·√(3/16) = √3/2.
        #expect(isClose(Hellinger.distance([1, 3], [3, 1]), (1.0 - 3.0.squareRoot() / 2).squareRoot(), rel: 1e-14))
    }

    @Test func boundsAndAlternativeFormula() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let k = 2 + Int(rng.nextBounded(10))
            let p = (0..<k).map { _ in rng.nextUniform() < 0.2 ? 0 : rng.nextUniform() }
            let q = (0..<k).map { _ in rng.nextUniform() < 0.2 ? 0 : rng.nextUniform() }
            guard p.reduce(0, +) > 0, q.reduce(0, +) > 0 else { continue }
            let h = Hellinger.distance(p, q)
            #expect(h >= 0 && h <= 1)
            #expect(isClose(h, Hellinger.distance(q, p), rel: 1e-12, abs: 1e-15))
            let sp = p.reduce(0, +), sq = q.reduce(0, +)
            var s = 0.0
            for i in 0..<k { let d = (p[i] / sp).squareRoot() - (q[i] / sq).squareRoot(); s += d * d }
            // Tolerance: abs 1e-7 — the two formulas differ by cancellation near 0.
            #expect(Swift.abs(h - (s / 2).squareRoot()) <= 1e-7)
        }
    }
}
