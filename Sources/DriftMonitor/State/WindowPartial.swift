public import DriftStats

/// Where events come from: one partition of one topic.
public struct SourcePartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }
    public static func < (lhs: SourcePartition, rhs: SourcePartition) -> Bool { (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition) }
    public var description: String { "\(topic)/\(partition)" }
}

/// One feature's state in a window.
public enum FeaturePartial: Sendable, Equatable {
    case numeric(NumericPartial)
    case categorical(CategoricalPartial)

    /// Present values.
    public var count: UInt64 {
        switch self {
        case .numeric(let partial): partial.count
        case .categorical(let partial): partial.count
        }
    }

    /// Missing values.
    public var missing: UInt64 {
        switch self {
        case .numeric(let partial): partial.missing
        case .categorical(let partial): partial.missing
        }
    }

    mutating func merge(_ other: FeaturePartial) throws {
        switch (self, other) {
        case (.numeric(var mine), .numeric(let theirs)):
            try mine.merge(theirs)
            self = .numeric(mine)
        case (.categorical(var mine), .categorical(let theirs)):
            try mine.merge(theirs)
            self = .categorical(mine)
        default:
            throw PartialError.mismatch("a feature is numeric on one side and categorical on the other")
        }
    }
}

/// The summary of one (model, version, window) from one or more source partitions: what stage 1 publishes on
/// `driftwatch.partials` and stage 2 merges before evaluating. Features are in the profile's order.
///
/// A partial with no events still tells stage 2 how far its partitions' watermarks have moved (a window with
/// no events on a partition is covered once that partition's watermark passes it).
public struct WindowPartial: Sendable, Equatable {
    /// How windows are cut (written in drift events as `window.kind`).
    public enum Kind: String, Sendable {
        case tumbling, hopping, count
    }

    public var modelID: String
    public var modelVersion: String
    public var window: WindowKey
    public var kind: Kind
    /// The source partitions merged into this partial.
    public var sources: [SourcePartition]
    /// The reporting partition's watermark when it emitted the partial (the smallest over merged partials).
    public var watermark: Int64
    /// Events in the window.
    public var count: UInt64
    /// Events refused as late since the partition's previous partial.
    public var late: UInt64
    /// The earliest and latest event time in the window (`Int64.max` / `Int64.min` when it has no events).
    public var earliestEventTime: Int64 = .max
    public var latestEventTime: Int64 = .min
    /// When stage 1 closed the window (processing time, ms; the latest across merged partials; `.min` if
    /// unknown): where the window-close-to-drift-event latency starts.
    public var closedAt: Int64 = .min
    /// Set by stage 2 when it hands the merged window over for evaluation (not part of the binary form).
    public var coverage: WindowCoverage?
    /// Features in profile order (names parallel).
    public var featureNames: [String]
    public var features: [FeaturePartial]
    /// Per feature (parallel to ``features``): present values outside the reference's observed range
    /// (numeric features; always 0 for categorical ones). Empty in partials written before format version 3.
    public var outOfRange: [UInt64] = []
    /// Latency and error counts of the model server.
    public var operations = OperationalPartial()
    public var outcomes: OutcomePartial
    public var rows: RowSamplePartial

    public init(
        modelID: String, modelVersion: String, window: WindowKey, kind: Kind, sources: [SourcePartition], watermark: Int64,
        count: UInt64, late: UInt64, featureNames: [String], features: [FeaturePartial], outcomes: OutcomePartial, rows: RowSamplePartial
    ) {
        self.modelID = modelID
        self.modelVersion = modelVersion
        self.window = window
        self.kind = kind
        self.sources = sources
        self.watermark = watermark
        self.count = count
        self.late = late
        self.featureNames = featureNames
        self.features = features
        self.outcomes = outcomes
        self.rows = rows
    }

    /// Adds `other`, a partial of the same model, version and window from other partitions.
    public mutating func merge(_ other: WindowPartial) throws {
        guard modelID == other.modelID, modelVersion == other.modelVersion, window == other.window else {
            throw PartialError.mismatch("\(modelID)/\(modelVersion) \(window) against \(other.modelID)/\(other.modelVersion) \(other.window)")
        }
        guard featureNames == other.featureNames else { throw PartialError.mismatch("the feature lists differ") }
        for index in features.indices { try features[index].merge(other.features[index]) }
        if outOfRange.isEmpty {
            outOfRange = other.outOfRange
        } else if other.outOfRange.count == outOfRange.count {
            for index in outOfRange.indices { outOfRange[index] += other.outOfRange[index] }
        }
        try operations.merge(other.operations)
        try outcomes.merge(other.outcomes)
        rows.merge(other.rows, seed: UInt64(bitPattern: window.start))
        sources = Array(Set(sources + other.sources)).sorted()
        watermark = min(watermark, other.watermark)
        count += other.count
        late += other.late
        earliestEventTime = min(earliestEventTime, other.earliestEventTime)
        latestEventTime = max(latestEventTime, other.latestEventTime)
        closedAt = max(closedAt, other.closedAt)
    }
}
