public import DriftJSON
public import DriftStats

/// A rule that fired: the metric, its value, the threshold it crossed and the severity that gives.
public struct Trigger: Sendable, Equatable {
    public var metric: String
    public var value: Double
    public var threshold: Double
    public var severity: Severity

    public init(metric: String, value: Double, threshold: Double, severity: Severity) {
        self.metric = metric
        self.value = value
        self.threshold = threshold
        self.severity = severity
    }
}

/// Named metric values in report order (`nil`: does not apply, left out; NaN: written as `null`).
public struct MetricList: Sendable, Equatable {
    public private(set) var entries: [(name: String, value: JSONValue)] = []

    public init() {}

    public static func == (lhs: MetricList, rhs: MetricList) -> Bool {
        JSONValue.object(lhs.entries.map { ($0.name, $0.value) }) == JSONValue.object(rhs.entries.map { ($0.name, $0.value) })
    }

    public mutating func set(_ name: String, _ value: Double?) {
        guard let value else { return }
        entries.append((name, .number(value)))
    }

    public mutating func set(_ name: String, integer value: Int) { entries.append((name, .int(value))) }

    public mutating func set(_ name: String, text value: String) { entries.append((name, .string(value))) }

    /// The number stored under `name`.
    public subscript(name: String) -> Double? {
        entries.first(where: { $0.name == name }).flatMap { Self.number($0.value) }
    }

    /// The entries that hold numbers, in order.
    public var numbers: [(name: String, value: Double)] {
        entries.compactMap { entry in Self.number(entry.value).map { (entry.name, $0) } }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }

    var json: JSONValue { .object(entries.map { ($0.name, $0.value) }) }
}

/// Rules applied to metrics.
struct TriggerSet {
    private(set) var triggers: [Trigger] = []

    /// Fires when `value` exceeds a threshold.
    mutating func graded(_ metric: String, _ value: Double?, warning: Double, critical: Double) {
        guard let value, !value.isNaN else { return }
        if value > critical {
            triggers.append(Trigger(metric: metric, value: value, threshold: critical, severity: .critical))
        } else if value > warning {
            triggers.append(Trigger(metric: metric, value: value, threshold: warning, severity: .warning))
        }
    }

    /// Fires WARNING when an adjusted p-value is below alpha and the effect is large enough.
    mutating func test(_ metric: String, pValue: Double?, effect: Double?, policy: MonitorPolicy) {
        guard let pValue, let effect, pValue < policy.alpha, effect >= policy.minimumEffect else { return }
        triggers.append(Trigger(metric: metric, value: pValue, threshold: policy.alpha, severity: .warning))
    }

    var severity: Severity { triggers.map(\.severity).max() ?? .normal }

    /// Adds a trigger decided elsewhere.
    mutating func add(_ trigger: Trigger) { triggers.append(trigger) }
}

/// One feature's evaluation in a window.
public struct FeatureEvaluation: Sendable, Equatable {
    public var name: String
    /// `numeric` or `categorical`.
    public var type: String
    public var severity: Severity
    public var count: UInt64
    public var missing: UInt64
    public var metrics: MetricList
    public var missingRate: Double?
    public var missingRateReference: Double?
    public var unseenShare: Double?
    public var unseen: [(value: String, count: UInt64)]
    /// Numeric features: the share of present values outside the reference's observed range.
    public var outOfRangeShare: Double? = nil
    public var triggers: [Trigger]
    /// The window's distribution, for reports and dashboards (the reference's is in the profile).
    public var distribution: FeatureDistribution? = nil
    /// The raw p-value awaiting the family's correction (KS or chi-square), and its effect size.
    var rawPValue: Double?
    var pValueMetric: String?
    var effect: Double?

    public static func == (lhs: FeatureEvaluation, rhs: FeatureEvaluation) -> Bool {
        lhs.name == rhs.name && lhs.severity == rhs.severity && lhs.metrics == rhs.metrics && lhs.triggers == rhs.triggers
    }

    /// How drifted, for ordering `top_features`: severity first, then PSI.
    var driftScore: (Int, Double) { (severity.rank, metrics["psi"] ?? 0) }
}

/// A feature's distribution in a window, laid out as the reference profile's: for a numeric feature the
/// counts on the profile's histogram edges (below the first edge first, above the last one last) and quantiles
/// from the window's sketch; for a categorical one the counts of the profile's categories, in its order, and of
/// its `other` bucket (unseen values are listed apart, in `unseen`).
public enum FeatureDistribution: Sendable, Equatable {
    case numeric(histogram: [UInt64], quantiles: [(String, Double)], minimum: Double, maximum: Double)
    case categorical(counts: [UInt64], other: UInt64)

    /// The quantiles written, the reference profile's as well.
    public static let quantilePoints: [(String, Double)] = [("p01", 0.01), ("p05", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95), ("p99", 0.99)]

