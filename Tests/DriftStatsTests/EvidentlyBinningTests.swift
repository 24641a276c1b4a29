import Testing
@testable import DriftStats
import DriftTestSupport

/// Evidently 0.7.23 `get_binned_data` / `feel_zeroes`: every `evidently_bins` block of psi.json and
/// js_kl.json, plus hand cases for numpy's Sturges edges and histogram rules.
@Suite struct EvidentlyBinningTests {
    /// (file, id) of every case with an `evidently_bins` block.
    static let binnedCases: [String] =
        Golden.caseIDs("psi").map { "psi/\($0)" } + Golden.caseIDs("js_kl").filter { !$0.hasPrefix("hist_") && !$0.hasPrefix("cat_") }.map { "js_kl/\($0)" }

    @Test(arguments: binnedCases)
    func goldenIntermediates(key: String) throws {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        let c = try Golden.case(parts[0], id: parts[1])
        let inputs = BinnedGolden.dict(c["inputs"]), expected = BinnedGolden.dict(c["expected"])
        let bins = BinnedGolden.dict(expected["evidently_bins"])
        try #require(!bins.isEmpty, "\(key) has no evidently_bins")
        let path = bins["path"] as? String
        let reference: [Double], current: [Double]
        if parts[1].hasPrefix("cat_") {
            let counts = BinnedGolden.categoryCounts(inputs)
            let cat = EvidentlyBinning.categoricalPercents(referenceCounts: counts.ref, currentCounts: counts.cur)
            #expect(path == "value_counts")
            #expect(cat.keys == bins["keys_sorted"] as? [String], "\(key) keys")
            #expect(counts.ref.count == GoldenJSON.int(bins["n_unique_ref"]))
            (reference, current) = (cat.reference, cat.current)
        } else {
            let ref = BinnedGolden.sample(inputs["ref"]), cur = BinnedGolden.sample(inputs["cur"])
            let result = EvidentlyBinning.numericBins(reference: ref, current: cur)
            #expect(result.referenceDistinctCount == GoldenJSON.int(bins["n_unique_ref"]), "\(key) n_unique_ref")
            switch result.path {
            case .sturges(let edges):
                #expect(path == "numeric_sturges", "\(key) path")
                // Edges: exact (bitwise) — numpy's linspace formula; n_bins is an integer.
                #expect(BinnedGolden.bitwiseEqual(edges, BinnedGolden.doubles(bins["sturges_edges"])), "\(key) sturges edges")
                #expect(edges.count - 1 == GoldenJSON.int(bins["n_bins"]), "\(key) n_bins")
                #expect(BinnedGolden.bitwiseEqual(EvidentlyBinning.sturgesEdges(ref + cur), edges))
            case .valueCounts(let keys):
                #expect(path == "value_counts", "\(key) path")
                #expect(BinnedGolden.bitwiseEqual(keys, BinnedGolden.doubles(bins["keys_sorted"])), "\(key) keys")
            }
            let percents = EvidentlyBinning.numericPercents(reference: ref, current: cur)
            #expect(percents.reference == result.reference && percents.current == result.current)
            (reference, current) = (result.reference, result.current)
        }
        // Percents are count / len: exact (bitwise).
        #expect(BinnedGolden.bitwiseEqual(reference, BinnedGolden.doubles(bins["ref_percents_raw"])), "\(key) ref raw")
        #expect(BinnedGolden.bitwiseEqual(current, BinnedGolden.doubles(bins["cur_percents_raw"])), "\(key) cur raw")
        // The fill is one division by 1e6 or the constant 1e-4: exact (bitwise).
        #expect(BinnedGolden.bitwiseEqual(EvidentlyBinning.fillZeros(reference), BinnedGolden.doubles(bins["ref_percents_filled"])), "\(key) ref filled")
        #expect(BinnedGolden.bitwiseEqual(EvidentlyBinning.fillZeros(current), BinnedGolden.doubles(bins["cur_percents_filled"])), "\(key) cur filled")
    }

    @Test func fillZerosRule() {
        // min non-zero > 1e-4 → zeros become 1e-4; others untouched; no renormalisation.
        #expect(EvidentlyBinning.fillZeros([0.5, 0, 0.5]) == [0.5, 1e-4, 0.5])
        // min non-zero ≤ 1e-4 → zeros become min/1e6 (exactly one division).
        let tinyFill: Double = 1e-4 / 1e6, tinierFill: Double = 5e-5 / 1e6
        #expect(EvidentlyBinning.fillZeros([1e-4, 0, 0.9999]) == [1e-4, tinyFill, 0.9999])
        #expect(EvidentlyBinning.fillZeros([5e-5, 0]) == [5e-5, tinierFill])
        #expect(EvidentlyBinning.fillZeros([0, 0]) == [0, 0])
        #expect(EvidentlyBinning.fillZeros([]) == [])
        #expect(ProportionSmoothing.evidentlyFill.apply([0.25, 0, 0.75]) == [0.25, 1e-4, 0.75])
    }

