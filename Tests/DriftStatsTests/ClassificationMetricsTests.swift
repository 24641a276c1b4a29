import Foundation
import Testing
@testable import DriftStats
import DriftTestSupport

/// Golden classification inputs: labels mapped to their index in the case's explicit `labels` list.
struct MetricsGoldenCase {
    let expected: [String: Any]
    let labelCount: Int
    let trueLabels: [Int]
    let predicted: [Int]
    /// Rows aligned with `labels` (nil when the case has no probabilities).
    let probabilities: [[Double]]?

    init(id: String) throws {
        let golden = try Golden.case("metrics", id: id)
        let inputs = try #require(golden["inputs"] as? [String: Any])
        expected = try #require(golden["expected"] as? [String: Any])
        let labels = try #require(inputs["labels"] as? [Any]).compactMap(GoldenJSON.int)
        labelCount = labels.count
        func index(_ value: Any) -> Int { GoldenJSON.int(value).flatMap { labels.firstIndex(of: $0) } ?? -1 }
        trueLabels = try #require(inputs["y_true"] as? [Any]).map(index)
        predicted = try #require(inputs["y_pred"] as? [Any]).map(index)
        if let rows = inputs["proba"] as? [Any] {
            probabilities = try rows.map { try #require(GoldenJSON.doubles($0)) }
        } else {
            probabilities = nil
        }
    }

    func double(_ key: String) throws -> Double { try #require(GoldenJSON.double(expected[key]), "\(key)") }
}

@Suite struct ClassificationMetricsTests {
    // MARK: Golden (scikit-learn 1.9.1, zero_division = 0)

    @Test(arguments: Golden.caseIDs("metrics"))
    func confusionMatrixMatchesGolden(id: String) throws {
        let golden = try MetricsGoldenCase(id: id)
        let matrix = ConfusionMatrix(
            trueLabels: golden.trueLabels, predicted: golden.predicted, labelCount: golden.labelCount)
        let expected = try #require(golden.expected["confusion_matrix"] as? [Any]).map {
            try #require($0 as? [Any]).compactMap { GoldenJSON.uint64($0) }
        }
        // Tolerance: exact (integer counts).
        #expect(matrix.counts == expected, "\(id)")
        #expect(matrix.total == UInt64(golden.trueLabels.count))
        #expect(matrix.outOfRangeCount == 0)
        #expect(matrix.testOnly_verifyInvariants())
    }

    @Test(arguments: Golden.caseIDs("metrics"))
    func reportMatchesGoldenAtRelative1e12(id: String) throws {
        let golden = try MetricsGoldenCase(id: id)
        let report = ClassificationReport(
            confusion: ConfusionMatrix(
                trueLabels: golden.trueLabels, predicted: golden.predicted, labelCount: golden.labelCount))
        // Tolerance: relative 1e-12 (README conventions.tolerance_hint for metrics.json).
        let rel = 1e-12
        #expect(isClose(report.accuracy, try golden.double("accuracy"), rel: rel), "\(id) accuracy")
        let averages: [(String, ClassificationReport.Averages)] = [
            ("macro", report.macro), ("weighted", report.weighted), ("micro", report.micro),
        ]
        for (name, average) in averages {
            #expect(isClose(average.precision, try golden.double("precision_\(name)"), rel: rel), "\(id) P \(name)")
            #expect(isClose(average.recall, try golden.double("recall_\(name)"), rel: rel), "\(id) R \(name)")
            #expect(isClose(average.f1, try golden.double("f1_\(name)"), rel: rel), "\(id) F1 \(name)")
        }
        let perClass = try #require(golden.expected["per_class"] as? [String: Any])
        let perClassValues: [(String, [Double])] = [
            ("precision", report.precision), ("recall", report.recall), ("f1", report.f1),
        ]
        for (name, values) in perClassValues {
            let expected = try #require(GoldenJSON.doubles(perClass[name]))
            #expect(values.count == expected.count)
            for (value, want) in zip(values, expected) {
                #expect(isClose(value, want, rel: rel), "\(id) \(name) \(value) vs \(want)")
            }
        }
        let support = try #require(perClass["support"] as? [Any]).compactMap { GoldenJSON.uint64($0) }
        #expect(report.support == support, "\(id) support")
    }

    @Test(arguments: Golden.caseIDs("metrics"))
    func logLossMatchesGoldenAtRelative1e12(id: String) throws {
        let golden = try MetricsGoldenCase(id: id)
        guard let probabilities = golden.probabilities else {
            #expect(golden.expected["log_loss"] == nil)
            return
        }
        let value = LogLoss.compute(probabilities: probabilities, labels: golden.trueLabels)
        // Tolerance: relative 1e-12 (README; the only differences are ulps of log and of numpy's pairwise sum).
        #expect(isClose(value, try golden.double("log_loss"), rel: 1e-12), "\(id): \(value)")
    }

    // MARK: Confusion matrix

    @Test func mergeOfShardsEqualsWholeStream() throws {
        let golden = try MetricsGoldenCase(id: "multiclass5_1000")
        let whole = ConfusionMatrix(
            trueLabels: golden.trueLabels, predicted: golden.predicted, labelCount: golden.labelCount)
        var merged = ConfusionMatrix(labelCount: golden.labelCount)
        for shard in stride(from: 0, to: golden.trueLabels.count, by: 137) {
            let end = min(shard + 137, golden.trueLabels.count)
            let part = ConfusionMatrix(
                trueLabels: Array(golden.trueLabels[shard..<end]), predicted: Array(golden.predicted[shard..<end]),
                labelCount: golden.labelCount)
            try merged.merge(part)
            #expect(merged.testOnly_verifyInvariants())
        }
        #expect(merged == whole)
        #expect(ClassificationReport(confusion: merged) == ClassificationReport(confusion: whole))
    }

    @Test func mergeRejectsDifferentLabelCounts() {
        var a = ConfusionMatrix(labelCount: 2)
        a.record(trueLabel: 0, predicted: 1)
        let before = a
        #expect(throws: ConfusionMatrixError.incompatibleLabelCount(2, 3)) {
            try a.merge(ConfusionMatrix(labelCount: 3))
        }
        #expect(a == before)
    }