    /// A numeric series' window distribution: its histogram on the profile's edges, its sketch's quantiles.
    static func numeric(_ partial: NumericPartial) -> FeatureDistribution {
        let quantiles = partial.sketch.quantiles(quantilePoints.map(\.1))
        return .numeric(histogram: partial.histogram.counts, quantiles: Array(zip(quantilePoints.map(\.0), quantiles)),
                        minimum: partial.moments.min, maximum: partial.moments.max)
    }

    public static func == (lhs: FeatureDistribution, rhs: FeatureDistribution) -> Bool {
        switch (lhs, rhs) {
        case let (.numeric(a, qa, mina, maxa), .numeric(b, qb, minb, maxb)):
            a == b && mina == minb && maxa == maxb && qa.elementsEqual(qb) { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.categorical(a, oa), .categorical(b, ob)): a == b && oa == ob
        default: false
        }
    }
}

/// A group of metrics with its severity (class distribution, confidence, score).
public struct MetricGroup: Sendable, Equatable {
    public var severity: Severity
    public var metrics: MetricList
    public var triggers: [Trigger]
    /// The window's distribution (the confidence's histogram on the profile's edges), for reports.
    public var distribution: FeatureDistribution? = nil
}

/// The model's predictions in a window.
public struct PredictionEvaluation: Sendable, Equatable {
    public var severity: Severity
    public var classDistribution: MetricGroup?
    public var confidence: MetricGroup?
    public var score: MetricGroup?
}

/// The model's performance on the labels joined in a window, against the profile's baseline.
public struct PerformanceEvaluation: Sendable, Equatable {
    public var severity: Severity
    public var labelled: UInt64
    public var metrics: MetricList
    public var baseline: MetricList
    public var triggers: [Trigger]
    /// Regression: the residual distribution's drift against the reference residuals.
    public var residuals: MetricGroup? = nil
    /// Classification: the window's confusion matrix (`nil` without labelled classifications).
    public var confusion: ConfusionTable? = nil
    /// Binary classification: the positive-class probabilities of positive and negative labels, binned (for
    /// ROC and precision-recall curves).
    public var roc: ROCBins? = nil
}

/// A confusion matrix by class name, over the classes that occur as a label or a prediction (sorted).
public struct ConfusionTable: Sendable, Equatable {
    public var classes: [String]
    /// Rows are true classes, columns predicted ones, in ``classes`` order.
    public var matrix: ConfusionMatrix

    /// `counts[truth][predicted]`.
    public var counts: [[UInt64]] { matrix.counts }

    /// The labelled part of `window` (`nil` when it has none).
    init?(_ window: OutcomePartial) {
        let used = Set(window.confusion.filter { $0.value > 0 }.keys.flatMap { [$0.truth, $0.predicted] })
        guard !used.isEmpty else { return nil }
        classes = used.map { window.classes[$0] }.sorted()
        let position = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        matrix = ConfusionMatrix(labelCount: classes.count)
        for (pair, count) in window.confusion where count > 0 {
            if let truth = position[window.classes[pair.truth]], let predicted = position[window.classes[pair.predicted]] {
                matrix.record(trueLabel: truth, predicted: predicted, count: count)
            }
        }
    }
}

/// Binned positive-class probabilities of a binary classifier's labelled events: bin `i` covers
/// `[i / bins, (i + 1) / bins)`.
public struct ROCBins: Sendable, Equatable {
    public var positiveClass: String
    public var positive: [UInt64]
    public var negative: [UInt64]

    public init(positiveClass: String, positive: [UInt64], negative: [UInt64]) {
        self.positiveClass = positiveClass
        self.positive = positive
        self.negative = negative
    }

    init?(_ window: OutcomePartial) {
        guard let name = window.positiveClass, window.rocPositive.contains(where: { $0 > 0 }) || window.rocNegative.contains(where: { $0 > 0 }) else { return nil }
        positiveClass = name
        positive = window.rocPositive
        negative = window.rocNegative
    }
}

/// The model server's operational figures in a window: latency quantiles and the error rate.
public struct OperationalEvaluation: Sendable, Equatable {
    public var severity: Severity
    /// `latency_p50_ms`, `latency_p95_ms`, `latency_p99_ms`, `latency_mean_ms`, `latency_max_ms`, `latency_count`,
    /// `errors`, `error_rate`.
    public var metrics: MetricList
    public var triggers: [Trigger]
    /// The latency histogram on ``OperationalPartial/latencyEdges`` (for reports).
    public var distribution: FeatureDistribution?
}

/// The domain classifier: how well a model tells the window's rows from the reference's.
public struct CovariateShiftEvaluation: Sendable, Equatable {
    public var severity: Severity
    /// Held-out ROC-AUC (nil when either side has too few rows).
    public var rocAUC: Double?
    public var threshold: Double
    public var referenceRows: Int
    public var windowRows: Int
}
