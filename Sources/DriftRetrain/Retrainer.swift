import DriftContracts
public import DriftJSON
public import DriftLearn
import DriftMonitor
public import DriftRegistry
public import DriftStats
import Foundation

/// One retraining of a model, start to finish: gather its labelled data (the last training's rows plus
/// the recent ones), hold out the most recent slice, cross-validate on the new data and on old and new
/// mixed, fit a challenger on the mixture, score challenger and champion on the held-out slice, register
/// the challenger and promote or reject it by the ``PromotionPolicy``. Every step's figures go into the
/// version's record and its model-version event.
public struct Retrainer: Sendable {
    /// The registry.
    public let registry: ModelRegistry
    /// The labelled data.
    public let store: LabelledStore
    /// Who wins.
    public var promotion = PromotionPolicy()
    /// The learner.
    public var trainer = ClassifierTrainer()
    /// The learner of regression models.
    public var regressor = RegressorTrainer()
    /// The share of the newest recent rows held out for the champion–challenger comparison.
    public var holdoutShare = 0.2
    /// Rows the held-out slice needs at least.
    public var minimumHoldout = 50
    /// Cross-validation folds.
    public var folds = 5
    /// The fold-shuffling seed.
    public var seed: UInt64 = 42
    /// The most rows of the last training mixed in (the newest); `nil`: all.
    public var maximumOldRows: Int?
    /// What the new version's reference profile describes.
    public var reference = ReferenceScope.all
    /// Whether a validated challenger is promoted at once or waits for a person (``Approvals``).
    public var approval = ApprovalMode.automatic
    /// How long a pending challenger waits before it expires (ms).
    public var approvalTimeout: Int64 = 86_400_000

    /// The data a new version's reference profile (and so the monitor's baseline for it) is built from.
    public enum ReferenceScope: String, Sendable {
        /// The training mixture, old and new, with its out-of-fold predictions.
        case all
        /// The new rows only (those trained on with their out-of-fold predictions, the held-out ones with the
        /// challenger's): after a shift the new normal, so the drift it answered does not linger in the windows
        /// of the version that fixed it.
        case recent
    }

    /// A retrainer over a registry and its store.
    public init(registry: ModelRegistry, store: LabelledStore) {
        self.registry = registry
        self.store = store
    }

    /// What a retraining ended in.
    public struct Outcome: Sendable {
        /// The version registered (promoted or rejected).
        public var record: VersionRecord
        /// Whether it became the champion.
        public var promoted: Bool
        /// Whether it passed the promotion policy and waits for approval (manual mode).
        public var pending = false
        /// The verdict's reasons.
        public var reasons: [String]
        /// Challenger and champion on the held-out rows (classifiers).
        public var challenger: ClassifierMetrics?
        public var champion: ClassifierMetrics?
        /// Challenger and champion on the held-out rows (regressors).
        public var regressionChallenger: RegressionMetrics? = nil
        public var regressionChampion: RegressionMetrics? = nil

        /// The champion's figure of `metric` on the held-out rows (the baseline a rollback watch compares with).
        public func championFigure(_ metric: String) -> Double? { champion?.value(metric) ?? regressionChampion?.value(metric) }
        /// The model-version event to publish.
        public var event: JSONValue
    }

