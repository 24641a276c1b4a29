public import DriftContracts

/// How far one source partition has closed its windows: stage 2 treats every window ending at or before
/// ``closedThrough`` as reported by this partition (a window with no events there has nothing to report).
public struct PartitionProgress: Sendable, Equatable {
    public var source: SourcePartition
    /// Windows ending at or before this time (ms) are closed on the partition; `Int64.min` before any.
    public var closedThrough: Int64
    /// The partition left this worker (revoked or shut down): stage 2 stops waiting for it.
    public var released: Bool

    public init(source: SourcePartition, closedThrough: Int64, released: Bool) {
        self.source = source
        self.closedThrough = closedThrough
        self.released = released
    }
}

/// What stage 1 produces.
public enum Stage1Output: Sendable {
    /// A closed window's summary, for `driftwatch.partials`.
    case partial(WindowPartial)
    /// A partition's progress, for every partition of `driftwatch.partials`.
    case progress(PartitionProgress)
    /// A refused event, for the dead-letter topic.
    case deadLetter(DeadLetterRecord)
    /// A closed window's label requests, for `label-requests`.
    case labelRequests([LabelRequest])
}

/// Stage 1's counters since start.
public struct Stage1Counters: Sendable, Equatable {
    /// Inference events decoded and placed in windows.
    public var inferenceAccepted: UInt64 = 0
    /// Feedback events decoded.
    public var feedbackAccepted: UInt64 = 0
    /// Labels joined with their prediction (carried in the event or from feedback).
    public var labelsJoined: UInt64 = 0
    /// Dead-lettered events by reason code.
    public var deadLettered: [ViolationReason: UInt64] = [:]
    /// Label requests emitted.
    public var labelRequests: UInt64 = 0
    /// Partials emitted (progress records are not counted).
    public var partialsEmitted: UInt64 = 0
    /// Features in events that the model's profile does not have, and numeric features that carried text.
    public var unexpectedFeatures: UInt64 = 0
    public var typeMismatches: UInt64 = 0
    /// Restored window summaries that could not be merged with the events after the checkpoint (the
    /// model version's profile changed its features in between): the restored part is dropped, counted.
    public var restoreMergeFailures: UInt64 = 0
    /// The window and reason of the last restore-merge failure.
    public var lastRestoreMergeFailure: String?

    public init() {}

    /// All dead-lettered events.
    public var deadLetteredTotal: UInt64 { deadLettered.values.reduce(0, +) }
}
