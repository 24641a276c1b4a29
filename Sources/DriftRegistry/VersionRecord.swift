public import DriftJSON
import DriftContracts

/// What the registry keeps about one model version besides its artifacts: identity, lineage, the data it
/// was trained on, and its validation figures. Stored as `version.json` beside `model.json` and `profile.json`.
public struct VersionRecord: Sendable, Equatable {
    /// The model's id.
    public var modelID: String
    /// The version ("1", "2", …; assigned by the registry).
    public var version: String
    /// A unique id of the training run that produced it.
    public var runID: String
    /// When it was registered (ms since the epoch, UTC).
    public var createdAt: Int64
    /// The version it was trained to replace (`nil` for the first).
    public var parentVersion: String?
    /// Why it was trained: `initial`, `drift`, `performance`, `schedule`, `manual`.
    public var trigger: String
    /// The trigger's details (the drift event's id, the metric that fell, …).
    public var triggerDetail: String?
    /// The label column.
    public var target: String
    /// Class names, in the model's order.
    public var classes: [String]
    /// Input feature names, in order.
    public var features: [String]
    /// Where the training rows came from (a file path, or `labelled events`).
    public var dataSource: String
    /// Training rows used.
    public var trainingRows: Int
    /// Event-time range of the training rows, when known (ms since the epoch).
    public var dataFrom: Int64?
    public var dataTo: Int64?
    /// Headline metrics (cross-validated means unless said otherwise), by name.
    public var metrics: [(String, Double)]
    /// Cross-validation: folds and per-metric mean and standard deviation.
    public var crossValidation: CrossValidationSummary?
    /// Seconds spent training (cross-validation included).
    public var trainingSeconds: Double

    /// A record of every field.
    public init(modelID: String, version: String, runID: String, createdAt: Int64, parentVersion: String?, trigger: String,
                triggerDetail: String? = nil, target: String, classes: [String], features: [String], dataSource: String,
                trainingRows: Int, dataFrom: Int64? = nil, dataTo: Int64? = nil, metrics: [(String, Double)],
                crossValidation: CrossValidationSummary?, trainingSeconds: Double) {
        self.modelID = modelID
        self.version = version
        self.runID = runID
        self.createdAt = createdAt
        self.parentVersion = parentVersion
        self.trigger = trigger
        self.triggerDetail = triggerDetail
        self.target = target
        self.classes = classes
        self.features = features
        self.dataSource = dataSource
        self.trainingRows = trainingRows
        self.dataFrom = dataFrom
        self.dataTo = dataTo
        self.metrics = metrics
        self.crossValidation = crossValidation
        self.trainingSeconds = trainingSeconds
    }

    /// A metric by name.
    public func metric(_ name: String) -> Double? { metrics.first { $0.0 == name }?.1 }

    public static func == (lhs: VersionRecord, rhs: VersionRecord) -> Bool { lhs.json() == rhs.json() }

    /// The record as `version.json` holds it.
    public func json() -> JSONValue {
        .object([
            ("format", .string("driftwatch.model-version")),
            ("format_version", .int(1)),
            ("model_id", .string(modelID)),
            ("version", .string(version)),
            ("run_id", .string(runID)),
            ("created_at", .string(EventTimestamp.format(createdAt))),
            ("parent_version", parentVersion.map(JSONValue.string) ?? .null),
            ("trigger", .string(trigger)),
            ("trigger_detail", triggerDetail.map(JSONValue.string) ?? .null),
            ("target", .string(target)),
            ("classes", .array(classes.map(JSONValue.string))),
            ("features", .array(features.map(JSONValue.string))),
            ("training", .object([
                ("source", .string(dataSource)), ("rows", .int(trainingRows)),
                ("data_from", dataFrom.map { .string(EventTimestamp.format($0)) } ?? .null),
                ("data_to", dataTo.map { .string(EventTimestamp.format($0)) } ?? .null),
                ("seconds", .number(trainingSeconds)),
            ])),
            ("metrics", .object(metrics.map { ($0.0, .number($0.1)) })),
            ("cross_validation", crossValidation?.json() ?? .null),
        ])
    }