    @Test func outOfRangeLabelsAreTalliedNotCounted() {
        var matrix = ConfusionMatrix(labelCount: 2)
        matrix.record(trueLabel: 0, predicted: 0)
        matrix.record(trueLabel: 2, predicted: 0)
        matrix.record(trueLabel: 1, predicted: -1)
        matrix.record(trueLabel: 1, predicted: 1, count: 4)
        #expect(matrix.counts == [[1, 0], [0, 4]])
        #expect(matrix.total == 5)
        #expect(matrix.outOfRangeCount == 2)
        #expect(matrix.count(trueLabel: 5, predicted: 0) == 0)
        #expect(matrix.correctCount == 5)
        #expect(matrix.testOnly_verifyInvariants())
    }

    // MARK: Report, hand-computed

    @Test func reportOfHandWorkedThreeClassExample() {
        // y_true [0,0,1,1,2], y_pred [0,1,1,1,0] → M = [[1,1,0],[0,2,0],[1,0,0]]
        let matrix = ConfusionMatrix(trueLabels: [0, 0, 1, 1, 2], predicted: [0, 1, 1, 1, 0], labelCount: 3)
        #expect(matrix.counts == [[1, 1, 0], [0, 2, 0], [1, 0, 0]])
        let report = ClassificationReport(confusion: matrix)
        // precision = tp/pred = [1/2, 2/3, 0 (0/0)], recall = tp/true = [1/2, 1, 0], F1 = 2tp/(true+pred) = [1/2, 4/5, 0]
        let rel = 1e-15
        #expect(zip(report.precision, [0.5, 2.0 / 3.0, 0]).allSatisfy { isClose($0, $1, rel: rel) })
        #expect(zip(report.recall, [0.5, 1, 0]).allSatisfy { isClose($0, $1, rel: rel) })
        #expect(zip(report.f1, [0.5, 0.8, 0]).allSatisfy { isClose($0, $1, rel: rel) })
        #expect(report.support == [2, 2, 1])
        #expect(isClose(report.accuracy, 0.6, rel: rel))
        #expect(isClose(report.macro.precision, (0.5 + 2.0 / 3.0) / 3, rel: rel))
        #expect(isClose(report.macro.f1, 1.3 / 3, rel: rel))
        #expect(isClose(report.weighted.precision, (0.5 * 2 + 2.0 / 3.0 * 2) / 5, rel: rel))
        #expect(isClose(report.weighted.recall, 0.6, rel: rel))
        #expect(isClose(report.weighted.f1, (0.5 * 2 + 0.8 * 2) / 5, rel: rel))
        for value in [report.micro.precision, report.micro.recall, report.micro.f1] {
            #expect(isClose(value, 0.6, rel: rel))
        }
    }

