import Testing
@testable import DriftStats
import DriftTestSupport

/// psi.json: edges, counts, PSI smoothing variants and Evidently's psi drift score.
@Suite struct PopulationStabilityIndexTests {
    static let numericIDs = Golden.caseIDs("psi").filter { !$0.hasPrefix("cat_") }
    static let categoricalIDs = Golden.caseIDs("psi").filter { $0.hasPrefix("cat_") }

    private func checkPSI(_ psi: [String: Any], ref: [Double], cur: [Double], label: String) {
        // Tolerance: relative 1e-12 (sum over bins; numpy sums pairwise) — golden README.
        let variants: [(String, ProportionSmoothing)] = [
            ("none", .none), ("clip_1e-4", .clip(1e-4)), ("clip_1e-6", .clip(1e-6)), ("evidently_fill", .evidentlyFill),
        ]
        for (key, smoothing) in variants {
            let want = BinnedGolden.double(psi[key])
            let got = PopulationStabilityIndex.psi(reference: ref, current: cur, smoothing: smoothing)
            #expect(isClose(got, want, rel: 1e-12), "\(label) psi.\(key): \(got) vs \(want)")
        }
    }

    @Test(arguments: numericIDs)
    func numericCase(id: String) throws {
        let c = try Golden.case("psi", id: id)
        let inputs = BinnedGolden.dict(c["inputs"]), expected = BinnedGolden.dict(c["expected"])
        let ref = BinnedGolden.sample(inputs["ref"]), cur = BinnedGolden.sample(inputs["cur"])
        let sortedRef = ref.sorted()
        #expect(!ref.isEmpty && !cur.isEmpty)
        for (block, bins) in [("quantile10", 10), ("equal_width10", 10), ("quantile20", 20)] {
            let b = BinnedGolden.dict(expected[block])
            let goldenEdges = BinnedGolden.doubles(b["inner_edges"])
            // Edges: exact (bitwise) — same formula as numpy.
            let edges = block.hasPrefix("quantile")
                ? FixedEdgeHistogram.referenceEdges(sortedReference: sortedRef, bins: bins, collapseTies: false)
                : FixedEdgeHistogram.equalWidthEdges(min: sortedRef[0], max: sortedRef[sortedRef.count - 1], bins: bins)
            #expect(BinnedGolden.bitwiseEqual(edges, goldenEdges), "\(id) \(block) edges")
            // Counts from the golden edges: exact integers.
            var hr = try FixedEdgeHistogram(innerEdges: goldenEdges)
            var hc = try FixedEdgeHistogram(innerEdges: goldenEdges)
            for v in ref { hr.update(v) }
            for v in cur { hc.update(v) }
            #expect(hr.counts.map(Int.init) == BinnedGolden.ints(b["ref_counts"]), "\(id) \(block) ref_counts")
            #expect(hc.counts.map(Int.init) == BinnedGolden.ints(b["cur_counts"]), "\(id) \(block) cur_counts")
            #expect(hr.testOnly_verifyInvariants() && hc.testOnly_verifyInvariants())
            checkPSI(BinnedGolden.dict(b["psi"]), ref: hr.counts.map { Double($0) }, cur: hc.counts.map { Double($0) },
                     label: "\(id) \(block)")
        }
        try checkEvidently(expected, percents: EvidentlyBinning.numericPercents(reference: ref, current: cur),
                           edgesFrom: ref + cur, id: id)
    }

    @Test(arguments: categoricalIDs)
    func categoricalCase(id: String) throws {
        let c = try Golden.case("psi", id: id)
        let inputs = BinnedGolden.dict(c["inputs"]), expected = BinnedGolden.dict(c["expected"])
        let r = BinnedGolden.doubles(inputs["ref_counts"]), cu = BinnedGolden.doubles(inputs["cur_counts"])
        checkPSI(BinnedGolden.dict(expected["psi"]), ref: r, cur: cu, label: id)
        let counts = BinnedGolden.categoryCounts(inputs)
        let cat = EvidentlyBinning.categoricalPercents(referenceCounts: counts.ref, currentCounts: counts.cur)
        let bins = BinnedGolden.dict(expected["evidently_bins"])
        #expect(cat.keys == bins["keys_sorted"] as? [String])
        try checkEvidently(expected, percents: (cat.reference, cat.current), edgesFrom: nil, id: id)
    }

    private func checkEvidently(_ expected: [String: Any], percents: (reference: [Double], current: [Double]),
                                edgesFrom combined: [Double]?, id: String) throws {
        let bins = BinnedGolden.dict(expected["evidently_bins"])
        // Raw percents are count/len: exact (bitwise).
        #expect(BinnedGolden.bitwiseEqual(percents.reference, BinnedGolden.doubles(bins["ref_percents_raw"])), "\(id) ref raw")
        #expect(BinnedGolden.bitwiseEqual(percents.current, BinnedGolden.doubles(bins["cur_percents_raw"])), "\(id) cur raw")
        let fr = EvidentlyBinning.fillZeros(percents.reference), fc = EvidentlyBinning.fillZeros(percents.current)
        // Fill is one division: exact.
        #expect(BinnedGolden.bitwiseEqual(fr, BinnedGolden.doubles(bins["ref_percents_filled"])), "\(id) ref filled")
        #expect(BinnedGolden.bitwiseEqual(fc, BinnedGolden.doubles(bins["cur_percents_filled"])), "\(id) cur filled")
        if let combined, bins["path"] as? String == "numeric_sturges" {
            let edges = EvidentlyBinning.sturgesEdges(combined)
            // Edges: exact (bitwise), numpy linspace formula.
            #expect(BinnedGolden.bitwiseEqual(edges, BinnedGolden.doubles(bins["sturges_edges"])), "\(id) sturges edges")
            #expect(edges.count - 1 == GoldenJSON.int(bins["n_bins"]))
        }
        let ev = BinnedGolden.dict(expected["evidently"])
        let score = PopulationStabilityIndex.psi(referenceProportions: fr, currentProportions: fc)
        // Tolerance: relative 1e-12 (sum over bins).
        #expect(isClose(score, BinnedGolden.double(ev["drift_score"]), rel: 1e-12), "\(id) evidently psi \(score)")
        #expect((score >= 0.1) == (ev["drifted"] as? Bool), "\(id) drifted")
    }

    @Test func clipIsNotRenormalised() {
        // r = [1, 0], c = [0.5, 0.5]; clip 0.1 → r = [1, 0.1]: (0.5−1)ln(0.5) + (0.5−0.1)ln(5).
        let got = PopulationStabilityIndex.psi(reference: [4, 0], current: [1, 1], smoothing: .clip(0.1))
        let want = (0.5 - 1.0) * -0.6931471805599453 + 0.4 * 1.6094379124341003
        #expect(isClose(got, want, rel: 1e-14))
        #expect(PopulationStabilityIndex.psi(reference: [1, 0], current: [0, 1], smoothing: .none).isInfinite)
        #expect(PopulationStabilityIndex.psi(reference: [3, 5, 2], current: [6, 10, 4]) == 0)
    }

    /// Guards against a silently empty parameter list (a missing fixture would make the golden test vacuous).
    @Test func goldenFileHasAllCases() {
        #expect(Golden.caseIDs("psi").count == 18)
    }
}
