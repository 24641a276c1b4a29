import DriftStats

/// Stage 2's state for one partition of the partials topic at an offset: the windows waiting for
/// partitions (merged so far), every source partition's progress, the windows already evaluated (to drop
/// partials that come after), each model version's hysteresis, and the counters.
///
/// Each partials partition has its own stage 2 state — progress records go to every partition and a
/// model's partials to one — so a partition's state moves between workers on its own.
public struct Stage2Checkpoint: Sendable, Equatable {
    /// The partials topic's partition.
    public var partition: Int32
    /// The first offset the state does not include.
    public var nextOffset: Int64
    /// When it was taken (processing time, ms).
    public var takenAt: Int64
    var closedThrough: [SourcePartition: Int64]
    var pending: [PendingWindow]
    var evaluated: [WindowMerger.Key]
    var hysteresis: [ProfileKey: Hysteresis]
    var counters: Counters

    struct PendingWindow: Sendable, Equatable {
        var partial: WindowPartial
        var firstSeen: Int64
        var duplicates: UInt64
    }

    struct Counters: Sendable, Equatable {
        var latePartials: UInt64 = 0
        var timedOutWindows: UInt64 = 0
        var duplicatePartials: UInt64 = 0
        var unknownProfiles: UInt64 = 0
        var corruptRecords: UInt64 = 0
        var evaluatedWindows: UInt64 = 0
        var suppressedDuplicates: UInt64 = 0

        static let fields = 7
        var values: [UInt64] {
            [latePartials, timedOutWindows, duplicatePartials, unknownProfiles, corruptRecords, evaluatedWindows, suppressedDuplicates]
        }
        init() {}
        init(_ values: [UInt64]) {
            (latePartials, timedOutWindows, duplicatePartials, unknownProfiles) = (values[0], values[1], values[2], values[3])
            (corruptRecords, evaluatedWindows, suppressedDuplicates) = (values[4], values[5], values[6])
        }
    }

    static let stage: UInt8 = 2

    init(
        partition: Int32, nextOffset: Int64, takenAt: Int64, closedThrough: [SourcePartition: Int64], pending: [PendingWindow],
        evaluated: [WindowMerger.Key], hysteresis: [ProfileKey: Hysteresis], counters: Counters
    ) {
        self.partition = partition
        self.nextOffset = nextOffset
        self.takenAt = takenAt
        self.closedThrough = closedThrough
        self.pending = pending
        self.evaluated = evaluated
        self.hysteresis = hysteresis
        self.counters = counters
    }

    /// Windows waiting for partitions.
    public var pendingWindows: Int { pending.count }

    /// The encoded record (see ``CheckpointFormat``).
    public func serialized() -> [UInt8] {
        let partials = pending.map { $0.partial.serialized() }
        var writer = CheckpointFormat.writer(stage: Self.stage, capacity: partials.reduce(256 + evaluated.count * 48) { $0 + $1.count + 24 })
        writer.write(UInt32(bitPattern: partition))
        writer.write(signed: nextOffset)
        writer.write(signed: takenAt)
        writer.write(count: closedThrough.count)
        for (source, closed) in closedThrough.sorted(by: { $0.key < $1.key }) {
            writer.write(source)
            writer.write(signed: closed)
        }
        writer.write(count: pending.count)
        for (entry, bytes) in zip(pending, partials) {
            writer.write(blob: bytes)
            writer.write(signed: entry.firstSeen)
            writer.write(entry.duplicates)
        }
        writer.write(count: evaluated.count)
        for key in evaluated {
            writer.write(string: key.model)
            writer.write(string: key.version)
            writer.write(key.window)
            writer.write(UInt8(key.countSource == nil ? 0 : 1))
            if let source = key.countSource { writer.write(source) }
        }
        writer.write(count: hysteresis.count)
        for (key, state) in hysteresis.sorted(by: { ($0.key.model, $0.key.version) < ($1.key.model, $1.key.version) }) {
            writer.write(string: key.model)
            writer.write(string: key.version)
            writer.write(count: state.raiseAfter)
            writer.write(count: state.clearAfter)
            writer.write(string: state.level.rawValue)
            writer.write(count: state.above)
            writer.write(count: state.below)
            writer.write(string: state.aboveLevel.rawValue)
        }
        writer.write(count: Counters.fields)
        for value in counters.values { writer.write(value) }
        return CheckpointFormat.seal(writer)
    }

