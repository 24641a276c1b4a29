import DriftCompare
import DriftJSON
import DriftLearn
import Foundation
import Testing

/// DriftLearn against scikit-learn's `LogisticRegression` with the same preprocessing, on the shipped copies
/// of Adult and the SDSS sample, with the same fixed 80/20 split (row i is a test row when i % 5 == 4).
/// scikit-learn's figures are in `Fixtures/sklearn_reference.json`, written by `Fixtures/sklearn_reference.py`.
/// Tolerance: tighter than the one accuracy point the issue asks (see the test).
@Suite("Accuracy parity with scikit-learn")
struct ScikitLearnParityTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func reference(_ dataset: String) throws -> JSONValue {
        let url = try #require(Bundle.module.url(forResource: "sklearn_reference", withExtension: "json", subdirectory: "Fixtures"))
        let document = try JSONValue.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
        return try #require(document["datasets"]?[dataset])
    }

    @Test(arguments: [("adult", "data/adult.csv.gz"), ("sdss", "data/sdss17_star_classification_30k.csv.gz")])
    func accuracyWithinOnePointOfScikitLearn(dataset: String, file: String) throws {
        let reference = try Self.reference(dataset)
        let target = try #require(reference["target"]?.stringValue)
        let dropped = Set(try #require(reference["dropped"]?.arrayValue).compactMap(\.stringValue))
        let data = try DataTable.load(path: Self.repository.appendingPathComponent(file).path)
        let (labels, labelled) = try TrainingTable.labels(data, target: target)
        #expect(labelled.count == data.rowCount)
        let features = try TrainingTable(data, excluding: dropped.union([target]))
        // The same feature kinds as scikit-learn inferred.
        let numeric = features.columns.filter { if case .numeric = $0.values { true } else { false } }.map(\.name)
        #expect(numeric == reference["numeric"]?.arrayValue?.compactMap(\.stringValue))
        let test = labelled.indices.filter { $0 % 5 == 4 }
        let train = labelled.indices.filter { $0 % 5 != 4 }
        #expect(train.count == reference["rows_train"]?.intValue && test.count == reference["rows_test"]?.intValue)
        let classifier = try ClassifierTrainer().fit(features.subset(train), labels: train.map { labels[$0] }, target: target)
        #expect(classifier.model.converged)
        let metrics = try classifier.evaluate(features.subset(test), labels: test.map { labels[$0] })
        let sklearn = try #require(reference["accuracy"]?.doubleValue)
        // The issue asks for one point. The objective is strictly convex (L2), so both solvers reach the same
        // optimum; only test rows within the solvers' tolerance of the decision boundary can flip: 0.2 points
        // (20 of about 10,000 rows) is already generous. (Measured: identical to six digits.)
        #expect(abs(metrics.accuracy - sklearn) <= 0.002, "\(dataset): DriftLearn \(metrics.accuracy), scikit-learn \(sklearn)")
        let sklearnF1 = try #require(reference["f1_macro"]?.doubleValue)
        #expect(abs(metrics.f1 - sklearnF1) <= 0.005, "\(dataset): macro F1 \(metrics.f1), scikit-learn \(sklearnF1)")
        print("\(dataset): accuracy \(metrics.accuracy) (scikit-learn \(sklearn)), macro F1 \(metrics.f1) (\(sklearnF1)), \(classifier.model.iterations) iterations")
    }

    @Test func crossValidationOnAdultIsStableAcrossFolds() throws {
        let data = try DataTable.load(path: Self.repository.appendingPathComponent("data/adult.csv.gz").path)
        let (labels, _) = try TrainingTable.labels(data, target: "income")
        let features = try TrainingTable(data, excluding: ["income"])
        // A 10,000-row slice keeps the debug build quick; every fold must land near the held-out figure.
        let rows = Array(0..<10_000)
        let validation = try ClassifierTrainer().crossValidate(features.subset(rows), labels: rows.map { labels[$0] }, target: "income",
                                                               folds: StratifiedKFold(folds: 5, seed: 1))
        #expect(validation.folds.count == 5)
        let accuracy = try #require(validation.mean("accuracy"))
        #expect(accuracy > 0.82 && accuracy < 0.88, "mean accuracy \(accuracy)")
        #expect(try #require(validation.standardDeviation("accuracy")) < 0.02)
        #expect(try #require(validation.mean("roc_auc")) > 0.85)
    }
}
