/// The evaluation of one (model, version, window), as published on `drift-events`
/// (`schemas/drift-event.schema.json`, written by ``json()``).
public struct DriftEvent: Sendable, Equatable {
    public static let schemaVersion = "1"

    /// Deterministic: the same window evaluated again gets the same id.
    public var eventID: String
    public var modelID: String
    public var modelVersion: String
    public var window: Window
    /// The model-level severity after hysteresis (RECOVERED when an alert clears).
    public var severity: Severity
    /// The level before this window.
    public var previousSeverity: Severity
    /// The worst severity of this window's metrics alone, before hysteresis.
    public var windowSeverity: Severity
    public var features: [FeatureEvaluation]
    /// The most drifted features, worst first.
    public var topFeatures: [String]
    public var prediction: PredictionEvaluation
    public var performance: PerformanceEvaluation?
    public var covariateShift: CovariateShiftEvaluation?
    /// Latency and errors of the model server (`nil` when no event carried `latency_ms` or `error`).
    public var operations: OperationalEvaluation? = nil
    public var dataQuality: DataQuality
    public var reasons: [String]
    /// Milliseconds since the epoch.
    public var evaluatedAt: Int64
    public var policy: MonitorPolicy

    /// The window evaluated.
    public struct Window: Sendable, Equatable {
        public var start: Int64
        public var end: Int64
        public var kind: WindowPartial.Kind
        public var count: UInt64
        public var labelled: UInt64
        public var late: UInt64
        public var sources: [SourcePartition]
        /// Count windows: the window's number on its partition.
        public var sequence: Int64?
        /// When stage 1 closed the window (processing time, ms; `.min` if unknown). Not part of the JSON.
        public var closedAt: Int64 = .min
        /// The partitions the evaluation covers (stage 2 sets it).
        public var coverage: WindowCoverage?
    }

    /// Data-quality figures across the window's features.
    public struct DataQuality: Sendable, Equatable {
        public init(missingRateIncreased: [String], newCategories: [String], outOfRange: [String] = [], features: [FeatureQuality] = []) {
            self.missingRateIncreased = missingRateIncreased
            self.newCategories = newCategories
            self.outOfRange = outOfRange
            self.features = features
        }

        /// Features whose missing rate rose by more than the policy's warning threshold.
        public var missingRateIncreased: [String]
        /// Features with categories the reference never had.
        public var newCategories: [String]
        /// Numeric features with values outside the reference's range beyond the policy's warning share.
        public var outOfRange: [String] = []
        /// Per feature: missing rate against the reference's, out-of-range share (numeric), unseen share (categorical).
        public var features: [FeatureQuality] = []
    }

    /// One feature's data-quality figures in a window.
    public struct FeatureQuality: Sendable, Equatable {
        public var name: String
        public var missingRate: Double?
        public var missingRateReference: Double?
        public var outOfRangeShare: Double?
        public var unseenShare: Double?

        /// The missing rate's change against the reference (absolute).
        public var missingRateChange: Double? {
            guard let missingRate, let missingRateReference else { return nil }
            return missingRate - missingRateReference
        }
    }
}
