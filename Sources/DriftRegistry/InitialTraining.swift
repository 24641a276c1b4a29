import DriftJSON
public import DriftCompare
public import DriftLearn
public import DriftMonitor
import DriftStats
import Foundation

/// `driftwatch train`: a model's first version from a labelled file — cross-validated, fitted on all rows,
/// profiled, registered and made champion.
///
/// The reference profile's prediction, confidence and performance baselines come from the out-of-fold
/// predictions of the cross-validation: what the model does on rows it did not see, which is what the
/// monitor will compare live traffic with (in-sample figures would flatter it).
public struct InitialTraining: Sendable {
    /// The model's id.
    public var modelID: String
    /// The label column.
    public var target: String
    /// Columns left out of the features (ids, timestamps).
    public var excluded: Set<String> = []
    /// Cross-validation folds.
    public var folds = 5
    /// The fold-shuffling seed.
    public var seed: UInt64 = 42
    /// The learner's settings.
    public var trainer = ClassifierTrainer()
    /// The regression learner's settings (``runRegression(features:labels:source:format:registry:runID:now:)``).
    public var regressor = RegressorTrainer()

    /// A first-version training of `modelID` predicting `target`.
    public init(modelID: String, target: String) {
        self.modelID = modelID
        self.target = target
    }

    /// What a training produced.
    public struct Outcome: Sendable {
        /// The registered version.
        public var record: VersionRecord
        /// Its cross-validation.
        public var crossValidation: CrossValidation
        /// Whether it became the champion (it does unless the model already has one).
        public var promoted: Bool
    }

    /// Trains on `data`, registers the version in `registry` and promotes it if the model has no champion.
    /// Rows without a target value are left out.
    public func run(_ data: DataTable, registry: ModelRegistry, runID: String? = nil, now: Int64? = nil) throws -> Outcome {
        let (labels, rows) = try TrainingTable.labels(data, target: target)
        let all = try TrainingTable(data, excluding: excluded.union([target]))
        let features = rows.count == all.rowCount ? all : all.subset(rows)
        return try run(features: features, labels: labels, source: data.path, format: data.format, registry: registry, runID: runID, now: now)
    }

    /// Trains on `features` with `labels` (class names, one per row) from `source`, registers the version in
    /// `registry` and promotes it if the model has no champion.
    public func run(features: TrainingTable, labels: [String], source: String, format: String = "csv", registry: ModelRegistry,
                    runID: String? = nil, now: Int64? = nil) throws -> Outcome {
        try ModelRegistry.validate(modelID: modelID)
        let runID = runID ?? UUID().uuidString.lowercased()
        let now = now ?? Int64(Date().timeIntervalSince1970 * 1_000)
        let started = ContinuousClock.now
        let validation = try trainer.crossValidate(features, labels: labels, target: target, folds: StratifiedKFold(folds: folds, seed: seed))
        let classifier = try trainer.fit(features, labels: labels, target: target)
        let draft = try draftRecord(runID: runID, now: now, classes: classifier.classes, features: classifier.featureNames, source: source,
                                rows: labels.count, means: validation.means, deviations: validation.standardDeviations,
                                seconds: (ContinuousClock.now - started).inSeconds, registry: registry)
        let record = try registry.register(classifier, record: draft) { version in
            try Self.profile(features: features, labels: labels, validation: validation, modelID: modelID, version: version,
                             source: ReferenceProfile.Source(path: source, format: format, rows: labels.count), at: now)
        }
        let promoted = try finish(record, features: features, labels: labels, registry: registry, now: now)
        return Outcome(record: record, crossValidation: validation, promoted: promoted)
    }

    /// Trains a regression model's first version on `features` with numeric `labels`: cross-validated ridge
    /// regression, registered, profiled (out-of-fold scores and residuals) and made champion if the model has none.
    public func runRegression(features: TrainingTable, labels: [Double], source: String, format: String = "csv", registry: ModelRegistry,
                              runID: String? = nil, now: Int64? = nil) throws -> RegressionOutcome {
        try ModelRegistry.validate(modelID: modelID)
        let runID = runID ?? UUID().uuidString.lowercased()
        let now = now ?? Int64(Date().timeIntervalSince1970 * 1_000)
        let started = ContinuousClock.now
        let validation = try regressor.crossValidate(features, labels: labels, target: target, folds: StratifiedKFold(folds: folds, seed: seed))
        let model = try regressor.fit(features, labels: labels, target: target)
        let draft = try draftRecord(runID: runID, now: now, classes: [], features: model.featureNames, source: source, rows: labels.count,
                                means: validation.means, deviations: validation.standardDeviations,
                                seconds: (ContinuousClock.now - started).inSeconds, registry: registry)
        let record = try registry.register(model, record: draft) { version in
            try Self.regressionProfile(features: features, labels: labels, scores: validation.outOfFoldPredictions, modelID: modelID, version: version,
                                       source: ReferenceProfile.Source(path: source, format: format, rows: labels.count), at: now)
        }
        let promoted = try finish(record, features: features, labels: labels.map(\.canonicalText), registry: registry, now: now)
        return RegressionOutcome(record: record, crossValidation: validation, promoted: promoted)
    }