    /// Reads a record written by ``json()``.
    public init(json value: JSONValue, path: String) throws(RegistryError) {
        func damaged(_ reason: String) -> RegistryError { .damaged(path: path, reason: reason) }
        guard value["format"]?.stringValue == "driftwatch.model-version" else { throw damaged("not a driftwatch.model-version document") }
        guard (value["format_version"]?.intValue ?? 99) <= 1 else { throw damaged("format version \(value["format_version"]?.intValue ?? 0) is newer than this build reads") }
        guard let modelID = value["model_id"]?.stringValue, let version = value["version"]?.stringValue,
              let runID = value["run_id"]?.stringValue, let created = value["created_at"]?.stringValue.flatMap(EventTimestamp.parse),
              let trigger = value["trigger"]?.stringValue, let target = value["target"]?.stringValue,
              let classes = value["classes"]?.arrayValue?.compactMap(\.stringValue),
              let features = value["features"]?.arrayValue?.compactMap(\.stringValue),
              let training = value["training"], let source = training["source"]?.stringValue, let rows = training["rows"]?.intValue,
              let metrics = value["metrics"]?.objectValue
        else { throw damaged("a required field is missing or has the wrong type") }
        self.init(
            modelID: modelID, version: version, runID: runID, createdAt: created, parentVersion: value["parent_version"]?.stringValue,
            trigger: trigger, triggerDetail: value["trigger_detail"]?.stringValue, target: target, classes: classes, features: features,
            dataSource: source, trainingRows: rows, dataFrom: training["data_from"]?.stringValue.flatMap(EventTimestamp.parse),
            dataTo: training["data_to"]?.stringValue.flatMap(EventTimestamp.parse),
            metrics: metrics.compactMap { name, number in number.doubleValue.map { (name, $0) } },
            crossValidation: value["cross_validation"].flatMap(CrossValidationSummary.init(json:)),
            trainingSeconds: training["seconds"]?.doubleValue ?? 0)
    }
}

/// Cross-validation figures as the registry keeps them.
public struct CrossValidationSummary: Sendable, Equatable {
    /// The number of folds.
    public var folds: Int
    /// The shuffling seed.
    public var seed: UInt64
    /// What was cross-validated: `new` (the recent data), `all` (old and new mixed), `training` (a first version).
    public var scope: String
    /// Per-metric mean over the folds.
    public var mean: [(String, Double)]
    /// Per-metric standard deviation over the folds.
    public var standardDeviation: [(String, Double)]

    /// A summary of every field.
    public init(folds: Int, seed: UInt64, scope: String, mean: [(String, Double)], standardDeviation: [(String, Double)]) {
        self.folds = folds
        self.seed = seed
        self.scope = scope
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    public static func == (lhs: CrossValidationSummary, rhs: CrossValidationSummary) -> Bool { lhs.json() == rhs.json() }

    func json() -> JSONValue {
        .object([
            ("folds", .int(folds)), ("seed", .string(String(seed))), ("scope", .string(scope)),
            ("mean", .object(mean.map { ($0.0, .number($0.1)) })),
            ("std", .object(standardDeviation.map { ($0.0, .number($0.1)) })),
        ])
    }

    init?(json value: JSONValue) {
        guard let folds = value["folds"]?.intValue, let seed = value["seed"]?.stringValue.flatMap({ UInt64($0) }),
              let mean = value["mean"]?.objectValue, let deviation = value["std"]?.objectValue else { return nil }
        self.init(folds: folds, seed: seed, scope: value["scope"]?.stringValue ?? "training",
                  mean: mean.compactMap { name, number in number.doubleValue.map { (name, $0) } },
                  standardDeviation: deviation.compactMap { name, number in number.doubleValue.map { (name, $0) } })
    }
}
