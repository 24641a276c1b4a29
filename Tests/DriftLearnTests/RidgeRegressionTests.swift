import DriftJSON
import DriftLearn
import DriftStats
import Foundation
import Testing

/// Ridge regression against scikit-learn's `Ridge(fit_intercept=True)` (`Fixtures/sklearn_ridge.json`), and the
/// regressor's round trip through JSON with its pipeline.
@Suite("Ridge regression")
struct RidgeRegressionTests {
    static let fixture: JSONValue = {
        let url = Bundle.module.url(forResource: "sklearn_ridge", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONValue.parse(String(decoding: try! Data(contentsOf: url), as: UTF8.self))
    }()

    @Test func coefficientsAndErrorsMatchScikitLearn() throws {
        let x = (Self.fixture["X"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).map { $0.doubleValue ?? .nan } }
        let y = (Self.fixture["y"]?.arrayValue ?? []).map { $0.doubleValue ?? .nan }
        var rows = SparseRows(width: 4)
        for row in x { rows.appendRow(row.enumerated().filter { $0.element != 0 }.map { ($0.offset, $0.element) }) }
        let cases = Self.fixture["cases"]?.arrayValue ?? []
        #expect(cases.count == 3)
        for entry in cases {
            let alpha = try #require(entry["alpha"]?.doubleValue)
            let (weights, intercept) = try RidgeRegression(alpha: alpha).fit(rows, targets: y)
            let expected = (entry["coef"]?.arrayValue ?? []).map { $0.doubleValue ?? .nan }
            for (mine, theirs) in zip(weights, expected) { #expect(abs(mine - theirs) < 1e-9, "alpha \(alpha)") }
            #expect(abs(intercept - (entry["intercept"]?.doubleValue ?? .nan)) < 1e-9)
            let predictions = x.map { row in zip(row, weights).reduce(intercept) { $0 + $1.0 * $1.1 } }
            let metrics = RegressionMetrics(predictions: predictions, labels: y)
            #expect(abs(metrics.mae - (entry["mae"]?.doubleValue ?? .nan)) < 1e-9)
            #expect(abs(metrics.rmse - (entry["rmse"]?.doubleValue ?? .nan)) < 1e-9)
            #expect(abs((metrics.r2 ?? .nan) - (entry["r2"]?.doubleValue ?? .nan)) < 1e-9)
        }
        #expect(throws: LearnError.self) { try RidgeRegression(alpha: 0).fit(rows, targets: y) }
    }

    @Test func aRegressorLearnsThroughItsPipelineAndSurvivesJSON() throws {
        let n = 400
        let size = (0..<n).map { Double($0 % 37) * 3 + 20 }
        let area = (0..<n).map { ["north", "south", "east"][$0 % 3] }
        let price = zip(size, area).map { 1_000 * $0 + ($1 == "south" ? 20_000 : 0) + 50_000 }
        let table = try TrainingTable([("size", .numeric(size)), ("area", .categorical(area))])
        var trainer = RegressorTrainer()
        trainer.ridge.alpha = 1e-6
        let model = try trainer.fit(table, labels: price, target: "price")
        let metrics = try model.evaluate(table, labels: price)
        #expect(metrics.rmse < 1, "an exact linear relation is learned: rmse \(metrics.rmse)")
        let reread = try TrainedRegressor(json: try JSONValue.parse(model.json().serialized()))
        #expect(reread == model)
        #expect(try reread.predict(table) == model.predict(table))
        let validation = try trainer.crossValidate(table, labels: price, target: "price", folds: StratifiedKFold(folds: 4, seed: 1))
        #expect(validation.folds.count == 4 && validation.outOfFoldPredictions.allSatisfy(\.isFinite))
        #expect(TrainedRegressor.isRegressor(model.json()) && !TrainedRegressor.isRegressor(.object([])))
    }
}
