import DriftContracts

extension Stage1Processor {
    /// The partitions whose state this processor holds.
    public var trackedSources: [SourcePartition] { partitions.keys.sorted() }

    /// Records that every event of `source` before `nextOffset` has been processed (call after each batch,
    /// under the same lock as the processing, so a checkpoint's state and offset agree).
    public mutating func advance(_ source: SourcePartition, to nextOffset: Int64) {
        if partitions[source] == nil { partitions[source] = PartitionWindows(source: source, spec: configuration.window) }
        partitions[source]?.nextOffset = nextOffset
    }

    /// The partition's state as a checkpoint, or `nil` when it is not tracked or has processed nothing
    /// since it was assigned (no offset to resume from).
    /// A restored summary that cannot merge with the events after it is counted in
    /// ``Stage1Counters/restoreMergeFailures`` (its events are missing from the window: the service reports it).
    public mutating func checkpoint(_ source: SourcePartition, now: Int64) -> Stage1Checkpoint? {
        guard let windows = partitions[source], let nextOffset = windows.nextOffset else { return nil }
        let summaries = windows.slots.sorted().compactMap {
            windows.summary(of: $0, symbols: symbols, kind: configuration.windowKind, counters: &counters)
        }
        return Stage1Checkpoint(
            source: source, nextOffset: nextOffset, takenAt: now, timeAssigner: windows.timeAssigner.state,
            countAssigners: windows.countAssigners.sorted { ($0.key.model, $0.key.version) < ($1.key.model, $1.key.version) }.map {
                Stage1Checkpoint.ModelState(model: symbols.string($0.key.model), version: symbols.string($0.key.version), value: $0.value.state)
            },
            windows: summaries,
            late: windows.late.sorted { ($0.key.model, $0.key.version) < ($1.key.model, $1.key.version) }.map {
                Stage1Checkpoint.ModelState(model: symbols.string($0.key.model), version: symbols.string($0.key.version), value: $0.value)
            },
            reportedClosedThrough: windows.reportedClosedThrough, reportedIdle: windows.reportedIdle)
    }

    /// Takes a partition over from a checkpoint (instead of ``assign(_:)``): its windows carry on from the
    /// checkpoint's state, and the caller resumes consumption at ``Stage1Checkpoint/nextOffset``. Stage 2 is
    /// told the partition's progress. The idle clock restarts at `now` (the worker may have been down for
    /// longer than the idle timeout: that must not close windows whose events are still to be replayed).
    public mutating func restore(_ checkpoint: Stage1Checkpoint, now: Int64) {
        var windows = PartitionWindows(source: checkpoint.source, spec: configuration.window)
        windows.timeAssigner = WindowAssigner(spec: configuration.window, state: checkpoint.timeAssigner)
        windows.timeAssigner.restartIdleClock(at: now)
        for entry in checkpoint.countAssigners {
            var assigner = WindowAssigner(spec: configuration.window, state: entry.value)
            assigner.restartIdleClock(at: now)
            windows.countAssigners[modelKey(entry.model, entry.version)] = assigner
        }
        for partial in checkpoint.windows {
            windows.restored[PartitionWindows.Slot(model: modelKey(partial.modelID, partial.modelVersion), window: partial.window)] = partial
        }
        for entry in checkpoint.late { windows.late[modelKey(entry.model, entry.version)] = entry.value }
        windows.reportedClosedThrough = checkpoint.reportedClosedThrough
        windows.reportedIdle = checkpoint.reportedIdle
        windows.nextOffset = checkpoint.nextOffset
        partitions[checkpoint.source] = windows
        outputs.append(.progress(PartitionProgress(source: checkpoint.source, closedThrough: windows.closedThrough, released: false)))
    }

    /// Lets a partition go without summarising its open windows: its state travels in a checkpoint to the
    /// next owner, and stage 2 keeps waiting for it.
    public mutating func handOver(_ source: SourcePartition) {
        partitions.removeValue(forKey: source)
    }

    private mutating func modelKey(_ model: String, _ version: String) -> ModelKey {
        ModelKey(model: symbols.intern(model), version: symbols.intern(version))
    }
}
