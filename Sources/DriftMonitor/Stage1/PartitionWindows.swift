import DriftContracts

/// A model version as stage 1 keys it: the interned model id and version.
struct ModelKey: Hashable, Sendable {
    var model: Symbol
    var version: Symbol
}

/// One source partition's open windows: a window assigner (one per model for count windows, whose
/// numbering is per model) and an accumulator per (model version, window).
struct PartitionWindows {
    struct Slot: Hashable {
        var model: ModelKey
        var window: WindowKey
    }

    let source: SourcePartition
    var timeAssigner: WindowAssigner
    var countAssigners: [ModelKey: WindowAssigner] = [:]
    var open: [Slot: WindowAccumulator] = [:]
    /// Late events since the last partial, per model.
    var late: [ModelKey: UInt64] = [:]
    /// The progress last reported.
    var reportedClosedThrough: Int64 = .min
    /// Whether stage 2 was told not to wait for this partition (idle since assignment, no event yet).
    var reportedIdle = false

    init(source: SourcePartition, spec: WindowSpec) {
        self.source = source
        timeAssigner = WindowAssigner(spec: spec)
    }

    /// Windows ending at or before this are closed here.
    var closedThrough: Int64 {
        timeAssigner.watermark == .min ? .min : timeAssigner.watermark - timeAssigner.spec.grace
    }
}
