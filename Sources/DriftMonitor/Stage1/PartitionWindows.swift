import DriftContracts

/// A model version as stage 1 keys it: the interned model id and version.
struct ModelKey: Hashable, Sendable {
    var model: Symbol
    var version: Symbol
}

/// One source partition's open windows: a window assigner (one per model for count windows, whose
/// numbering is per model) and an accumulator per (model version, window).
struct PartitionWindows {
    struct Slot: Hashable, Comparable {
        var model: ModelKey
        var window: WindowKey

        static func < (lhs: Slot, rhs: Slot) -> Bool {
            (lhs.window, lhs.model.model, lhs.model.version) < (rhs.window, rhs.model.model, rhs.model.version)
        }
    }

    let source: SourcePartition
    var timeAssigner: WindowAssigner
    var countAssigners: [ModelKey: WindowAssigner] = [:]
    var open: [Slot: WindowAccumulator] = [:]
    /// Summaries restored from a checkpoint, of the events before it; events after it go to ``open`` and
    /// the two are merged when the window closes.
    var restored: [Slot: WindowPartial] = [:]
    /// Late events since the last partial, per model.
    var late: [ModelKey: UInt64] = [:]
    /// The progress last reported.
    var reportedClosedThrough: Int64 = .min
    /// Whether stage 2 was told not to wait for this partition (idle since assignment, no event yet).
    var reportedIdle = false
    /// The first input offset not yet processed (`nil` until the first batch or a restore).
    var nextOffset: Int64?

    init(source: SourcePartition, spec: WindowSpec) {
        self.source = source
        timeAssigner = WindowAssigner(spec: spec)
    }

    /// Windows ending at or before this are closed here.
    var closedThrough: Int64 {
        timeAssigner.watermark == .min ? .min : timeAssigner.watermark - timeAssigner.spec.grace
    }

    /// Every open slot: with events since the checkpoint, restored, or both.
    var slots: Set<Slot> { Set(open.keys).union(restored.keys) }

    /// The summary of a slot so far: the restored part merged with the accumulator's (without late counts
    /// or close time). `nil` for a slot that is not open.
    /// A restored part that does not merge is counted in `counters` (with the window and the reason) and left out.
    func summary(of slot: Slot, symbols: SymbolTable, kind: WindowPartial.Kind, counters: inout Stage1Counters) -> WindowPartial? {
        let fresh = open[slot].map {
            $0.partial(symbols: symbols, window: slot.window, kind: kind, source: source, watermark: closedThrough, late: 0)
        }
        guard var base = restored[slot] else { return fresh }
        base.watermark = closedThrough
        guard let fresh else { return base }
        do {
            try base.merge(fresh)
            base.watermark = closedThrough
            return base
        } catch {
            counters.restoreMergeFailures += 1
            counters.lastRestoreMergeFailure = "\(slot.window): \(error)"
            return fresh
        }
    }
}