    @Test func emptyMatrixGivesZerosNotNaN() {
        let report = ClassificationReport(confusion: ConfusionMatrix(labelCount: 3))
        #expect(report.total == 0)
        #expect(report.accuracy == 0)
        #expect(report.precision == [0, 0, 0] && report.recall == [0, 0, 0] && report.f1 == [0, 0, 0])
        #expect(report.macro == .init(precision: 0, recall: 0, f1: 0))
        #expect(report.weighted == .init(precision: 0, recall: 0, f1: 0))
        #expect(report.micro == .init(precision: 0, recall: 0, f1: 0))
    }

    // MARK: Log loss

    @Test func logLossHandCasesAndClipping() {
        // −(ln 0.9 + ln 0.8)/2
        let value = LogLoss.compute(probabilities: [[0.9, 0.1], [0.2, 0.8]], labels: [0, 1])
        #expect(isClose(value, -(log(0.9) + log(0.8)) / 2, rel: 1e-15))
        // p = 1 is clipped to 1 − ε: loss −ln(1 − ε) ≈ ε; p = 0 to ε: loss −ln ε = 52·ln 2.
        #expect(isClose(LogLoss.compute(probabilities: [[0, 1]], labels: [1]), 0x1p-52, rel: 1e-12))
        #expect(isClose(LogLoss.compute(probabilities: [[0, 1]], labels: [0]), 52 * log(2.0), rel: 1e-15))
        #expect(LogLoss.epsilon == 2.220446049250313e-16)
    }

    @Test func logLossRejectsMalformedInputWithNaN() {
        #expect(LogLoss.compute(probabilities: [], labels: []).isNaN)
        #expect(LogLoss.compute(probabilities: [[0.5, 0.5]], labels: [0, 1]).isNaN)
        #expect(LogLoss.compute(probabilities: [[0.5, 0.5]], labels: [2]).isNaN)
        #expect(LogLoss.compute(probabilities: [[0.5, 0.5]], labels: [-1]).isNaN)
        #expect(LogLoss.compute(probabilities: [[.nan, 1]], labels: [0]).isNaN)
    }

    // MARK: Expected calibration error (no golden: hand-computed cases and properties)

    @Test func eceOfHandWorkedExample() {
        // bin 9 {0.92 ✓, 0.98 ✗}: |0.5 − 0.95| = 0.45, weight 2/5
        // bin 6 {0.61 ✓, 0.69 ✓}: |1 − 0.65| = 0.35, weight 2/5
        // bin 0 {0.05 ✗}:          |0 − 0.05| = 0.05, weight 1/5   → ECE = 0.18 + 0.14 + 0.01 = 0.33
        let ece = ExpectedCalibrationError.compute(
            confidences: [0.92, 0.98, 0.61, 0.69, 0.05], correct: [true, false, true, true, false])
        #expect(isClose(ece, 0.33, rel: 1e-12), "\(ece)")
        // With 2 bins: [0, 0.5) {0.05 ✗}: 0.05, weight 1/5; [0.5, 1] the other four: |3/4 − 0.8| = 0.05,
        // weight 4/5 → 0.01 + 0.04 = 0.05
        let coarse = ExpectedCalibrationError.compute(
            confidences: [0.92, 0.98, 0.61, 0.69, 0.05], correct: [true, false, true, true, false], bins: 2)
        #expect(isClose(coarse, 0.05, rel: 1e-12), "\(coarse)")
    }

