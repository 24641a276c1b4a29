import Foundation
import Testing
@testable import DriftStats
import DriftTestSupport

/// Hellinger distance H = sqrt(1 − Σ√(p q)) = (1/√2)‖√p − √q‖₂: no golden peer, so hand-computed values,
/// metric properties, and the classical inequalities against the golden JS/KL values of js_kl.json.
@Suite struct HellingerTests {
    @Test func handComputedValues() {
        #expect(Hellinger.distance([1, 0], [0, 1]) == 1)
        #expect(Hellinger.distance([3, 7], [30, 70]) == 0)
        // Tolerance: relative 1e-14 — a handful of roundings.
        // p = [½,½], q = [1,0]: BC = √½ → H = sqrt(1 − √½).
        #expect(isClose(Hellinger.distance([1, 1], [1, 0]), (1.0 - 0.5.squareRoot()).squareRoot(), rel: 1e-14))
        // p = [¼,¾], q = [¾,¼]: BC = 2·√(3/16) = √3/2.
        #expect(isClose(Hellinger.distance([1, 3], [3, 1]), (1.0 - 3.0.squareRoot() / 2).squareRoot(), rel: 1e-14))
        // p = [0.36, 0.64], q = [0.64, 0.36]: √p − √q = ±0.2 → H = sqrt(½·(0.04 + 0.04)) = 0.2.
        #expect(isClose(Hellinger.distance([36, 64], [64, 36]), 0.2, rel: 1e-14))
        // p = [1, 0, 0, 0], q uniform over 4: BC = ½ → H = √½.
        #expect(isClose(Hellinger.distance([5, 0, 0, 0], [1, 1, 1, 1]), 0.5.squareRoot(), rel: 1e-14))
        #expect(Hellinger.distance([0, 0], [1, 1]).isNaN)
        #expect(Hellinger.distance([], []).isNaN)
    }

    /// Small distances keep their relative precision (no `1 − BC` cancellation).
    @Test func smallDistancesAreAccurate() {
        // p = [½ + δ, ½ − δ], q = [½, ½]: H² = 1 − (√(½+δ) + √(½−δ))/√2 = δ²/2 + O(δ⁴) → H ≈ δ/√2 (rel δ²).
        for delta in [1e-3, 1e-5, 1e-7] {
            let h = Hellinger.distance([0.5 + delta, 0.5 - delta], [0.5, 0.5])
            // Tolerance: relative 1e-5 (the O(δ²) series term is ≤ 1e-6 relative; 1 − BC would lose everything at 1e-7).
            #expect(isClose(h, delta / 2.0.squareRoot(), rel: 1e-5), "δ \(delta): \(h)")
        }
    }

