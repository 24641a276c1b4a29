import DriftJSON
import DriftLearn
import DriftMonitor
import DriftRegistry
import DriftRetrain
import DriftStats
import Foundation
import Testing

/// Regression models through the registry and the retrainer: a first ridge version from a table, then a changed
/// relation in the labelled events: the challenger is a ridge regressor that beats the champion on the held-out
/// rows (RMSE) and is promoted with a profile of its residuals; with no change it is rejected.
@Suite("Retraining regression models")
struct RegressionRetrainingTests {
    static func rows(_ count: Int, seed: UInt64, from time: Int64, slope: Double) -> [LabelledRow] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let size = Double.random(in: 30...200, using: &generator)
            let area = ["north", "south", "east"][Int.random(in: 0..<3, using: &generator)]
            let noise = Double.random(in: -5...5, using: &generator)
            let price = slope * size + (area == "south" ? 40 : 0) + 100 + noise
            return LabelledRow(time: time + Int64(index), features: ["size": .number(size), "area": .text(area)], label: price.canonicalText)
        }
    }

    static func registry() throws -> (ModelRegistry, LabelledStore, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-regression-\(UUID().uuidString)").path
        let registry = ModelRegistry(directory: directory)
        let rows = Self.rows(1_000, seed: 1, from: 0, slope: 2)
        let table = try LabelledRow.table(rows, features: [("size", true), ("area", false)])
        var training = InitialTraining(modelID: "price", target: "price")
        training.folds = 3
        let outcome = try training.runRegression(features: table, labels: rows.compactMap(\.numericLabel), source: "synthetic", registry: registry, now: 1_000)
        #expect(outcome.promoted)
        #expect(try registry.isRegressor("price", "1"))
        #expect((outcome.crossValidation.means.first { $0.0 == "r2" }?.1 ?? 0) > 0.95)
        return (registry, LabelledStore(directory: directory), directory)
    }

    @Test func aChangedRelationGivesAPromotedRidgeVersionWithResiduals() throws {
        let (registry, store, directory) = try Self.registry()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let profile = try registry.profile("price", "1")
        #expect(profile.prediction?.residual != nil && profile.performance?.metric("rmse") != nil)
        try store.append(Self.rows(1_500, seed: 2, from: 10_000, slope: 3), model: "price")
        var retrainer = Retrainer(registry: registry, store: store)
        retrainer.folds = 3
        retrainer.maximumOldRows = 200
        let outcome = try retrainer.retrain("price", trigger: "drift", detail: "residual drift", runID: "r-reg", now: 50_000)
        #expect(outcome.promoted, "\(outcome.reasons)")
        let challenger = try #require(outcome.regressionChallenger), champion = try #require(outcome.regressionChampion)
        #expect(challenger.rmse < champion.rmse / 3, "challenger \(challenger.rmse), champion \(champion.rmse)")
        #expect(try registry.champion("price") == "2" && registry.isRegressor("price", "2"))
        #expect(outcome.record.metrics.first?.0 == "rmse")
        let reference = try registry.profile("price", "2")
        #expect(reference.prediction?.residual != nil)
        #expect(outcome.event["profile"]?["prediction"]?["residual"] != nil, "the monitors get the residuals inline")
        #expect(outcome.championFigure("rmse") == champion.rmse)
    }

    @Test func noChangeMeansNoBetterChallenger() throws {
        let (registry, store, directory) = try Self.registry()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try store.append(Self.rows(1_000, seed: 3, from: 10_000, slope: 2), model: "price")
        var retrainer = Retrainer(registry: registry, store: store)
        retrainer.folds = 3
        retrainer.promotion.margin = 0.5  // RMSE units: it must be half a unit better
        let outcome = try retrainer.retrain("price", trigger: "schedule", detail: "schedule", runID: "r-same", now: 50_000)
        #expect(!outcome.promoted)
        #expect(outcome.event["status"]?.stringValue == "rejected")
        #expect(try registry.champion("price") == "1")
    }
}
