import Testing
@testable import DriftStats
import DriftTestSupport

/// psi.json: edges, counts, PSI smoothing variants, Evidently's psi drift score, frouros' PSI; and the
/// frozen-bin stability property.
@Suite struct PopulationStabilityIndexTests {
    static let numericIDs = Golden.caseIDs("psi").filter { !$0.hasPrefix("cat_") }
    static let categoricalIDs = Golden.caseIDs("psi").filter { $0.hasPrefix("cat_") }

    /// Every `psi.*` variant of one block.
    private func checkPSI(_ psi: [String: Any], ref: [Double], cur: [Double], label: String) {
        // Tolerance: relative 1e-12 (a sum over bins; numpy sums pairwise) — golden README / tolerance_hint.
        let variants: [(String, ProportionSmoothing)] = [
            ("none", .none), ("clip_1e-4", .clip(1e-4)), ("clip_1e-6", .clip(1e-6)), ("evidently_fill", .evidentlyFill),
        ]
        #expect(psi.count == variants.count, "\(label): unexpected psi fields \(psi.keys.sorted())")
        for (key, smoothing) in variants {
            #expect(psi[key] != nil, "\(label) missing psi.\(key)")
            let want = BinnedGolden.double(psi[key])
            let got = PopulationStabilityIndex.psi(reference: ref, current: cur, smoothing: smoothing)
            #expect(isClose(got, want, rel: 1e-12), "\(label) psi.\(key): \(got) vs \(want)")
        }
    }

    /// Evidently's psi drift score and decision from our `EvidentlyBinning` (threshold 0.1, drift iff ≥).
    private func checkEvidentlyScore(_ expected: [String: Any], percents: (reference: [Double], current: [Double]), id: String) {
        let ev = BinnedGolden.dict(expected["evidently"])
        #expect(ev["stattest"] as? String == "psi")
        #expect(BinnedGolden.double(ev["threshold"]) == 0.1)
        let score = PopulationStabilityIndex.psi(referenceProportions: EvidentlyBinning.fillZeros(percents.reference),
                                                 currentProportions: EvidentlyBinning.fillZeros(percents.current))
        // Tolerance: relative 1e-12 (sum over bins; the categorical path permutes bins vs Python set order).
        #expect(isClose(score, BinnedGolden.double(ev["drift_score"]), rel: 1e-12), "\(id) evidently psi \(score)")
        #expect((score >= 0.1) == (ev["drifted"] as? Bool), "\(id) drifted")
    }