    @Test func metricPropertiesAndAlternativeFormula() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let k = 2 + Int(rng.nextBounded(10))
            let draw = { (rng: inout SplitMix64) in (0..<k).map { _ in rng.nextUniform() < 0.2 ? 0 : rng.nextUniform() } }
            let p = draw(&rng), q = draw(&rng), r = draw(&rng)
            guard p.reduce(0, +) > 0, q.reduce(0, +) > 0, r.reduce(0, +) > 0 else { continue }
            let h = Hellinger.distance(p, q)
            #expect(h >= 0 && h <= 1)
            #expect(Hellinger.distance(p, p) == 0)
            // Tolerance: relative 1e-12 / abs 1e-15 — the same terms summed in another order.
            #expect(isClose(h, Hellinger.distance(q, p), rel: 1e-12, abs: 1e-15))
            #expect(h <= Hellinger.distance(p, r) + Hellinger.distance(r, q) + 1e-12)
            // Scale invariance (inputs are normalised).
            #expect(isClose(h, Hellinger.distance(p.map { $0 * 7 }, q), rel: 1e-12, abs: 1e-15))
            // Same quantity as sqrt(1 − BC). Tolerance: abs 1e-7 (1 − BC cancels for small H).
            let sp = p.reduce(0, +), sq = q.reduce(0, +)
            var bc = 0.0
            for i in 0..<k { bc += (p[i] / sp * q[i] / sq).squareRoot() }
            #expect(Swift.abs(h - Swift.max(1 - bc, 0).squareRoot()) <= 1e-7)
        }
    }

    /// For every histogram of js_kl.json (hand histograms, category counts, both binnings of the numeric
    /// cases): H ∈ [0, 1], H = 0 iff identical, H = 1 iff disjoint supports, and classical bounds checked
    /// against the **golden scipy** JS/KL values (not ours):
    /// - Le Cam: `H² ≤ TV ≤ H·√(2 − H²)` (TV = ½‖p − q‖₁, computed here);
    /// - Rényi order ½ ≤ KL: `−2·ln(1 − H²) ≤ KL(p‖q)` and `≤ KL(q‖p)` (+∞ passes);
    /// - `ln 2 · H² ≤ JS ≤ H²` (JS in nats; the per-bin terms satisfy it, ratio in [ln 2, 1] over t = p/q).
    /// Slack: relative 1e-9 + absolute 1e-15 for the rounding in both implementations.
    @Test(arguments: Golden.caseIDs("js_kl"))
    func boundsAgainstGoldenJSAndKL(id: String) throws {
        let c = try Golden.case("js_kl", id: id)
        let inputs = BinnedGolden.dict(c["inputs"]), expected = BinnedGolden.dict(c["expected"])
        var histograms: [(p: [Double], q: [Double], fields: [String: Any], label: String)] = []
        if id.hasPrefix("hist_") || id.hasPrefix("cat_") {
            histograms.append((BinnedGolden.doubles(inputs["ref_counts"]), BinnedGolden.doubles(inputs["cur_counts"]), expected, id))
        } else {
            for block in ["quantile10", "equal_width10"] {
                let b = BinnedGolden.dict(expected[block])
                histograms.append((BinnedGolden.doubles(b["ref_counts"]), BinnedGolden.doubles(b["cur_counts"]), b, "\(id) \(block)"))
            }
        }
        func le(_ a: Double, _ b: Double) -> Bool { a <= b + 1e-9 * Swift.abs(b) + 1e-15 }
        for (p, q, fields, label) in histograms {
            try #require(!p.isEmpty && p.count == q.count)
            let h = Hellinger.distance(p, q)
            let h2 = h * h
            #expect(h >= 0 && h <= 1, "\(label) H \(h)")
            let sp = p.reduce(0, +), sq = q.reduce(0, +)
            let pn = p.map { $0 / sp }, qn = q.map { $0 / sq }
            let identical = zip(pn, qn).allSatisfy { $0 == $1 }
            let disjoint = zip(pn, qn).allSatisfy { $0 == 0 || $1 == 0 }
            #expect((h == 0) == identical, "\(label) H = 0 iff identical")
            #expect((h == 1) == disjoint, "\(label) H = 1 iff disjoint")
            let tv = zip(pn, qn).reduce(0.0) { $0 + Swift.abs($1.0 - $1.1) } / 2
            #expect(le(h2, tv) && le(tv, h * (2 - h2).squareRoot()), "\(label) TV \(tv) H \(h)")
            let renyiHalf = -2 * Foundation.log(1 - h2)
            for key in ["kl_ref_cur_raw", "kl_cur_ref_raw"] {
                let kl = BinnedGolden.double(fields[key])
                #expect(!kl.isNaN && le(renyiHalf, kl), "\(label) \(key) \(kl) vs −2ln(1−H²) \(renyiHalf)")
            }
            let js = BinnedGolden.double(fields["js_divergence_base_e"])
            #expect(le(0.6931471805599453 * h2, js) && le(js, h2), "\(label) JS \(js) vs H² \(h2)")
        }
    }

    /// Guards against a silently empty parameter list.
    @Test func goldenFileHasAllCases() {
        #expect(Golden.caseIDs("js_kl").count == 23)
    }
}
