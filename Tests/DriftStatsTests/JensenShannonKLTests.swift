import Testing
@testable import DriftStats
import DriftTestSupport

/// js_kl.json: scipy `jensenshannon` / `entropy` and Evidently's jensenshannon / kl_div scores.
@Suite struct JensenShannonKLTests {
    /// Checks every JS/KL field of one histogram block against scipy.
    /// Tolerance: relative 1e-12 (sums over bins; numpy sums pairwise) — golden README.
    private func checkFields(_ e: [String: Any], p: [Double], q: [Double], label: String) {
        let checks: [(String, Double)] = [
            ("js_distance_base_e", JensenShannon.distance(p, q)),
            ("js_distance_base_2", JensenShannon.distance(p, q, base: .two)),
            ("js_divergence_base_e", JensenShannon.divergence(p, q)),
            ("js_divergence_base_2", JensenShannon.divergence(p, q, base: .two)),
            ("kl_ref_cur_raw", KullbackLeibler.divergence(p, q)),
            ("kl_cur_ref_raw", KullbackLeibler.divergence(q, p)),
            ("kl_ref_cur_clip_1e-4", KullbackLeibler.divergence(p, q, clip: 1e-4)),
            ("kl_cur_ref_clip_1e-4", KullbackLeibler.divergence(q, p, clip: 1e-4)),
            ("kl_ref_cur_clip_1e-4_base_2", KullbackLeibler.divergence(p, q, clip: 1e-4, base: .two)),
        ]
        for (key, got) in checks {
            #expect(e[key] != nil, "\(label) missing \(key)")
            let want = BinnedGolden.double(e[key])
            // Divergences of identical inputs may be ±1e-17-level noise in numpy: allow abs 1e-15.
            #expect(isClose(got, want, rel: 1e-12, abs: 1e-15), "\(label) \(key): \(got) vs \(want)")
        }
    }

    /// Evidently jensenshannon (no fill) and kl_div (fill, scipy renormalises); threshold 0.1, drift iff ≥.
    private func checkEvidently(_ e: [String: Any], ref: [Double], cur: [Double], rel: Double, label: String) {
        let js = JensenShannon.distance(ref, cur)
        let kl = KullbackLeibler.divergence(EvidentlyBinning.fillZeros(ref), EvidentlyBinning.fillZeros(cur))
        let ejs = BinnedGolden.dict(e["evidently_jensenshannon"]), ekl = BinnedGolden.dict(e["evidently_kl_div"])
        #expect(ejs["stattest"] as? String == "jensenshannon" && ekl["stattest"] as? String == "kl_div")
        #expect(BinnedGolden.double(ejs["threshold"]) == 0.1 && BinnedGolden.double(ekl["threshold"]) == 0.1)
        #expect(isClose(js, BinnedGolden.double(ejs["drift_score"]), rel: rel, abs: 1e-15), "\(label) evidently js \(js)")
        #expect(isClose(kl, BinnedGolden.double(ekl["drift_score"]), rel: rel, abs: 1e-15), "\(label) evidently kl \(kl)")
        #expect((js >= 0.1) == (ejs["drifted"] as? Bool))
        #expect((kl >= 0.1) == (ekl["drifted"] as? Bool))
    }