    /// Decodes a record written by ``serialized()``; a damaged one throws.
    public init(serialized bytes: [UInt8]) throws(CheckpointError) {
        var reader = try CheckpointFormat.open(bytes, stage: Self.stage)
        let limit = CheckpointFormat.maximumItems
        self = try CheckpointFormat.decoding {
            let partition = Int32(bitPattern: try reader.readUInt32())
            let nextOffset = try reader.readSigned()
            let takenAt = try reader.readSigned()
            var closedThrough: [SourcePartition: Int64] = [:]
            for _ in 0..<(try reader.readCount(field: "sources", limit: limit)) {
                let source = try reader.readSource()
                closedThrough[source] = try reader.readSigned()
            }
            var pending: [PendingWindow] = []
            for _ in 0..<(try reader.readCount(field: "pending", limit: limit)) {
                let partial = try WindowPartial(serialized: try reader.readBlob(field: "window"))
                let firstSeen = try reader.readSigned()
                pending.append(PendingWindow(partial: partial, firstSeen: firstSeen, duplicates: try reader.readUInt64()))
            }
            var evaluated: [WindowMerger.Key] = []
            for _ in 0..<(try reader.readCount(field: "evaluated", limit: limit)) {
                let model = try reader.readString(field: "model_id")
                let version = try reader.readString(field: "model_version")
                let window = try reader.readWindowKey()
                let source = try reader.readBool() ? try reader.readSource() : nil
                evaluated.append(WindowMerger.Key(model: model, version: version, window: window, countSource: source))
            }
            var hysteresis: [ProfileKey: Hysteresis] = [:]
            for _ in 0..<(try reader.readCount(field: "hysteresis", limit: limit)) {
                let model = try reader.readString(field: "model_id")
                let version = try reader.readString(field: "model_version")
                var state = Hysteresis(raiseAfter: try reader.readCount(field: "raise_after", limit: limit), clearAfter: try reader.readCount(field: "clear_after", limit: limit))
                state.level = try Self.severity(try reader.readString(field: "level"))
                state.above = try reader.readCount(field: "above", limit: limit)
                state.below = try reader.readCount(field: "below", limit: limit)
                state.aboveLevel = try Self.severity(try reader.readString(field: "above_level"))
                hysteresis[ProfileKey(model: model, version: version)] = state
            }
            let fields = try reader.readCount(field: "counters", limit: 64)
            guard fields >= Counters.fields else { throw CheckpointError.corrupt("\(fields) counters, expected \(Counters.fields)") }
            var values: [UInt64] = []
            for _ in 0..<fields { values.append(try reader.readUInt64()) }
            try reader.expectEnd()
            guard nextOffset >= 0 else { throw CheckpointError.corrupt("negative offset \(nextOffset)") }
            return Stage2Checkpoint(
                partition: partition, nextOffset: nextOffset, takenAt: takenAt, closedThrough: closedThrough, pending: pending,
                evaluated: evaluated, hysteresis: hysteresis, counters: Counters(values))
        }
    }

    private static func severity(_ text: String) throws(CheckpointError) -> Severity {
        guard let severity = Severity(rawValue: text) else { throw .corrupt("unknown severity '\(text)'") }
        return severity
    }
}

extension Stage2Processor {
    /// The state as a checkpoint of partials partition `partition`, covering offsets before `nextOffset`.
    public func checkpoint(partition: Int32, nextOffset: Int64, now: Int64) -> Stage2Checkpoint {
        var counters = Stage2Checkpoint.Counters()
        counters.latePartials = merger.latePartials
        counters.timedOutWindows = merger.timedOutWindows
        counters.duplicatePartials = merger.duplicatePartials
        counters.unknownProfiles = unknownProfiles
        counters.corruptRecords = corruptRecords
        counters.evaluatedWindows = evaluatedWindows
        counters.suppressedDuplicates = suppressedDuplicates
        let pending = merger.pending.values.sorted {
            ($0.partial.window, $0.partial.modelID, $0.partial.modelVersion) < ($1.partial.window, $1.partial.modelID, $1.partial.modelVersion)
        }
        return Stage2Checkpoint(
            partition: partition, nextOffset: nextOffset, takenAt: now, closedThrough: merger.closedThrough,
            pending: pending.map { Stage2Checkpoint.PendingWindow(partial: $0.partial, firstSeen: $0.firstSeen, duplicates: $0.duplicates) },
            evaluated: merger.evaluatedOrder, hysteresis: hysteresis, counters: counters)
    }

    /// Carries on from `checkpoint`. Waiting windows restart their completion timeout at `now`: their
    /// partitions may only just be coming back.
    public mutating func restore(_ checkpoint: Stage2Checkpoint, now: Int64) {
        var merger = WindowMerger(completionTimeout: self.merger.completionTimeout)
        merger.rememberedWindows = self.merger.rememberedWindows
        merger.closedThrough = checkpoint.closedThrough
        for entry in checkpoint.pending {
            let partial = entry.partial
            let key = WindowMerger.Key(
                model: partial.modelID, version: partial.modelVersion, window: partial.window,
                countSource: partial.kind == .count ? partial.sources.first : nil)
            merger.pending[key] = WindowMerger.Pending(partial: partial, firstSeen: max(entry.firstSeen, now), duplicates: entry.duplicates)
        }
        for key in checkpoint.evaluated { merger.remember(key) }
        merger.latePartials = checkpoint.counters.latePartials
        merger.timedOutWindows = checkpoint.counters.timedOutWindows
        merger.duplicatePartials = checkpoint.counters.duplicatePartials
        self.merger = merger
        hysteresis = checkpoint.hysteresis
        unknownProfiles = checkpoint.counters.unknownProfiles
        corruptRecords = checkpoint.counters.corruptRecords
        evaluatedWindows = checkpoint.counters.evaluatedWindows
        suppressedDuplicates = checkpoint.counters.suppressedDuplicates
    }
}