    /// Why a retraining could not run.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Retrains `model` for `trigger` (with `detail`, the decision's reason) at `now`.
    public func retrain(_ model: String, trigger: String, detail: String, runID: String? = nil, now: Int64? = nil) throws -> Outcome {
        let runID = runID ?? UUID().uuidString.lowercased()
        let now = now ?? Int64(Date().timeIntervalSince1970 * 1_000)
        let started = ContinuousClock.now
        guard let championVersion = try registry.champion(model) else {
            throw Refusal(reason: "\(model) has no champion: train its first version with driftwatch train")
        }
        if try registry.isRegressor(model, championVersion) {
            return try retrainRegressor(model, champion: championVersion, trigger: trigger, detail: detail, runID: runID, now: now, started: started)
        }
        let champion = try registry.classifier(model, championVersion)
        let kinds = champion.featureKinds
        let data = try retrainingData(model, rows: "labelled rows")
        let (fresh, holdout, mixed) = (data.fresh, data.holdout, data.mixed)
        let freshTable = try LabelledRow.table(fresh, features: kinds)
        let mixedTable = try LabelledRow.table(mixed, features: kinds)
        let holdoutTable = try LabelledRow.table(holdout, features: kinds)
        let kFold = try StratifiedKFold(folds: folds, seed: seed)
        // Cross-validation needs every class at least once per fold; with too little new data it is skipped.
        let freshValidation = Set(fresh.map(\.label)).count >= 2 && fresh.count >= folds * 2
            ? try trainer.crossValidate(freshTable, labels: fresh.map(\.label), target: champion.target, folds: kFold) : nil
        let mixedValidation = try trainer.crossValidate(mixedTable, labels: mixed.map(\.label), target: champion.target, folds: kFold)
        let challenger = try trainer.fit(mixedTable, labels: mixed.map(\.label), target: champion.target)
        let challengerScore = try challenger.evaluate(holdoutTable, labels: holdout.map(\.label))
        let championScore = try champion.evaluate(holdoutTable, labels: holdout.map(\.label))
        let verdict = promotion.judge(challenger: challengerScore, champion: championScore)
        let draft = draftRecord(
            model, runID: runID, now: now, parent: championVersion, trigger: trigger, detail: detail, target: champion.target,
            classes: challenger.classes, features: challenger.featureNames, data: data,
            metrics: Self.metrics(primary: (promotion.primaryMetric, challengerScore.value(promotion.primaryMetric)), challenger: challengerScore.values,
                                  champion: championScore.values, all: mixedValidation.means, new: freshValidation?.means ?? []),
            validation: (mixedValidation.means, mixedValidation.standardDeviations), started: started)
        let record = try registry.register(challenger, record: draft) { version in
            switch reference {
            case .all:
                return try InitialTraining.profile(
                    features: mixedTable, labels: mixed.map(\.label), validation: mixedValidation, modelID: model, version: version,
                    source: ReferenceProfile.Source(path: "labelled events", format: "jsonl", rows: mixed.count), at: now)
            case .recent:
                // The fresh rows' out-of-fold probabilities come from the mixture's cross-validation (they follow the old rows).
                let freshProbabilities = Array(mixedValidation.outOfFoldProbabilities.suffix(fresh.count))
                let holdoutProbabilities = try challenger.probabilities(holdoutTable)
                return try InitialTraining.profile(
                    features: try freshTable.appending(holdoutTable), labels: (fresh + holdout).map(\.label), classes: mixedValidation.classes,
                    probabilities: freshProbabilities + holdoutProbabilities, modelID: model, version: version,
                    source: ReferenceProfile.Source(path: "recent labelled events", format: "jsonl", rows: fresh.count + holdout.count), at: now)
            }
        }
        let (event, pending) = try conclude(model, record: record, verdict: verdict, detail: detail, data: data, now: now)
        var outcome = Outcome(record: record, promoted: verdict.promote && !pending, reasons: verdict.reasons, challenger: challengerScore,
                              champion: championScore, event: event)
        outcome.pending = pending
        return outcome
    }

    /// The rows of one retraining: the last training's (the newest ``maximumOldRows``), and the recent ones by time,
    /// the newest ``holdoutShare`` (at least ``minimumHoldout``) held out; `usable` keeps the rows the learner can use.
    struct RetrainingData {
        var old: [LabelledRow]
        var recent: [LabelledRow]
        var fresh: [LabelledRow]
        var holdout: [LabelledRow]
        /// What the challenger is trained on: old and fresh.
        var mixed: [LabelledRow] { old + fresh }
    }

