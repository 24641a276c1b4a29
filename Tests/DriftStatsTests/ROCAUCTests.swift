import Testing
@testable import DriftStats
import DriftTestSupport

@Suite struct ROCAUCTests {
    /// The O(n²) definition: the share of positive/negative pairs ranked correctly, ties counting ½.
    static func bruteForce(scores: [Double], labels: [Bool]) -> Double? {
        var credit = 0.0
        var pairs = 0.0
        for i in scores.indices where labels[i] {
            for j in scores.indices where !labels[j] {
                pairs += 1
                if scores[i] > scores[j] { credit += 1 } else if scores[i] == scores[j] { credit += 0.5 }
            }
        }
        return pairs > 0 ? credit / pairs : nil
    }

    // MARK: Golden (scikit-learn 1.9.1 roc_auc_score)

    @Test(arguments: Golden.caseIDs("metrics"))
    func matchesGoldenAtRelative1e12(id: String) throws {
        let golden = try MetricsGoldenCase(id: id)
        guard let probabilities = golden.probabilities else {
            #expect(golden.expected["roc_auc"] == nil && golden.expected["roc_auc_ovr_macro"] == nil)
            return
        }
        // Tolerance: relative 1e-12 (README; the exact trapezoid sum differs from sklearn only by rounding).
        if let expected = golden.expected["roc_auc"] {
            let auc = try #require(
                ROCAUC.binary(scores: probabilities.map { $0[1] }, labels: golden.trueLabels.map { $0 == 1 }))
            #expect(isClose(auc, try #require(GoldenJSON.double(expected)), rel: 1e-12), "\(id): \(auc)")
        } else {
            for (key, average) in [("roc_auc_ovr_macro", ROCAUC.Average.macro), ("roc_auc_ovr_weighted", .weighted)] {
                let value = ROCAUC.oneVsRest(
                    probabilities: probabilities, labels: golden.trueLabels, classCount: golden.labelCount,
                    average: average)
                let expected = golden.expected[key]
                if expected == nil || expected is GoldenJSONParser.Null {
                    // sklearn raises (a label absent from y_true): the golden file says so explicitly.
                    #expect(golden.expected["roc_auc_ovr_error"] is String, "\(id)")
                    #expect(value == nil, "\(id) \(key)")
                } else {
                    let want = try #require(GoldenJSON.double(expected))
                    let got = try #require(value, "\(id) \(key)")
                    #expect(isClose(got, want, rel: 1e-12), "\(id) \(key): \(got) vs \(want)")
                }
            }
        }
    }

    // MARK: Hand cases and properties

    @Test func handCasesIncludingTies() throws {
        // scikit-learn's documented example.
        #expect(ROCAUC.binary(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true]) == 0.75)
        // All tied: every pair gets ½.
        #expect(ROCAUC.binary(scores: [0.3, 0.3, 0.3], labels: [true, false, true]) == 0.5)
        // Perfect and reversed rankings.
        #expect(ROCAUC.binary(scores: [0.9, 0.8, 0.2, 0.1], labels: [true, true, false, false]) == 1)
        #expect(ROCAUC.binary(scores: [0.1, 0.2, 0.8, 0.9], labels: [true, true, false, false]) == 0)
        // One tie among 2×2 pairs: (1 + 1 + ½ + 1)/4 = 0.875; ±infinity are valid scores.
        #expect(ROCAUC.binary(scores: [.infinity, 0.5, 0.5, -.infinity], labels: [true, true, false, false]) == 0.875)
    }

    @Test func undefinedCasesReturnNil() {
        #expect(ROCAUC.binary(scores: [], labels: []) == nil)
        #expect(ROCAUC.binary(scores: [0.1, 0.2], labels: [true, true]) == nil)
        #expect(ROCAUC.binary(scores: [0.1, 0.2], labels: [false, false]) == nil)
        #expect(ROCAUC.binary(scores: [0.1], labels: [true, false]) == nil)
        #expect(ROCAUC.binary(scores: [0.1, .nan], labels: [true, false]) == nil)
        let rows: [[Double]] = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.5, 0.25, 0.25]]
        #expect(ROCAUC.oneVsRest(probabilities: rows, labels: [0, 1, 2, 0], classCount: 3, average: .macro) != nil)
        // A class absent from the labels (sklearn raises).
        #expect(ROCAUC.oneVsRest(probabilities: rows, labels: [0, 1, 1, 0], classCount: 3, average: .macro) == nil)
        // Label out of range, ragged row, count mismatch, rows not summing to 1, NaN, too few classes.
        #expect(ROCAUC.oneVsRest(probabilities: rows, labels: [0, 1, 3, 2], classCount: 3, average: .macro) == nil)
        #expect(ROCAUC.oneVsRest(
            probabilities: [[0.7, 0.3], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]], labels: [0, 1, 2], classCount: 3,
            average: .macro) == nil)
        #expect(ROCAUC.oneVsRest(probabilities: rows, labels: [0, 1, 2], classCount: 3, average: .macro) == nil)
        #expect(ROCAUC.oneVsRest(
            probabilities: [[0.7, 0.2, 0.2], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]], labels: [0, 1, 2], classCount: 3,
            average: .macro) == nil)
        #expect(ROCAUC.oneVsRest(
            probabilities: [[.nan, 0.5, 0.5], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]], labels: [0, 1, 2], classCount: 3,
            average: .weighted) == nil)
        #expect(ROCAUC.oneVsRest(probabilities: [[1], [1]], labels: [0, 0], classCount: 1, average: .macro) == nil)
    }

    @Test func binaryMatchesPairwiseDefinitionOnRandomTiedData() throws {
        var rng = SplitMix64(seed: 2024)
        for trial in 0..<30 {
            let n = 20 + trial * 7
            // Scores on a coarse grid force many ties; labels correlated with the score.
            let scores = (0..<n).map { _ in Double(rng.nextBounded(12)) / 11 }
            let labels = scores.map { rng.nextUniform() < 0.25 + 0.5 * $0 }
            let expected = Self.bruteForce(scores: scores, labels: labels)
            let auc = ROCAUC.binary(scores: scores, labels: labels)
            #expect((expected == nil) == (auc == nil))
            if let expected, let auc {
                // Tolerance: relative 1e-12 (both are exact rationals up to the final division).
                #expect(isClose(auc, expected, rel: 1e-12), "trial \(trial)")
                // Flipping the labels gives 1 − AUC; a strictly increasing transform changes nothing.
                let flipped = try #require(ROCAUC.binary(scores: scores, labels: labels.map { !$0 }))
                #expect(isClose(flipped, 1 - auc, rel: 1e-12, abs: 1e-15))
                let transformed = try #require(ROCAUC.binary(scores: scores.map { 3 * $0 * $0 * $0 - 7 }, labels: labels))
                #expect(transformed == auc)
            }
        }
    }

    @Test func oneVsRestAveragesPerClassBinaryAUCs() throws {
        var rng = SplitMix64(seed: 99)
        let n = 300, k = 4
        var rows = [[Double]]()
        var labels = [Int]()
        for _ in 0..<n {
            let label = Int(rng.nextBounded(UInt64(k)))
            var row = (0..<k).map { _ in rng.nextUniform() }
            row[label] += 0.8
            let sum = row.reduce(0, +)
            rows.append(row.map { $0 / sum })
            labels.append(label)
        }
        var perClass = [Double]()
        var support = [Double]()
        for c in 0..<k {
            perClass.append(try #require(ROCAUC.binary(scores: rows.map { $0[c] }, labels: labels.map { $0 == c })))
            support.append(Double(labels.filter { $0 == c }.count))
        }
        let macro = try #require(ROCAUC.oneVsRest(probabilities: rows, labels: labels, classCount: k, average: .macro))
        let weighted = try #require(
            ROCAUC.oneVsRest(probabilities: rows, labels: labels, classCount: k, average: .weighted))
        #expect(isClose(macro, perClass.reduce(0, +) / Double(k), rel: 1e-12))
        let weightedExpected = zip(perClass, support).map { $0 * $1 }.reduce(0, +) / Double(n)
        #expect(isClose(weighted, weightedExpected, rel: 1e-12))
    }
}