    /// A first version's record before registration (the registry assigns the number).
    private func draftRecord(runID: String, now: Int64, classes: [String], features: [String], source: String, rows: Int,
                             means: [(String, Double)], deviations: [(String, Double)], seconds: Double,
                             registry: ModelRegistry) throws -> VersionRecord {
        VersionRecord(
            modelID: modelID, version: "0", runID: runID, createdAt: now, parentVersion: try registry.champion(modelID), trigger: "initial",
            target: target, classes: classes, features: features, dataSource: source, trainingRows: rows, metrics: means,
            crossValidation: CrossValidationSummary(folds: folds, seed: seed, scope: "training", mean: means, standardDeviation: deviations),
            trainingSeconds: seconds)
    }

    /// After registration: the rows become the model's training data (the "old" data its first retraining mixes with
    /// the new), and the version is promoted when the model has no champion, else logged as registered. Whether it was promoted.
    private func finish(_ record: VersionRecord, features: TrainingTable, labels: [String], registry: ModelRegistry, now: Int64) throws -> Bool {
        try LabelledStore(directory: registry.directory).setTraining(model: modelID, rows: LabelledRow.rows(features, labels: labels, time: now))
        guard try registry.champion(modelID) == nil else {
            try registry.log(modelID, event: ModelVersionEvent.json(record, status: "registered", at: now, reasons: ["trained by hand; promote it explicitly"]))
            return false
        }
        try registry.promote(modelID, record.version, event: ModelVersionEvent.json(
            record, status: "champion", at: now, reasons: ["first version of \(modelID)"], profile: try registry.profile(modelID, record.version)), at: now)
        return true
    }

    /// What a regression training produced.
    public struct RegressionOutcome: Sendable {
        public var record: VersionRecord
        public var crossValidation: RegressionCrossValidation
        public var promoted: Bool
    }

    /// A regression version's reference profile: its features, and the honest (out-of-fold or held-out) scores
    /// with the labels, whose differences are the reference residuals.
    public static func regressionProfile(features: TrainingTable, labels: [Double], scores: [Double], modelID: String, version: String,
                                         source: ReferenceProfile.Source, at time: Int64) throws -> ReferenceProfile {
        try ReferenceProfileBuilder().build(modelID: modelID, modelVersion: version, createdAt: time, source: source,
                                            columns: columns(features), outcomes: .init(scores: scores, numericLabels: labels))
    }

    static func columns(_ features: TrainingTable) -> [ReferenceProfileBuilder.Column] {
        features.columns.map { column -> ReferenceProfileBuilder.Column in
            switch column.values {
            case .numeric(let values): .numeric(name: column.name, values: values)
            case .categorical(let values): .categorical(name: column.name, values: values)
            }
        }
    }

    /// The reference profile of a version: its training features, the labels, and the out-of-fold
    /// predictions and class probabilities.
    public static func profile(features: TrainingTable, labels: [String], validation: CrossValidation, modelID: String, version: String,
                        source: ReferenceProfile.Source, at time: Int64) throws -> ReferenceProfile {
        try profile(features: features, labels: labels, classes: validation.classes, probabilities: validation.outOfFoldProbabilities,
                    modelID: modelID, version: version, source: source, at: time)
    }

    /// The reference profile of a version from features, labels and honest (not trained-on) class
    /// probabilities per row, in `classes` order.
    public static func profile(features: TrainingTable, labels: [String], classes: [String], probabilities: [[Double]], modelID: String,
                               version: String, source: ReferenceProfile.Source, at time: Int64) throws -> ReferenceProfile {
        let columns = columns(features)
        let predictions: [String?] = probabilities.map { classes[LogisticModel.mostProbable($0)] }
        let outcomes = ReferenceProfileBuilder.Outcomes(
            predictions: predictions,
            probabilities: classes.enumerated().map { index, name in (name: name, values: probabilities.map { $0[index] }) },
            labels: labels.map { Optional($0) })
        return try ReferenceProfileBuilder().build(modelID: modelID, modelVersion: version, createdAt: time, source: source,
                                                   columns: columns, outcomes: outcomes)
    }
}
