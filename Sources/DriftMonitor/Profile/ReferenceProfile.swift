public import DriftStats

/// A model version's baseline: what every window of its traffic is compared with
/// (`schemas/reference-profile.schema.json`). Built by ``ReferenceProfileBuilder`` from training data.
public struct ReferenceProfile: Sendable {
    /// The schema version written in `schema_version`.
    public static let schemaVersion = "1"

    public var modelID: String
    public var modelVersion: String
    /// When it was built, milliseconds since the epoch.
    public var createdAt: Int64
    /// Where the data came from.
    public var source: Source?
    /// Rows profiled.
    public var rows: Int
    /// One entry per feature, in the data's column order.
    public var features: [FeatureProfile]
    /// The prediction's class distribution and confidence, when the data has predictions.
    public var prediction: PredictionProfile?
    /// The model's baseline performance, when the data has labels and predictions.
    public var performance: PerformanceProfile?
    /// A uniform sample of rows for the domain classifier.
    public var reservoir: RowSample?

    public init(
        modelID: String, modelVersion: String, createdAt: Int64, source: Source?, rows: Int, features: [FeatureProfile],
        prediction: PredictionProfile? = nil, performance: PerformanceProfile? = nil, reservoir: RowSample? = nil
    ) {
        self.modelID = modelID
        self.modelVersion = modelVersion
        self.createdAt = createdAt
        self.source = source
        self.rows = rows
        self.features = features
        self.prediction = prediction
        self.performance = performance
        self.reservoir = reservoir
    }

    /// The data source of a profile.
    public struct Source: Sendable, Equatable {
        public var path: String
        public var format: String
        public var rows: Int
        public init(path: String, format: String, rows: Int) {
            self.path = path
            self.format = format
            self.rows = rows
        }
    }

    /// The feature named `name`.
    public func feature(_ name: String) -> FeatureProfile? { features.first { $0.name == name } }
}

/// One feature's reference distribution.
public struct FeatureProfile: Sendable {
    public var name: String
    /// Non-missing values.
    public var count: Int
    public var missing: Int
    public var summary: Summary

    public enum Summary: Sendable {
        case numeric(NumericSummary)
        case categorical(CategoricalSummary)
    }

    public init(name: String, count: Int, missing: Int, summary: Summary) {
        self.name = name
        self.count = count
        self.missing = missing
        self.summary = summary
    }

    /// A numeric feature's observed range in the reference (`nil` for categorical features and empty columns):
    /// window values outside it count toward `out_of_range_share`.
    public var numericRange: ClosedRange<Double>? {
        guard case .numeric(let summary) = summary, summary.moments.count > 0 else { return nil }
        let low = summary.moments.min
        let high = summary.moments.max
        return low.isFinite && high.isFinite && low <= high ? low...high : nil
    }

    /// `numeric` or `categorical`.
    public var typeName: String {
        if case .numeric = summary { return "numeric" }
        return "categorical"
    }
}

/// A numeric distribution: a histogram on the reference's decile edges (ties collapsed, outer bins open),
/// moments, and a KLL quantile sketch.
public struct NumericSummary: Sendable {
    public var histogram: FixedEdgeHistogram
    public var moments: Moments
    public var sketch: KLLSketch

    public init(histogram: FixedEdgeHistogram, moments: Moments, sketch: KLLSketch) {
        self.histogram = histogram
        self.moments = moments
        self.sketch = sketch
    }
}

/// A categorical distribution: counts per category, most frequent first; `other` counts values beyond the
/// kept categories.
public struct CategoricalSummary: Sendable, Equatable {
    public var counts: [(value: String, count: UInt64)]
    public var other: UInt64

    public init(counts: [(value: String, count: UInt64)], other: UInt64) {
        self.counts = counts
        self.other = other
    }

    public static func == (lhs: CategoricalSummary, rhs: CategoricalSummary) -> Bool {
        lhs.other == rhs.other && lhs.counts.elementsEqual(rhs.counts) { $0.value == $1.value && $0.count == $1.count }
    }

    /// The total count (kept categories and other).
    public var total: UInt64 { counts.reduce(other) { $0 + $1.count } }
}

/// The predictions in the reference data.
public struct PredictionProfile: Sendable {
    /// Predicted classes and their counts, most frequent first.
    public var classes: [(value: String, count: UInt64)]
    /// The top-class probability's distribution.
    public var confidence: NumericSummary?
    /// The score's distribution (regression and scoring models).
    public var score: NumericSummary?
    /// Regression: the residuals (label − score) on the reference's labelled rows.
    public var residual: NumericSummary?

    public init(classes: [(value: String, count: UInt64)], confidence: NumericSummary?, score: NumericSummary?, residual: NumericSummary? = nil) {
        self.classes = classes
        self.confidence = confidence
        self.score = score
        self.residual = residual
    }
}

/// The model's performance on the reference data.
public struct PerformanceProfile: Sendable, Equatable {
    /// Rows with both a label and a prediction.
    public var labelled: Int
    /// `accuracy`, `precision_macro`, `recall_macro`, `f1_macro`, `roc_auc` (binary), in that order.
    public var metrics: [(name: String, value: Double)]

    public init(labelled: Int, metrics: [(name: String, value: Double)]) {
        self.labelled = labelled
        self.metrics = metrics
    }

    public static func == (lhs: PerformanceProfile, rhs: PerformanceProfile) -> Bool {
        lhs.labelled == rhs.labelled && lhs.metrics.elementsEqual(rhs.metrics) { $0.name == $1.name && $0.value.bitPattern == $1.value.bitPattern }
    }

    /// The metric named `name`.
    public func metric(_ name: String) -> Double? { metrics.first { $0.name == name }?.value }
}

/// A uniform sample of rows: the reference side of the domain classifier.
public struct RowSample: Sendable, Equatable {
    /// A value in a sampled row.
    public enum Value: Sendable, Equatable {
        case number(Double)
        case string(String)
        case missing
    }

    public var columns: [String]
    public var rows: [[Value]]

    public init(columns: [String], rows: [[Value]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// A model version by its names: how both stages key profiles and per-version state.
struct ProfileKey: Hashable, Sendable {
    var model: String
    var version: String
}