    @Test(arguments: Golden.caseIDs("js_kl"))
    func goldenCase(id: String) throws {
        let c = try Golden.case("js_kl", id: id)
        let inputs = BinnedGolden.dict(c["inputs"]), expected = BinnedGolden.dict(c["expected"])
        if id.hasPrefix("hist_") || id.hasPrefix("cat_") {
            let p = BinnedGolden.doubles(inputs["ref_counts"]), q = BinnedGolden.doubles(inputs["cur_counts"])
            #expect(!p.isEmpty && p.count == q.count)
            checkFields(expected, p: p, q: q, label: id)
            if id.hasPrefix("cat_") {
                let counts = BinnedGolden.categoryCounts(inputs)
                let cat = EvidentlyBinning.categoricalPercents(referenceCounts: counts.ref, currentCounts: counts.cur)
                // Tolerance: relative 1e-9 for Evidently categorical (Python set order of categories).
                checkEvidently(expected, ref: cat.reference, cur: cat.current, rel: 1e-9, label: id)
            }
            return
        }
        let ref = BinnedGolden.sample(inputs["ref"]), cur = BinnedGolden.sample(inputs["cur"])
        #expect(!ref.isEmpty && !cur.isEmpty)
        let sortedRef = ref.sorted()
        for block in ["quantile10", "equal_width10"] {
            let b = BinnedGolden.dict(expected[block])
            // Edges as in psi.json: exact (bitwise).
            let edges = block == "quantile10"
                ? FixedEdgeHistogram.referenceEdges(sortedReference: sortedRef, bins: 10, collapseTies: false)
                : FixedEdgeHistogram.equalWidthEdges(min: sortedRef[0], max: sortedRef[sortedRef.count - 1], bins: 10)
            #expect(BinnedGolden.bitwiseEqual(edges, BinnedGolden.doubles(b["inner_edges"])), "\(id) \(block) edges")
            var hr = try FixedEdgeHistogram(innerEdges: BinnedGolden.doubles(b["inner_edges"]))
            var hc = hr
            for v in ref { hr.update(v) }
            for v in cur { hc.update(v) }
            // Counts: exact integers.
            #expect(hr.counts.map(Int.init) == BinnedGolden.ints(b["ref_counts"]))
            #expect(hc.counts.map(Int.init) == BinnedGolden.ints(b["cur_counts"]))
            checkFields(b, p: hr.counts.map { Double($0) }, q: hc.counts.map { Double($0) }, label: "\(id) \(block)")
        }
        let percents = EvidentlyBinning.numericPercents(reference: ref, current: cur)
        // Tolerance: relative 1e-12 for the numeric path.
        checkEvidently(expected, ref: percents.reference, cur: percents.current, rel: 1e-12, label: id)
    }

    @Test func nearlyIdenticalInputsNeverGiveNaN() {
        // scipy can return NaN here (sqrt of a −1e-17 rounding residue); the divergence is clamped at 0.
        var rng = SplitMix64(seed: 5)
        for _ in 0..<200 {
            let p = (0..<12).map { _ in rng.nextUniform() + 0.01 }
            let q = p.map { $0 * (1 + 1e-12 * (rng.nextUniform() - 0.5)) }
            let d = JensenShannon.distance(p, q)
            #expect(d >= 0 && d < 1e-6)
            #expect(JensenShannon.divergence(p, q, base: .two) >= 0)
        }
    }

    @Test func handValues() {
        // Disjoint: JS divergence = ln 2 (1 bit); identical: 0.
        #expect(isClose(JensenShannon.divergence([1, 0], [0, 1]), 0.6931471805599453, rel: 1e-15))
        #expect(isClose(JensenShannon.divergence([1, 0], [0, 1], base: .two), 1, rel: 1e-15))
        #expect(JensenShannon.distance([2, 3], [4, 6]) == 0)
        // KL([½,½] ‖ [¼,¾]) = ½ln2 + ½ln(2/3).
        #expect(isClose(KullbackLeibler.divergence([1, 1], [1, 3]), 0.5 * 0.6931471805599453 + 0.5 * -0.4054651081081644, rel: 1e-14))
        #expect(KullbackLeibler.divergence([1, 1], [1, 0]) == .infinity)
        #expect(KullbackLeibler.divergence([1, 0], [1, 1]) > 0)
    }

    /// Guards against a silently empty parameter list (a missing fixture would make the golden test vacuous).
    @Test func goldenFileHasAllCases() {
        #expect(Golden.caseIDs("js_kl").count == 23)
    }
}
