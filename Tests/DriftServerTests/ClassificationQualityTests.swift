import DriftJSON
import DriftReport
import DriftTestSupport
import Foundation
import Testing

/// The report's classification section against scikit-learn: per-class tables from confusion matrices, ROC and
/// precision-recall curves and their areas from binned probabilities, and the same through the report builder
/// from drift events that carry them.
@Suite("Classification quality in reports")
struct ClassificationQualityTests {
    static let golden: JSONValue = {
        let url = Bundle.module.url(forResource: "Fixtures/classification_curves", withExtension: "json")!
        return try! JSONValue.parse(String(decoding: try! Data(contentsOf: url), as: UTF8.self))
    }()
    static let labels = (golden["y_true"]?.arrayValue ?? []).map { $0.intValue ?? -1 }
    static let scores = (golden["score"]?.arrayValue ?? []).map { $0.doubleValue ?? .nan }

    /// The scores in the monitor's 200 bins, split by label.
    static func bins(_ range: Range<Int>) -> (positive: [UInt64], negative: [UInt64]) {
        var positive = [UInt64](repeating: 0, count: 200)
        var negative = [UInt64](repeating: 0, count: 200)
        for index in range {
            let bin = min(199, max(0, Int(scores[index] * 200)))
            if labels[index] == 1 { positive[bin] += 1 } else { negative[bin] += 1 }
        }
        return (positive, negative)
    }

    static func numbers(_ value: JSONValue?) -> [Double] { (value?.arrayValue ?? []).map { $0.doubleValue ?? .nan } }

    @Test func rocAndPrecisionRecallMatchScikitLearnWhenEachScoreHasItsBin() throws {
        // Scores with two decimals fall into distinct bins in distinct order, so the binned curves are exact.
        #expect(Set(Self.scores).count == Set(Self.scores.map { Int($0 * 200) }).count)
        let (positive, negative) = Self.bins(0..<Self.labels.count)
        let roc = try #require(ClassificationQuality.roc(positive: positive, negative: negative))
        let expectedFPR = Self.numbers(Self.golden["roc"]?["fpr"])
        let expectedTPR = Self.numbers(Self.golden["roc"]?["tpr"])
        #expect(roc.count == expectedFPR.count)
        for (point, (fpr, tpr)) in zip(roc, zip(expectedFPR, expectedTPR)) {
            #expect(abs(point.x - fpr) < 1e-12 && abs(point.y - tpr) < 1e-12)
        }
        #expect(abs(ClassificationQuality.area(roc) - (Self.golden["roc_auc"]?.doubleValue ?? 0)) < 1e-12)

        let pr = try #require(ClassificationQuality.precisionRecall(positive: positive, negative: negative))
        // scikit-learn lists thresholds ascending and closes with (recall 0, precision 1): read it backwards without that.
        let precision = Array(Self.numbers(Self.golden["pr"]?["precision"]).dropLast().reversed())
        let recall = Array(Self.numbers(Self.golden["pr"]?["recall"]).dropLast().reversed())
        #expect(pr.count == precision.count)
        for (point, (p, r)) in zip(pr, zip(precision, recall)) {
            #expect(abs(point.y - p) < 1e-12 && abs(point.x - r) < 1e-12)
        }
        #expect(abs(ClassificationQuality.averagePrecision(pr) - (Self.golden["average_precision"]?.doubleValue ?? 0)) < 1e-12)
        #expect(ClassificationQuality.roc(positive: positive, negative: [UInt64](repeating: 0, count: 200)) == nil)
    }

    @Test func perClassTablesMatchScikitLearn() throws {
        for (matrixValue, expected) in [
            (Self.golden["confusion_matrix"], Self.golden["per_class"]),
            (Self.golden["multiclass3_150"]?["confusion_matrix"], Self.golden["multiclass3_150"]?["per_class"]),
        ] {
            let counts = (matrixValue?.arrayValue ?? []).map { ($0.arrayValue ?? []).map { UInt64($0.intValue ?? 0) } }
            let rows = ClassificationQuality.classRows(classes: counts.indices.map { "c\($0)" }, counts: counts)
            let precision = Self.numbers(expected?["precision"])
            let recall = Self.numbers(expected?["recall"])
            let f1 = Self.numbers(expected?["f1"])
            let support = (expected?["support"]?.arrayValue ?? []).map { UInt64($0.intValue ?? 0) }
            #expect(rows.count == precision.count)
            for (index, row) in rows.enumerated() {
                #expect(abs(row.precision - precision[index]) < 1e-12 && abs(row.recall - recall[index]) < 1e-12 && abs(row.f1 - f1[index]) < 1e-12)
                #expect(row.support == support[index])
                #expect(abs(row.errorRate - (1 - recall[index])) < 1e-12)
            }
        }
        // multiclass3_150: class 0 is most often taken for class 2 (10 of 51).
        let counts: [[UInt64]] = [[33, 8, 10], [9, 34, 4], [7, 4, 41]]
        let rows = ClassificationQuality.classRows(classes: ["a", "b", "c"], counts: counts)
        #expect(rows[0].confusedWith?.name == "c" && rows[0].confusedWith?.count == 10)
        #expect(rows[1].predicted == 46)
    }

