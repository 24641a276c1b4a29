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
        let ev = BinnedGolden.dict(expected["evidently"])
        let score = Wasserstein.normed(sortedReference: ref, sortedCurrent: cur)
        #expect(isClose(score, BinnedGolden.double(ev["drift_score"]), rel: 1e-12, abs: 1e-15), "\(id) normed \(score)")
        #expect((score >= 0.1) == (ev["drifted"] as? Bool))
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