    @Test func sturgesEdgesFollowNumpy() {
        // numpy: np.histogram_bin_edges(np.arange(10.0), 'sturges') → width 9/(log2 10 + 1) → 5 bins.
        #expect(EvidentlyBinning.sturgesEdges((0..<10).map(Double.init)) == [0, 1.8, 3.6, 5.4, 7.2, 9])
        // Constant data: one bin, range widened by ±0.5.
        #expect(EvidentlyBinning.sturgesEdges([3, 3, 3]) == [2.5, 3.5])
        // Non-finite values are ignored; nothing finite → numpy's empty-range edges.
        let inner: [Double] = (1..<9).map { Double($0) }
        let junk: [Double] = [.nan, 0, 9, .infinity]
        let tenEdges: [Double] = [0, 1.8, 3.6, 5.4, 7.2, 9]
        #expect(EvidentlyBinning.sturgesEdges(junk + inner) == tenEdges)
        #expect(EvidentlyBinning.sturgesEdges([.nan]) == [0, 1])
        #expect(EvidentlyBinning.histogramEdges(min: 0, max: 1, bins: 4) == [0, 0.25, 0.5, 0.75, 1])
    }

    @Test func histogramLastBinIsClosed() {
        let edges: [Double] = [0, 1, 2, 3]
        // 3 is in the last bin; -1 and 3.5 are outside (not counted) but still in len(x).
        let p = EvidentlyBinning.histogramPercents([-1, 0, 0.5, 1, 2.999, 3, 3.5, .nan], edges: edges)
        let want: [Double] = [0.25, 0.125, 0.25]
        #expect(p == want)
    }

    @Test func pathDependsOnReferenceDistinctCount() {
        // 20 distinct reference values → value counts over ref ∪ cur (sorted keys).
        let ref20 = (0..<40).map { Double($0 % 20) }
        let small = EvidentlyBinning.numericBins(reference: ref20, current: [25, 0, 0, -1])
        let twenty: [Double] = (0..<20).map { Double($0) }
        let expectedKeys: [Double] = [-1] + twenty + [25]
        #expect(small.path == .valueCounts(keys: expectedKeys))
        #expect(small.referenceDistinctCount == 20)
        #expect(small.reference.first == 0 && small.reference[1] == 2.0 / 40 && small.reference.last == 0)
        var expectedCurrent = [Double](repeating: 0, count: 22)
        expectedCurrent[0] = 0.25
        expectedCurrent[1] = 0.5
        expectedCurrent[21] = 0.25
        #expect(small.current == expectedCurrent)
        // 21 distinct → Sturges over the combined range (the current window's values widen it).
        let ref21: [Double] = (0..<21).map { Double($0) }
        let large = EvidentlyBinning.numericBins(reference: ref21, current: [-10, 30])
        guard case .sturges(let edges) = large.path else {
            Issue.record("expected the Sturges path")
            return
        }
        #expect(edges.first == -10 && edges.last == 30)
        let combined: [Double] = ref21 + [-10, 30]
        #expect(EvidentlyBinning.sturgesEdges(combined) == edges)
        #expect(abs(large.reference.reduce(0, +) - 1) < 1e-12)
        // NaN and ±∞ are dropped before anything else (lengths too).
        let refJunk: [Double] = ref21 + [.nan, .infinity]
        let withJunk = EvidentlyBinning.numericBins(reference: refJunk, current: [-10, 30, -.infinity])
        #expect(withJunk == large)
    }

    @Test func categoricalKeysAreTheSeenCategories() {
        let p = EvidentlyBinning.categoricalPercents(referenceCounts: ["b": 3, "a": 1, "never": 0], currentCounts: ["c": 2, "a": 2])
        #expect(p.keys == ["a", "b", "c"])
        #expect(p.reference == [0.25, 0.75, 0])
        #expect(p.current == [0.5, 0, 0.5])
    }

    /// Guards against a silently empty parameter list.
    @Test func goldenFilesHaveAllCases() {
        #expect(Self.binnedCases.count == 18 + 11)
    }
}