    @Test(arguments: numericIDs)
    func numericCase(id: String) throws {
        let c = try Golden.case("psi", id: id)
        let inputs = BinnedGolden.dict(c["inputs"]), expected = BinnedGolden.dict(c["expected"])
        let ref = BinnedGolden.sample(inputs["ref"]), cur = BinnedGolden.sample(inputs["cur"])
        try #require(!ref.isEmpty && !cur.isEmpty)
        let sortedRef = ref.sorted()
        for (block, bins) in [("quantile10", 10), ("equal_width10", 10), ("quantile20", 20)] {
            let b = BinnedGolden.dict(expected[block])
            try #require(!b.isEmpty, "\(id) missing \(block)")
            let goldenEdges = BinnedGolden.doubles(b["inner_edges"])
            #expect(goldenEdges.count == bins - 1)
            // Edges: exact (bitwise) — the same floating-point formula as numpy / Python.
            let edges: [Double]
            if block.hasPrefix("quantile") {
                edges = FixedEdgeHistogram.referenceEdges(sortedReference: sortedRef, bins: bins, collapseTies: false)
                // edge_probs = np.arange(B+1)/B: the probabilities referenceEdges uses, exactly.
                let probs = (0...bins).map { Double($0) / Double(bins) }
                #expect(BinnedGolden.bitwiseEqual(probs, BinnedGolden.doubles(b["edge_probs"])), "\(id) \(block) edge_probs")
            } else {
                edges = FixedEdgeHistogram.equalWidthEdges(min: sortedRef[0], max: sortedRef[sortedRef.count - 1], bins: bins)
            }
            #expect(BinnedGolden.bitwiseEqual(edges, goldenEdges), "\(id) \(block) edges \(edges) vs \(goldenEdges)")
            // Counts over the golden edges: exact integers (single updates for ref, bulk for cur).
            var hr = try FixedEdgeHistogram(innerEdges: goldenEdges)
            var hc = hr
            for v in ref { hr.update(v) }
            hc.update(contentsOf: cur)
            #expect(hr.counts.map { Int($0) } == BinnedGolden.ints(b["ref_counts"]), "\(id) \(block) ref_counts")
            #expect(hc.counts.map { Int($0) } == BinnedGolden.ints(b["cur_counts"]), "\(id) \(block) cur_counts")
            #expect(hr.total == UInt64(ref.count) && hc.total == UInt64(cur.count))
            #expect(hr.testOnly_verifyInvariants() && hc.testOnly_verifyInvariants())
            checkPSI(BinnedGolden.dict(b["psi"]), ref: hr.counts.map { Double($0) }, cur: hc.counts.map { Double($0) },
                     label: "\(id) \(block)")
            // The histogram overload agrees with the counts overload exactly.
            for smoothing in [ProportionSmoothing.none, .clip(1e-4), .evidentlyFill] {
                let fromHistograms = try PopulationStabilityIndex.psi(reference: hr, current: hc, smoothing: smoothing)
                let fromCounts = PopulationStabilityIndex.psi(reference: hr.counts.map { Double($0) },
                                                              current: hc.counts.map { Double($0) }, smoothing: smoothing)
                #expect(fromHistograms.bitPattern == fromCounts.bitPattern || (fromHistograms.isNaN && fromCounts.isNaN))
            }
        }
        checkEvidentlyScore(expected, percents: EvidentlyBinning.numericPercents(reference: ref, current: cur), id: id)
        // Evidently's automatic test choice for this pair (registry rule from the golden README).
        #expect(BinnedGolden.evidentlyDefaultNumericStattest(referenceCount: ref.count, reference: ref, current: cur)
                == expected["evidently_default_stattest"] as? String, "\(id) default stattest")
        // frouros 0.9.0 PSI (peer reference; not our convention). Tolerance: relative 1e-12 (sum over bins).
        let frouros = BinnedGolden.frourosPSI(reference: ref, current: cur)
        #expect(isClose(frouros, BinnedGolden.double(expected["frouros_psi"]), rel: 1e-12), "\(id) frouros \(frouros)")
    }

    @Test(arguments: categoricalIDs)
    func categoricalCase(id: String) throws {
        let c = try Golden.case("psi", id: id)
        let inputs = BinnedGolden.dict(c["inputs"]), expected = BinnedGolden.dict(c["expected"])
        let r = BinnedGolden.doubles(inputs["ref_counts"]), cu = BinnedGolden.doubles(inputs["cur_counts"])
        try #require(!r.isEmpty && r.count == cu.count)
        checkPSI(BinnedGolden.dict(expected["psi"]), ref: r, cur: cu, label: id)
        let counts = BinnedGolden.categoryCounts(inputs)
        let cat = EvidentlyBinning.categoricalPercents(referenceCounts: counts.ref, currentCounts: counts.cur)
        checkEvidentlyScore(expected, percents: (cat.reference, cat.current), id: id)
    }

    @Test func clipIsNotRenormalised() {
        // r = [1, 0], c = [0.5, 0.5]; clip 0.1 → r = [1, 0.1]: (0.5−1)ln(0.5) + (0.5−0.1)ln(5).
        let got = PopulationStabilityIndex.psi(reference: [4, 0], current: [1, 1], smoothing: .clip(0.1))
        let want = (0.5 - 1.0) * -0.6931471805599453 + 0.4 * 1.6094379124341003
        // Tolerance: relative 1e-14 (two terms).
        #expect(isClose(got, want, rel: 1e-14))
        #expect(PopulationStabilityIndex.psi(reference: [1, 0], current: [0, 1], smoothing: .none) == .infinity)
        #expect(PopulationStabilityIndex.psi(reference: [1, 0], current: [1, 0], smoothing: .none).isNaN)
        #expect(PopulationStabilityIndex.psi(reference: [3, 5, 2], current: [6, 10, 4]) == 0)
        // Symmetric.
        let a = PopulationStabilityIndex.psi(reference: [1, 2, 3], current: [3, 2, 1])
        #expect(a == PopulationStabilityIndex.psi(reference: [3, 2, 1], current: [1, 2, 3]) && a > 0)
    }

    @Test func histogramOverloadNeedsSameEdges() throws {
        let a = try FixedEdgeHistogram(innerEdges: [0, 1]), b = try FixedEdgeHistogram(innerEdges: [0, 2])
        #expect(throws: HistogramError.incompatibleEdges) { try PopulationStabilityIndex.psi(reference: a, current: b) }
    }

    /// The property the issue cares about: with bins frozen at the reference, PSI depends on the current
    /// window only through its bin counts, so moving current values without crossing a reference bin
    /// boundary (here: the window's extremes pushed further out, and values moved inside their bins)
    /// leaves it bit-for-bit unchanged. Evidently re-derives Sturges bins from ref ∪ cur, so the very same
    /// change moves its PSI.
    @Test func frozenBinsIgnoreMovesWithinABinButEvidentlyRebinningDoesNot() throws {
        var rng = SplitMix64(seed: 2024)
        func normal() -> Double { var s = 0.0; for _ in 0..<12 { s += rng.nextUniform() }; return s - 6 }
        let reference = (0..<4000).map { _ in normal() }
        let current = (0..<3000).map { _ in normal() * 1.1 + 0.2 }
        let histogram = try FixedEdgeHistogram(reference: reference, bins: 10)
        let edges = histogram.innerEdges

        // Same bins, different values: the extremes go far out (open outer bins), and every other value
        // moves to the middle of the gap between itself and the nearest edge above (staying in its bin).
        var moved = current
        let lowest = try #require(moved.indices.min { moved[$0] < moved[$1] })
        let highest = try #require(moved.indices.max { moved[$0] < moved[$1] })
        moved[lowest] -= 50
        moved[highest] += 50
        for k in moved.indices where k != lowest && k != highest {
            let b = histogram.bin(for: moved[k])
            if b < edges.count { moved[k] = (moved[k] + edges[b]) / 2 }
            #expect(histogram.bin(for: moved[k]) == b)
        }

        var hr = histogram, hc = histogram, hm = histogram
        hr.update(contentsOf: reference)
        hc.update(contentsOf: current)
        hm.update(contentsOf: moved)
        #expect(hc.counts == hm.counts)
        for smoothing in [ProportionSmoothing.none, .clip(1e-4), .evidentlyFill] {
            let before = try PopulationStabilityIndex.psi(reference: hr, current: hc, smoothing: smoothing)
            let after = try PopulationStabilityIndex.psi(reference: hr, current: hm, smoothing: smoothing)
            #expect(before.bitPattern == after.bitPattern, "frozen-bin PSI moved: \(before) → \(after)")
            #expect(before > 0.01)
        }

        func evidentlyPSI(_ cur: [Double]) -> Double {
            let p = EvidentlyBinning.numericPercents(reference: reference, current: cur)
            return PopulationStabilityIndex.psi(referenceProportions: EvidentlyBinning.fillZeros(p.reference),
                                                currentProportions: EvidentlyBinning.fillZeros(p.current))
        }
        let evidentlyBefore = evidentlyPSI(current), evidentlyAfter = evidentlyPSI(moved)
        // Only the two extremes moved outwards: Evidently's combined range, hence every bin edge, changes.
        var extremesOnly = current
        extremesOnly[lowest] -= 50
        extremesOnly[highest] += 50
        let evidentlyExtremes = evidentlyPSI(extremesOnly)
        #expect(Swift.abs(evidentlyAfter - evidentlyBefore) > 1e-3 * evidentlyBefore,
                "Evidently PSI \(evidentlyBefore) → \(evidentlyAfter)")
        #expect(Swift.abs(evidentlyExtremes - evidentlyBefore) > 1e-3 * evidentlyBefore,
                "Evidently PSI \(evidentlyBefore) → \(evidentlyExtremes) with only the extremes moved")
    }

    /// Guards against a silently empty parameter list (a missing fixture would make the golden test vacuous).
    @Test func goldenFileHasAllCases() {
        #expect(Self.numericIDs.count == 11)
        #expect(Self.categoricalIDs.count == 7)
    }
}
