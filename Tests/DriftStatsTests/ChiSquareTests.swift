import Testing
@testable import DriftStats
import DriftTestSupport

/// Chi-square tests and Evidently's z-test against `Fixtures/golden/chi2.json` (scipy 1.17.1
/// `chisquare` / `chi2_contingency`, Evidently 0.7.23 `chi_stat_test` / `z_stat_test`).
///
/// Tolerances (chi2.json `conventions.tolerance_hint`): statistic and expected frequencies relative
/// 1e-12; p-values relative 1e-9 with absolute 1e-300 near 0; degrees of freedom and drift decisions
/// exact. Evidently computes `f_exp = ref·(n_cur/n_ref)` and sums in Python-set order, so its scores
/// differ from scipy's in the last digits — still far inside 1e-9.
@Suite struct ChiSquareTests {
    nonisolated(unsafe) static let cases: [[String: Any]] = (try? Golden.cases("chi2")) ?? []
    static let caseIDs: [String] = cases.compactMap { $0["id"] as? String }

    static let statisticTolerance = 1e-12
    static let pValueTolerance = 1e-9

    static func check(_ result: ChiSquare.Result, _ expected: [String: Any], _ label: String) throws {
        let statistic = try #require(GoldenJSON.double(expected["statistic"]))
        let p = try #require(GoldenJSON.double(expected["pvalue"]))
        #expect(isClose(result.statistic, statistic, rel: statisticTolerance), "\(label) statistic \(result.statistic) vs \(statistic)")
        #expect(isClose(result.pValue, p, rel: pValueTolerance, abs: 1e-300), "\(label) p \(result.pValue) vs \(p)")
        if let dof = GoldenJSON.int(expected["dof"]) {
            #expect(result.degreesOfFreedom == dof, "\(label) dof")
        }
    }

    @Test func goldenFileHasAllCases() {
        #expect(Self.caseIDs.count == 10)
    }

