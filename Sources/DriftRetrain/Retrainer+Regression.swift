import DriftJSON
import DriftLearn
import DriftMonitor
import DriftRegistry
import DriftStats
import Foundation

extension Retrainer {
    /// Retrains a regression model (its champion is a ``TrainedRegressor``): the rows with numeric labels of the
    /// last training and the recent data, the newest held out; ridge regression cross-validated on the new rows and
    /// on old and new mixed, fitted on the mixture, compared with the champion on the held-out rows by
    /// ``PromotionPolicy/regressionMetric`` (RMSE by default) with R² as the guard.
    func retrainRegressor(_ model: String, champion championVersion: String, trigger: String, detail: String, runID: String, now: Int64,
                          started: ContinuousClock.Instant) throws -> Outcome {
        let champion = try registry.regressor(model, championVersion)
        let kinds = champion.featureKinds
        let data = try retrainingData(model, rows: "rows with numeric labels") { $0.numericLabel != nil }
        let (fresh, holdout, mixed) = (data.fresh, data.holdout, data.mixed)
        func targets(_ rows: [LabelledRow]) -> [Double] { rows.map { $0.numericLabel ?? .nan } }
        let freshTable = try LabelledRow.table(fresh, features: kinds)
        let mixedTable = try LabelledRow.table(mixed, features: kinds)
        let holdoutTable = try LabelledRow.table(holdout, features: kinds)
        let kFold = try StratifiedKFold(folds: folds, seed: seed)
        let freshValidation = fresh.count >= folds * 2
            ? try regressor.crossValidate(freshTable, labels: targets(fresh), target: champion.target, folds: kFold) : nil
        let mixedValidation = try regressor.crossValidate(mixedTable, labels: targets(mixed), target: champion.target, folds: kFold)
        let challenger = try regressor.fit(mixedTable, labels: targets(mixed), target: champion.target)
        let challengerScore = try challenger.evaluate(holdoutTable, labels: targets(holdout))
        let championScore = try champion.evaluate(holdoutTable, labels: targets(holdout))
        let verdict = promotion.judge(challenger: challengerScore, champion: championScore)
        let draft = draftRecord(
            model, runID: runID, now: now, parent: championVersion, trigger: trigger, detail: detail, target: champion.target, classes: [],
            features: challenger.featureNames, data: data,
            metrics: Self.metrics(primary: (promotion.regressionMetric, challengerScore.value(promotion.regressionMetric)), challenger: challengerScore.values,
                                  champion: championScore.values, all: mixedValidation.means, new: freshValidation?.means ?? []),
            validation: (mixedValidation.means, mixedValidation.standardDeviations), started: started)
        let record = try registry.register(challenger, record: draft) { version in
            switch reference {
            case .all:
                return try InitialTraining.regressionProfile(
                    features: mixedTable, labels: targets(mixed), scores: mixedValidation.outOfFoldPredictions, modelID: model, version: version,
                    source: ReferenceProfile.Source(path: "labelled events", format: "jsonl", rows: mixed.count), at: now)
            case .recent:
                let freshScores = Array(mixedValidation.outOfFoldPredictions.suffix(fresh.count))
                return try InitialTraining.regressionProfile(
                    features: try freshTable.appending(holdoutTable), labels: targets(fresh + holdout),
                    scores: freshScores + (try challenger.predict(holdoutTable)), modelID: model, version: version,
                    source: ReferenceProfile.Source(path: "recent labelled events", format: "jsonl", rows: fresh.count + holdout.count), at: now)
            }
        }
        let (event, pending) = try conclude(model, record: record, verdict: verdict, detail: detail, data: data, now: now)
        var outcome = Outcome(record: record, promoted: verdict.promote && !pending, reasons: verdict.reasons, challenger: nil, champion: nil, event: event)
        outcome.pending = pending
        outcome.regressionChallenger = challengerScore
        outcome.regressionChampion = championScore
        return outcome
    }
}