    func retrainingData(_ model: String, rows what: String, usable: (LabelledRow) -> Bool = { _ in true }) throws -> RetrainingData {
        let stored = try store.training(model: model).filter(usable)
        let old = maximumOldRows.map { Array(stored.suffix(max(0, $0))) } ?? stored
        let recent = try store.recent(model: model).filter(usable).sorted { $0.time < $1.time }
        let holdoutCount = max(minimumHoldout, Int((Double(recent.count) * holdoutShare).rounded()))
        guard recent.count >= holdoutCount * 2 else {
            throw Refusal(reason: "\(model) has \(recent.count) recent \(what); at least \(holdoutCount * 2) are needed (half held out)")
        }
        return RetrainingData(old: old, recent: recent, fresh: Array(recent.dropLast(holdoutCount)), holdout: Array(recent.suffix(holdoutCount)))
    }

    /// The version's figures: the primary one first, then the challenger's and the champion's on the held-out rows,
    /// and the cross-validation means on old and new mixed and on the new rows alone.
    static func metrics(primary: (String, Double?), challenger: [(String, Double)], champion: [(String, Double)], all: [(String, Double)],
                        new: [(String, Double)]) -> [(String, Double)] {
        (primary.1.map { [(primary.0, $0)] } ?? []) + challenger.map { ("holdout_\($0.0)", $0.1) } + champion.map { ("champion_holdout_\($0.0)", $0.1) }
            + all.map { ("cv_all_\($0.0)", $0.1) } + new.map { ("cv_new_\($0.0)", $0.1) }
    }

    /// A challenger's record before registration (the registry assigns the number).
    func draftRecord(_ model: String, runID: String, now: Int64, parent: String, trigger: String, detail: String, target: String, classes: [String],
                     features: [String], data: RetrainingData, metrics: [(String, Double)],
                     validation: (means: [(String, Double)], deviations: [(String, Double)]), started: ContinuousClock.Instant) -> VersionRecord {
        let mixed = data.mixed
        return VersionRecord(
            modelID: model, version: "0", runID: runID, createdAt: now, parentVersion: parent, trigger: trigger, triggerDetail: detail,
            target: target, classes: classes, features: features,
            dataSource: "labelled events: \(data.old.count) of the last training + \(data.fresh.count) new, \(data.holdout.count) held out",
            trainingRows: mixed.count, dataFrom: mixed.map(\.time).min(), dataTo: data.recent.last?.time, metrics: metrics,
            crossValidation: CrossValidationSummary(folds: folds, seed: seed, scope: "all", mean: validation.means, standardDeviation: validation.deviations),
            trainingSeconds: (ContinuousClock.now - started).inSeconds)
    }

    /// Acts on a verdict for a registered challenger: promotes it (its rows become the training data), keeps it
    /// pending for approval (manual mode; its rows wait in the store), or logs its rejection. The event, and
    /// whether it is pending.
    func conclude(_ model: String, record: VersionRecord, verdict: PromotionPolicy.Verdict, detail: String, data: RetrainingData,
                  now: Int64) throws -> (JSONValue, Bool) {
        let training = data.mixed + data.holdout
        let through = data.recent.last?.time ?? now
        if verdict.promote, approval == .manual {
            let expires = now + approvalTimeout
            let event = ModelVersionEvent.json(
                record, status: "pending", at: now, reasons: [detail] + verdict.reasons + ["awaiting approval until \(EventTimestamp.format(expires))"],
                approval: Approvals.approvalJSON("pending", by: nil, expiresAt: expires))
            try registry.log(model, event: event)
            try store.savePending(model: model, version: record.version, training: training, through: through)
            return (event, true)
        }
        if verdict.promote {
            let event = ModelVersionEvent.json(record, status: "champion", at: now, reasons: [detail] + verdict.reasons,
                                               profile: try registry.profile(model, record.version))
            try registry.promote(model, record.version, event: event, at: now)
            try store.trained(model: model, training: training, through: through)
            return (event, false)
        }
        let event = ModelVersionEvent.json(record, status: "rejected", at: now, reasons: [detail] + verdict.reasons)
        try registry.log(model, event: event)
        return (event, false)
    }
}