    @Test func theReportSumsWindowsIntoTheCurvesAndTheTableAndDrawsThem() throws {
        // binary_200 split over two windows of version 1, as the monitor's drift events carry it (scikit-learn's y_pred).
        let yPred = (Self.golden["y_pred"]?.arrayValue ?? []).map { $0.intValue ?? 0 }
        func event(_ index: Int, rows: Range<Int>) -> JSONValue {
            var matrix = [[0, 0], [0, 0]]
            for row in rows { matrix[Self.labels[row]][yPred[row]] += 1 }
            let (positive, negative) = Self.bins(rows)
            let start = 1_795_000_000_000 + Int64(index) * 60_000
            return try! JSONValue.parse(#"""
                {"schema_version":"1","event_id":"m@1/\#(index)","model_id":"m","model_version":"1",
                 "window":{"start":"\#(ReportTests.stamp(start))","end":"\#(ReportTests.stamp(start + 60_000))","count":100,"labelled":100},
                 "severity":"NORMAL","previous_severity":"NORMAL","window_severity":"NORMAL","features":[],"top_features":[],
                 "prediction":{"severity":"NORMAL"},
                 "performance":{"severity":"NORMAL","labelled":100,"metrics":{"accuracy":0.8},"baseline":{},"triggers":[],
                   "confusion_matrix":{"classes":["0","1"],"counts":\#(matrix)},
                   "roc_bins":{"positive_class":"1","positive":\#(positive),"negative":\#(negative)}},
                 "operations":{"severity":"NORMAL","metrics":{"latency_p50_ms":5,"latency_p95_ms":8,"latency_p99_ms":9.5,"error_rate":0.01}},
                 "reasons":[],"evaluated_at":"\#(ReportTests.stamp(start + 61_000))"}
                """#)
        }
        let input = ReportInput(modelID: "m", driftEvents: [event(0, rows: 0..<100), event(1, rows: 100..<200)], versionEvents: [],
                                profiles: [:], generatedAt: 1_795_000_500_000)
        let report = try ReportBuilder.build(input)
        let section = try #require(report["classification"]?.arrayValue?.first)
        #expect(section["labelled"]?.intValue == 200 && section["windows"]?.intValue == 2)
        let merged = (section["confusion_matrix"]?["counts"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).map { $0.intValue ?? -1 } }
        #expect(merged == [[83, 25], [11, 81]])
        #expect(abs((section["roc"]?["auc"]?.doubleValue ?? 0) - (Self.golden["roc_auc"]?.doubleValue ?? 1)) < 1e-12)
        #expect(abs((section["precision_recall"]?["average_precision"]?.doubleValue ?? 0) - (Self.golden["average_precision"]?.doubleValue ?? 1)) < 1e-12)
        #expect(abs((section["per_class"]?.arrayValue?[1]["recall"]?.doubleValue ?? 0) - 0.8804347826086957) < 1e-12)
        #expect(report["operations"]?.arrayValue?.count == 2)
        let outcome = try SchemaValidation.validate(documents: [Array(report.serialized().utf8)], schema: "report.schema.json")
        #expect(outcome.first?.valid == true, "\(outcome.first?.errors ?? [])")

        let html = HTMLReport.render(report)
        #expect(html.contains("Classification quality"))
        #expect(html.contains("ROC curve (positive class 1)"))
        #expect(html.contains("precision-recall curve"))
        #expect(html.contains("ROC-AUC 0.93"))
        #expect(html.contains("<td style=\"background:rgba(46,125,50,0.8);text-align:right\">83</td>"))
        #expect(html.contains("Model server"))
    }
}
