/// Stage 2's collection point: merges the partials of each (model version, window) from every source
/// partition and says when a window is complete — every partition it knows of has closed the window (it
/// sent its partial, or its progress passed the window's end) — or has waited ``completionTimeout`` for a
/// silent partition. Pure: clock readings in, merged windows out.
public struct WindowMerger: Sendable {
    /// How long a window waits for partitions that have not reported (processing time, ms).
    public var completionTimeout: Int64
    /// How many evaluated windows are remembered, to drop partials that come after the evaluation.
    public var rememberedWindows = 4_096

    /// Partials that arrived after their window was evaluated (dropped, counted).
    public internal(set) var latePartials: UInt64 = 0
    /// Windows evaluated because the timeout ran out rather than every partition reporting.
    public internal(set) var timedOutWindows: UInt64 = 0
    /// Partials dropped because their partition's partial for that window was already merged (a partial
    /// re-sent after a restart must not count its events twice).
    public internal(set) var duplicatePartials: UInt64 = 0

    var closedThrough: [SourcePartition: Int64] = [:]
    var pending: [Key: Pending] = [:]
    var evaluated: Set<Key> = []
    var evaluatedOrder: [Key] = []

    struct Key: Hashable, Sendable {
        var model: String
        var version: String
        var window: WindowKey
        /// Count windows are numbered per partition: they are never merged across partitions.
        var countSource: SourcePartition?
    }

    struct Pending: Sendable {
        var partial: WindowPartial
        var firstSeen: Int64
        var duplicates: UInt64 = 0
    }

    public init(completionTimeout: Int64) {
        self.completionTimeout = completionTimeout
    }

    /// The source partitions stage 2 waits for, and how far each has closed its windows.
    public var sources: [SourcePartition: Int64] { closedThrough }
    /// Windows waiting for partitions.
    public var pendingCount: Int { pending.count }

    /// The partitions the oldest waiting time window waits for, with how far each has closed its windows.
    public var waitingFor: [(source: SourcePartition, closedThrough: Int64)] {
        guard let oldest = pending.keys.filter({ $0.countSource == nil }).map(\.window).min() else { return [] }
        return closedThrough.filter { $0.value < oldest.end }.map { ($0.key, $0.value) }.sorted { $0.source < $1.source }
    }

    /// Records a partition's progress (or its release).
    public mutating func add(_ progress: PartitionProgress) {
        if progress.released {
            closedThrough.removeValue(forKey: progress.source)
        } else {
            closedThrough[progress.source] = max(closedThrough[progress.source] ?? .min, progress.closedThrough)
        }
    }

    /// Adds a partial; it is merged with the others of its window.
    ///
    /// A partial makes its source partitions known but does not move how far they have closed: stage 1
    /// closes a window for every model at once and writes the models' partials one after another, then the
    /// partition's progress. A partial's watermark says the window is closed on its partition, but the other
    /// models' partials of that window may still be on their way behind it — had it moved the partition on,
    /// a window of another model could be evaluated between the two records (a batch ends there) and that
    /// model's partial would arrive late and be dropped. The progress record, which follows them all on
    /// every partials partition, moves it.
    public mutating func add(_ partial: WindowPartial, now: Int64) throws {
        for source in partial.sources where partial.kind != .count && closedThrough[source] == nil {
            closedThrough[source] = .min
        }
        let key = Key(
            model: partial.modelID, version: partial.modelVersion, window: partial.window,
            countSource: partial.kind == .count ? partial.sources.first : nil)
        guard !evaluated.contains(key) else {
            latePartials += 1
            return
        }
        if var existing = pending[key] {
            guard Set(existing.partial.sources).isDisjoint(with: partial.sources) else {
                existing.duplicates += 1
                duplicatePartials += 1
                pending[key] = existing
                return
            }
            try existing.partial.merge(partial)
            pending[key] = existing
        } else {
            pending[key] = Pending(partial: partial, firstSeen: now)
        }
    }

    /// Removes and returns the windows that are complete (or timed out), oldest first.
    public mutating func ready(now: Int64) -> [WindowPartial] {
        var done: [Key] = []
        for (key, entry) in pending {
            if key.countSource != nil || isCovered(key.window) {
                done.append(key)
            } else if now - entry.firstSeen >= completionTimeout {
                done.append(key)
                timedOutWindows += 1
            }
        }
        done.sort { ($0.window, $0.model, $0.version) < ($1.window, $1.model, $1.version) }
        return done.compactMap { key in
            remember(key)
            return pending.removeValue(forKey: key).map(covered)
        }
    }

    /// The window's partial with its coverage: reporters against the partitions known now.
    private func covered(_ entry: Pending) -> WindowPartial {
        var partial = entry.partial
        let sent = Set(partial.sources)
        var reported = sent
        var missing: [SourcePartition] = []
        if partial.kind != .count {
            for (source, closed) in closedThrough where !sent.contains(source) {
                if closed >= partial.window.end { reported.insert(source) } else { missing.append(source) }
            }
        }
        partial.coverage = WindowCoverage(reported: reported.sorted(), missing: missing.sorted(), duplicatePartials: entry.duplicates)
        return partial
    }

    /// Every pending window, complete or not (on shutdown).
    public mutating func flush() -> [WindowPartial] {
        let keys = pending.keys.sorted { ($0.window, $0.model, $0.version) < ($1.window, $1.model, $1.version) }
        return keys.compactMap { key in
            remember(key)
            return pending.removeValue(forKey: key).map(covered)
        }
    }

    private func isCovered(_ window: WindowKey) -> Bool {
        closedThrough.values.allSatisfy { $0 >= window.end }
    }

    mutating func remember(_ key: Key) {
        evaluated.insert(key)
        evaluatedOrder.append(key)
        if evaluatedOrder.count > rememberedWindows {
            evaluated.remove(evaluatedOrder.removeFirst())
        }
    }
}