    @Test func eceBinEdgesFollowTheDocumentedConvention() {
        // 0.5 belongs to [0.5, 0.6) (left-closed), 1.0 to the last bin, 0.0 to the first.
        let a = ExpectedCalibrationError.compute(confidences: [0.5, 0.59], correct: [true, false], bins: 10)
        #expect(isClose(a, Swift.abs(0.5 - (0.5 + 0.59) / 2), rel: 1e-12))  // one bin
        let b = ExpectedCalibrationError.compute(confidences: [1.0, 0.95], correct: [true, true], bins: 10)
        #expect(isClose(b, Swift.abs(1 - 0.975), rel: 1e-12))  // one bin
        let c = ExpectedCalibrationError.compute(confidences: [0.0, 0.05], correct: [false, true], bins: 10)
        #expect(isClose(c, Swift.abs(0.5 - 0.025), rel: 1e-12))  // one bin
    }

    @Test func ecePropertiesOnRandomData() {
        var rng = SplitMix64(seed: 7)
        for trial in 0..<20 {
            let n = 50 + trial * 13
            let confidences = (0..<n).map { _ in rng.nextUniform() }
            let correct = confidences.map { rng.nextUniform() < $0 }
            let ece = ExpectedCalibrationError.compute(confidences: confidences, correct: correct, bins: 10)
            #expect(ece >= 0 && ece <= 1)
            // Permutation invariance.
            let order = (0..<n).reversed()
            let permuted = ExpectedCalibrationError.compute(
                confidences: order.map { confidences[$0] }, correct: order.map { correct[$0] }, bins: 10)
            #expect(isClose(ece, permuted, rel: 1e-12))
            // One bin: |accuracy − mean confidence|.
            let single = ExpectedCalibrationError.compute(confidences: confidences, correct: correct, bins: 1)
            let accuracy = Double(correct.filter { $0 }.count) / Double(n)
            let meanConfidence = confidences.reduce(0, +) / Double(n)
            #expect(isClose(single, Swift.abs(accuracy - meanConfidence), rel: 1e-9, abs: 1e-15))
            // Finer bins never decrease ECE below the one-bin value (triangle inequality).
            #expect(ece >= single - 1e-12)
        }
        // Calibrated within every bin → 0: confidence 0.75, three of four correct.
        let calibrated = ExpectedCalibrationError.compute(
            confidences: [0.75, 0.75, 0.75, 0.75, 0.25, 0.25, 0.25, 0.25],
            correct: [true, true, true, false, false, false, true, false])
        #expect(calibrated == 0)
    }

    @Test func eceTopLabelVariantAndInvalidInput() {
        let probabilities: [[Double]] = [[0.1, 0.7, 0.2], [0.6, 0.3, 0.1], [0.2, 0.2, 0.6]]
        let labels = [1, 2, 2]
        let topLabel = ExpectedCalibrationError.compute(probabilities: probabilities, labels: labels, bins: 5)
        let direct = ExpectedCalibrationError.compute(
            confidences: [0.7, 0.6, 0.6], correct: [true, false, true], bins: 5)
        #expect(topLabel == direct)
        #expect(ExpectedCalibrationError.compute(confidences: [], correct: []).isNaN)
        #expect(ExpectedCalibrationError.compute(confidences: [0.5], correct: [true, false]).isNaN)
        #expect(ExpectedCalibrationError.compute(confidences: [1.5], correct: [true]).isNaN)
        #expect(ExpectedCalibrationError.compute(confidences: [.nan], correct: [true]).isNaN)
        #expect(ExpectedCalibrationError.compute(probabilities: [[]], labels: [0]).isNaN)
    }
}
