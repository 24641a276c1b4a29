import Testing
@testable import DriftStats
import DriftTestSupport

/// wasserstein.json: scipy `wasserstein_distance`, np.std, Evidently's normed Wasserstein.
@Suite struct WassersteinTests {
    @Test(arguments: Golden.caseIDs("wasserstein"))
    func goldenCase(id: String) throws {
        let c = try Golden.case("wasserstein", id: id)
        let inputs = BinnedGolden.dict(c["inputs"]), expected = BinnedGolden.dict(c["expected"])
        let want = BinnedGolden.double(expected["wasserstein"])
        if id == "weighted_points" {
            let got = Wasserstein.distance(uValues: BinnedGolden.doubles(inputs["ref_values"]),
                                           uWeights: BinnedGolden.doubles(inputs["ref_weights"]),
                                           vValues: BinnedGolden.doubles(inputs["cur_values"]),
                                           vWeights: BinnedGolden.doubles(inputs["cur_weights"]))
            // Tolerance: relative 1e-12 (sum over intervals).
            #expect(isClose(got, want, rel: 1e-12), "\(got) vs \(want)")
            return
        }
        let ref = BinnedGolden.sample(inputs["ref"]).sorted(), cur = BinnedGolden.sample(inputs["cur"]).sorted()
        #expect(!ref.isEmpty && !cur.isEmpty)
        let w = Wasserstein.distance(sortedU: ref, sortedV: cur)
        // Tolerance: relative 1e-12 (numpy pairwise sum vs our compensated sum), abs 1e-15 for W = 0.
        #expect(isClose(w, want, rel: 1e-12, abs: 1e-15), "\(id) W1 \(w) vs \(want)")
        // Symmetric.
        #expect(isClose(Wasserstein.distance(sortedU: cur, sortedV: ref), w, rel: 1e-13, abs: 1e-15))
        // Unit weights through the weighted path agree.
        let ww = Wasserstein.distance(uValues: ref, uWeights: .init(repeating: 1, count: ref.count),
                                      vValues: cur, vWeights: .init(repeating: 1, count: cur.count))
        #expect(isClose(ww, want, rel: 1e-12, abs: 1e-15), "\(id) weighted unit \(ww)")
        let std = Wasserstein.populationStandardDeviation(ref)
        #expect(isClose(std, BinnedGolden.double(expected["ref_std_ddof0"]), rel: 1e-12, abs: 1e-15), "\(id) std \(std)")
        // evidently_norm = max(np.std(ref), 0.001). Tolerance: relative 1e-12.
        #expect(isClose(Swift.max(std, 0.001), BinnedGolden.double(expected["evidently_norm"]), rel: 1e-12), "\(id) norm")
        let ev = BinnedGolden.dict(expected["evidently"])
        #expect(ev["stattest"] as? String == "wasserstein" && BinnedGolden.double(ev["threshold"]) == 0.1)
        #expect(BinnedGolden.evidentlyDefaultNumericStattest(referenceCount: ref.count, reference: ref, current: cur)
                == expected["evidently_default_stattest"] as? String, "\(id) default stattest")
        let score = Wasserstein.normed(sortedReference: ref, sortedCurrent: cur)
        #expect(isClose(score, BinnedGolden.double(ev["drift_score"]), rel: 1e-12, abs: 1e-15), "\(id) normed \(score)")
        #expect((score >= 0.1) == (ev["drifted"] as? Bool))
    }

    @Test func weightedValidationAndUnsortedInput() {
        // Unsorted values with weights: u = {0: 1, 2: 3} (CDF ¼ on [0, 2)), v = {1: 1} (CDF 1 on [1, ∞)).
        // ∫|F_u − F_v| = ¼·1 (on [0,1)) + ¾·1 (on [1,2)) = 1.
        #expect(Wasserstein.distance(uValues: [2, 0], uWeights: [3, 1], vValues: [1], vWeights: [5]) == 1)
        #expect(Wasserstein.distance(uValues: [0], uWeights: [-1], vValues: [1], vWeights: [1]).isNaN)
        #expect(Wasserstein.distance(uValues: [0], uWeights: [0], vValues: [1], vWeights: [1]).isNaN)
        #expect(Wasserstein.distance(uValues: [.nan], uWeights: [1], vValues: [1], vWeights: [1]).isNaN)
        #expect(Wasserstein.distance(uValues: [], uWeights: [], vValues: [1], vWeights: [1]).isNaN)
    }

    @Test func normedUsesTheStandardDeviationFloor() {
        // Constant reference: std 0 → norm 0.001, W = 1 → 1000.
        #expect(Wasserstein.normed(sortedReference: [5, 5, 5], sortedCurrent: [6, 6]) == 1000)
        // std([0, 2]) = 1 → normed = W.
        #expect(Wasserstein.normed(sortedReference: [0, 2], sortedCurrent: [1, 3]) == 1)
    }

    @Test func handValues() {
        #expect(Wasserstein.distance(sortedU: [0, 1, 2], sortedV: [2, 3, 4]) == 2)
        #expect(Wasserstein.distance(sortedU: [0], sortedV: [0]) == 0)
        #expect(Wasserstein.distance(sortedU: [], sortedV: [1]).isNaN)
        // Point mass at 0 vs masses ½ at 0 and ½ at 1: W = ½.
        #expect(Wasserstein.distance(sortedU: [0, 0], sortedV: [0, 1]) == 0.5)
    }

    /// Guards against a silently empty parameter list (a missing fixture would make the golden test vacuous).
    @Test func goldenFileHasAllCases() {
        #expect(Golden.caseIDs("wasserstein").count == 16)
    }
}