    @Test(arguments: caseIDs)
    func goldenCase(_ id: String) throws {
        let testCase = try #require(Self.cases.first { $0["id"] as? String == id })
        let inputs = try #require(testCase["inputs"] as? [String: Any])
        let expected = try #require(testCase["expected"] as? [String: Any])
        let reference = try #require(GoldenJSON.doubles(inputs["ref_counts"]))
        let current = try #require(GoldenJSON.doubles(inputs["cur_counts"]))

        // Generated inputs: the stated counts are the category counts of the regenerated samples.
        for (sampleKey, counts) in [("ref", reference), ("cur", current)] {
            guard let spec = inputs[sampleKey] as? [String: Any] else { continue }
            let sample = try #require(GoldenJSON.sample(spec))
            var tally = [Double](repeating: 0, count: counts.count)
            for value in sample { tally[Int(value)] += 1 }
            #expect(tally == counts, "\(id) \(sampleKey) counts")
        }

        // f_exp = (ref / n_ref) * n_cur
        let fExp = try #require(GoldenJSON.doubles(expected["f_exp"]))
        let computed = ChiSquare.expectedCounts(referenceCounts: reference, currentCounts: current)
        #expect(computed.count == fExp.count)
        for (x, y) in zip(computed, fExp) {
            #expect(isClose(x, y, rel: Self.statisticTolerance), "\(id) f_exp \(x) vs \(y)")
        }

        // chisquare over the union of categories (categories here are all present in ref or cur).
        let gof = try #require(expected["chisquare_gof"] as? [String: Any])
        try Self.check(ChiSquare.againstReference(referenceCounts: reference, currentCounts: current), gof, "\(id) gof")
        try Self.check(ChiSquare.goodnessOfFit(observed: current, expected: fExp), gof, "\(id) gof direct")

        if let seenOnly = expected["chisquare_gof_seen_only"] as? [String: Any] {
            try Self.check(
                ChiSquare.againstReference(referenceCounts: reference, currentCounts: current, seenOnly: true),
                seenOnly, "\(id) seen only")
        }

        // chi2_contingency on the 2×K table (zero columns dropped), expected frequencies included.
        let contingencyExpected = try #require(expected["chi2_contingency"] as? [String: Any])
        let (contingency, frequencies) = ChiSquare.contingency([reference, current])
        try Self.check(contingency, contingencyExpected, "\(id) contingency")
        let expectedFrequencies = try #require(contingencyExpected["expected_freq"] as? [Any]).compactMap(GoldenJSON.doubles)
        #expect(frequencies.count == expectedFrequencies.count)
        for (row, goldenRow) in zip(frequencies, expectedFrequencies) {
            #expect(row.count == goldenRow.count)
            for (x, y) in zip(row, goldenRow) {
                #expect(isClose(x, y, rel: Self.statisticTolerance), "\(id) expected_freq \(x) vs \(y)")
            }
        }
        if let noCorrection = contingencyExpected["no_correction"] as? [String: Any] {
            let (uncorrected, _) = ChiSquare.contingency([reference, current], correction: false)
            try Self.check(uncorrected, noCorrection, "\(id) contingency without Yates")
        }

        // Evidently chisquare: drift_score = p-value, drifted iff p < 0.05.
        let evidently = try #require(expected["evidently_chisquare"] as? [String: Any])
        let score = try #require(GoldenJSON.double(evidently["drift_score"]))
        let threshold = try #require(GoldenJSON.double(evidently["threshold"]))
        let p = ChiSquare.againstReference(referenceCounts: reference, currentCounts: current).pValue
        #expect(isClose(p, score, rel: Self.pValueTolerance, abs: 1e-300), "\(id) evidently chisquare score")
        #expect((p < threshold) == (evidently["drifted"] as? Bool), "\(id) evidently chisquare decision")

        // Evidently z-test (two categories).
        if let z = expected["evidently_z"] as? [String: Any] {
            let zScore = try #require(GoldenJSON.double(z["drift_score"]))
            let zThreshold = try #require(GoldenJSON.double(z["threshold"]))
            let result = TwoProportionZTest.evidently(referenceCounts: reference, currentCounts: current)
            #expect(isClose(result.pValue, zScore, rel: Self.pValueTolerance, abs: 1e-300), "\(id) z score \(result.pValue) vs \(zScore)")
            #expect((result.pValue < zThreshold) == (z["drifted"] as? Bool), "\(id) z decision")
            // z² equals the uncorrected 2×2 contingency statistic.
            let (uncorrected, _) = ChiSquare.contingency([reference, current], correction: false)
            #expect(isClose(result.statistic * result.statistic, uncorrected.statistic, rel: 1e-12))
        }
    }

    @Test func unseenCategoryGivesInfiniteStatistic() {
        let r = ChiSquare.againstReference(referenceCounts: [10, 0], currentCounts: [5, 5])
        #expect(r.statistic == .infinity && r.pValue == 0 && r.degreesOfFreedom == 1)
        // Categories absent from both samples are not part of the union.
        let s = ChiSquare.againstReference(referenceCounts: [10, 0, 5], currentCounts: [5, 0, 10])
        #expect(s.degreesOfFreedom == 1)
    }

    @Test func contingencyEdgeCases() {
        // A single non-empty column: dof 0 → statistic 0, p 1 (scipy's degenerate case).
        let (single, expected) = ChiSquare.contingency([[3, 0], [5, 0]])
        #expect(single == ChiSquare.Result(statistic: 0, pValue: 1, degreesOfFreedom: 0))
        #expect(expected == [[3], [5]])
        // Yates never over-corrects: |o − e| < ½ moves o exactly onto e.
        let (tiny, _) = ChiSquare.contingency([[10, 10], [10, 11]])
        #expect(tiny.statistic == 0 && tiny.pValue == 1 && tiny.degreesOfFreedom == 1)
    }

    @Test func zTestConstantSamples() {
        #expect(TwoProportionZTest.evidently(referenceCounts: [0, 7], currentCounts: [0, 3]).pValue == 1)
        let r = TwoProportionZTest.evidently(referenceCounts: [7, 0], currentCounts: [0, 3])
        #expect(r.pValue < 0.05)
    }
}
