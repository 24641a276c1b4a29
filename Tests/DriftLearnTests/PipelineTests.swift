import DriftJSON
import Foundation
@testable import DriftLearn
import Testing

@Suite("Feature pipeline, folds and serialization")
struct PipelineTests {
    let table = try! TrainingTable([
        ("age", .numeric([20, .nan, 40, 60])),
        ("city", .categorical(["b", "a", nil, "b"])),
    ])

    @Test func imputesScalesAndOneHotEncodesWithAnUnknownBucket() throws {
        let pipeline = try FeaturePipeline.fit(table)
        // Median of 20, 40, 60 is 40; after imputation the values are 20, 40, 40, 60: mean 40, σ = √200.
        guard case .numeric(_, let median, let mean, let scale) = pipeline.steps[0] else { Issue.record("not numeric"); return }
        #expect(median == 40 && mean == 40 && abs(scale - 200.0.squareRoot()) < 1e-12)
        #expect(pipeline.steps[1] == .categorical(name: "city", mostFrequent: "b", categories: ["a", "b"]))
        #expect(pipeline.featureNames == ["age", "city=a", "city=b", "city=<unknown>"])
        let fresh = try TrainingTable([("city", .categorical(["z", nil])), ("age", .numeric([.nan, 50]))])
        let rows = try pipeline.transform(fresh)
        #expect(rows.dense(row: 0) == [0, 0, 0, 1])  // median age, unknown city
        #expect(rows.dense(row: 1) == [10 / 200.0.squareRoot(), 0, 1, 0])  // missing city → most frequent
    }

    @Test func refusesAMissingFeatureAndTextInANumericOne() throws {
        let pipeline = try FeaturePipeline.fit(table)
        #expect(throws: LearnError.self) { try pipeline.transform(try TrainingTable([("age", .numeric([1]))])) }
        let text = try TrainingTable([("age", .categorical(["old"])), ("city", .categorical(["a"]))])
        #expect(throws: LearnError.self) { try pipeline.transform(text) }
        let numbersAsText = try TrainingTable([("age", .categorical(["30"])), ("city", .categorical(["a"]))])
        #expect(try pipeline.transform(numbersAsText).dense(row: 0)[0] == -10 / 200.0.squareRoot())
    }

    @Test func keepsTheMostFrequentCategoriesUnderTheCap() throws {
        let values: [String?] = ["a", "a", "a", "b", "b", "c"]
        let pipeline = try FeaturePipeline.fit(try TrainingTable([("x", .categorical(values))]), maximumCategories: 2)
        #expect(pipeline.steps[0] == .categorical(name: "x", mostFrequent: "a", categories: ["a", "b"]))
    }

    @Test func stratifiedFoldsPartitionTheRowsAndKeepProportions() throws {
        let labels = (0..<1_000).map { $0 % 10 < 7 ? 0 : ($0 % 10 < 9 ? 1 : 2) }
        let splits = try StratifiedKFold(folds: 5, seed: 3).splits(labels: labels)
        #expect(splits.count == 5)
        var seen = [Int](repeating: 0, count: labels.count)
        for split in splits {
            #expect(split.training.count + split.validation.count == labels.count)
            for row in split.validation { seen[row] += 1 }
            let counts = (0..<3).map { label in split.validation.filter { labels[$0] == label }.count }
            #expect(counts == [140, 40, 20], "fold class counts \(counts)")
        }
        #expect(seen.allSatisfy { $0 == 1 })
        #expect(try StratifiedKFold(folds: 5, seed: 3).splits(labels: labels).map(\.validation) == splits.map(\.validation))
        #expect(try StratifiedKFold(folds: 5, seed: 4).splits(labels: labels).map(\.validation) != splits.map(\.validation))
        #expect(throws: LearnError.self) { try StratifiedKFold(folds: 1) }
    }

    @Test func aSerializedClassifierPredictsTheSameAndDamageIsRefused() throws {
        let labels = ["no", "yes", "no", "yes"]
        let classifier = try ClassifierTrainer().fit(table, labels: labels, target: "buys")
        let text = classifier.json().serialized()
        let restored = try TrainedClassifier(serialized: text)
        #expect(restored == classifier)
        #expect(try restored.probabilities(table) == classifier.probabilities(table))
        #expect(throws: LearnError.self) { try TrainedClassifier(serialized: String(text.dropLast(5))) }
        #expect(throws: LearnError.self) { try TrainedClassifier(serialized: text.replacingOccurrences(of: "\"version\":1", with: "\"version\":2")) }
        #expect(throws: LearnError.self) { try TrainedClassifier(serialized: text.replacingOccurrences(of: "\"class_count\":2", with: "\"class_count\":3")) }
        #expect(throws: LearnError.self) { try TrainedClassifier(serialized: text.replacingOccurrences(of: "\"kind\":\"numeric\"", with: "\"kind\":\"vector\"")) }
    }
}
