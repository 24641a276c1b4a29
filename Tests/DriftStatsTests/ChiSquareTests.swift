import Testing
@testable import DriftStats
import DriftTestSupport

/// Chi-square tests against `chi2.json` (scipy 1.17.1 `chisquare` / `chi2_contingency`, Evidently 0.7.23).
/// Tolerances from the file's `tolerance_hint`: statistic relative 1e-12, p-value relative 1e-9 (absolute
/// 1e-300 near 0).
@Suite struct ChiSquareTests {
    static let caseIDs = Golden.caseIDs("chi2")

    static func counts(_ c: [String: Any]) throws -> (ref: [Double], cur: [Double]) {
        let inputs = try #require(c["inputs"] as? [String: Any])
        if let ref = GoldenJSON.doubles(inputs["ref_counts"]), let cur = GoldenJSON.doubles(inputs["cur_counts"]) {
            return (ref, cur)
        }
        let k = try #require(inputs["categories"] as? [Any]).count
        let refSample = try #require(GoldenJSON.sample(inputs["ref"]))
        let curSample = try #require(GoldenJSON.sample(inputs["cur"]))
        var ref = [Double](repeating: 0, count: k)
        var cur = [Double](repeating: 0, count: k)
        for x in refSample { ref[Int(x)] += 1 }
        for x in curSample { cur[Int(x)] += 1 }
        return (ref, cur)
    }

    func check(_ result: ChiSquare.Result, _ expected: Any?, _ label: String) throws {
        let e = try #require(expected as? [String: Any], "\(label)")
        let statistic = try #require(GoldenJSON.double(e["statistic"]))
        let p = try #require(GoldenJSON.double(e["pvalue"]))
        #expect(isClose(result.statistic, statistic, rel: 1e-12), "\(label) statistic \(result.statistic) vs \(statistic)")
        #expect(isClose(result.pValue, p, rel: 1e-9, abs: 1e-300), "\(label) p \(result.pValue) vs \(p)")
        if let dof = GoldenJSON.int(e["dof"]) { #expect(result.degreesOfFreedom == dof, "\(label) dof") }
    }

    @Test func goldenFileHasAllCases() {
        #expect(Self.caseIDs.count == 10)
    }

    @Test(arguments: caseIDs)
    func goldenCase(_ id: String) throws {
        let c = try Golden.case("chi2", id: id)
        let e = try #require(c["expected"] as? [String: Any])
        let (ref, cur) = try Self.counts(c)

        let fExp = ChiSquare.expectedCounts(referenceCounts: ref, currentTotal: cur.reduce(0, +))
        let goldenFExp = try #require(GoldenJSON.doubles(e["f_exp"]))
        #expect(zip(fExp, goldenFExp).allSatisfy { isClose($0, $1, rel: 1e-12) }, "\(id) f_exp")

        try check(ChiSquare.againstReference(referenceCounts: ref, currentCounts: cur), e["chisquare_gof"], "\(id) gof")
        if e["chisquare_gof_seen_only"] != nil {
            try check(ChiSquare.againstReference(referenceCounts: ref, currentCounts: cur, seenOnly: true),
                      e["chisquare_gof_seen_only"], "\(id) seen only")
        }

        let contingency = ChiSquare.contingency([ref, cur])
        try check(contingency.result, e["chi2_contingency"], "\(id) contingency")
        let expectedFrequencies = try #require((e["chi2_contingency"] as? [String: Any])?["expected_freq"] as? [Any])
        for (row, goldenRow) in zip(contingency.expected, expectedFrequencies) {
            let golden = try #require(GoldenJSON.doubles(goldenRow))
            #expect(row.count == golden.count && zip(row, golden).allSatisfy { isClose($0, $1, rel: 1e-12) }, "\(id) expected_freq")
        }
        if let noCorrection = (e["chi2_contingency"] as? [String: Any])?["no_correction"] {
            try check(ChiSquare.contingency([ref, cur], correction: false).result, noCorrection, "\(id) no correction")
        }

        // Evidently's chisquare test: drift score = gof p-value, drifted iff p < 0.05.
        let evidently = try #require(e["evidently_chisquare"] as? [String: Any])
        let gof = ChiSquare.againstReference(referenceCounts: ref, currentCounts: cur)
        #expect(isClose(gof.pValue, try #require(GoldenJSON.double(evidently["drift_score"])), rel: 1e-9, abs: 1e-300))
        #expect((gof.pValue < 0.05) == (evidently["drifted"] as? Bool), "\(id) evidently decision")

        if let z = e["evidently_z"] as? [String: Any] {
            let r = TwoProportionZTest.test(referenceHits: ref[0], referenceTotal: ref.reduce(0, +),
                                            currentHits: cur[0], currentTotal: cur.reduce(0, +))
            #expect(isClose(r.pValue, try #require(GoldenJSON.double(z["drift_score"])), rel: 1e-9), "\(id) z \(r.pValue)")
            #expect((r.pValue < 0.05) == (z["drifted"] as? Bool))
        }
    }

    @Test func chiSquareSurvivalKnownValues() {
        // chi2.sf(3.841458820694124, 1) = 0.05 (the 95 % critical value); tolerance 1e-12 relative.
        #expect(isClose(SpecialFunctions.chiSquareSurvival(3.841458820694124, degreesOfFreedom: 1), 0.05, rel: 1e-12))
        #expect(SpecialFunctions.chiSquareSurvival(0, degreesOfFreedom: 3) == 1)
    }
}
