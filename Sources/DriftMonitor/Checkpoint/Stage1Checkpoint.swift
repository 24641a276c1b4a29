import DriftStats

/// Stage 1's state for one source partition at an input offset: what a worker needs to carry on exactly
/// where another stopped — the window assigners, the open windows summarised so far, late counts, the
/// progress reported to stage 2, and the offset of the first event it does not cover.
///
/// Written to the stage 1 changelog before the input offsets it covers are committed; restored when the
/// partition is assigned, and consumption resumes at ``nextOffset``.
public struct Stage1Checkpoint: Sendable, Equatable {
    public var source: SourcePartition
    /// The first input offset the state does not include.
    public var nextOffset: Int64
    /// When it was taken (processing time, ms).
    public var takenAt: Int64
    var timeAssigner: WindowAssigner.State
    var countAssigners: [ModelState<WindowAssigner.State>]
    /// The open windows' summaries so far (one per model version and window).
    public var windows: [WindowPartial]
    var late: [ModelState<UInt64>]
    var reportedClosedThrough: Int64
    var reportedIdle: Bool

    /// A value kept per model version, by name.
    struct ModelState<Value: Sendable & Equatable>: Sendable, Equatable {
        var model: String
        var version: String
        var value: Value
    }

    static let stage: UInt8 = 1

    init(
        source: SourcePartition, nextOffset: Int64, takenAt: Int64, timeAssigner: WindowAssigner.State,
        countAssigners: [ModelState<WindowAssigner.State>], windows: [WindowPartial], late: [ModelState<UInt64>],
        reportedClosedThrough: Int64, reportedIdle: Bool
    ) {
        self.source = source
        self.nextOffset = nextOffset
        self.takenAt = takenAt
        self.timeAssigner = timeAssigner
        self.countAssigners = countAssigners
        self.windows = windows
        self.late = late
        self.reportedClosedThrough = reportedClosedThrough
        self.reportedIdle = reportedIdle
    }

    /// Events in the open windows.
    public var openEvents: UInt64 { windows.reduce(0) { $0 + $1.count } }

    /// The encoded record (see ``CheckpointFormat``).
    public func serialized() -> [UInt8] {
        let partials = windows.map { $0.serialized() }
        var writer = CheckpointFormat.writer(stage: Self.stage, capacity: partials.reduce(256) { $0 + $1.count + 8 })
        writer.write(source)
        writer.write(signed: nextOffset)
        writer.write(signed: takenAt)
        timeAssigner.write(to: &writer)
        writer.write(count: countAssigners.count)
        for entry in countAssigners {
            writer.write(string: entry.model)
            writer.write(string: entry.version)
            entry.value.write(to: &writer)
        }
        writer.write(count: partials.count)
        for partial in partials { writer.write(blob: partial) }
        writer.write(count: late.count)
        for entry in late {
            writer.write(string: entry.model)
            writer.write(string: entry.version)
            writer.write(entry.value)
        }
        writer.write(signed: reportedClosedThrough)
        writer.write(UInt8(reportedIdle ? 1 : 0))
        return CheckpointFormat.seal(writer)
    }

    /// Decodes a record written by ``serialized()``; a damaged one throws.
    public init(serialized bytes: [UInt8]) throws(CheckpointError) {
        var reader = try CheckpointFormat.open(bytes, stage: Self.stage)
        self = try CheckpointFormat.decoding {
            let source = try reader.readSource()
            let nextOffset = try reader.readSigned()
            let takenAt = try reader.readSigned()
            let timeAssigner = try WindowAssigner.State.read(from: &reader)
            var countAssigners: [ModelState<WindowAssigner.State>] = []
            for _ in 0..<(try reader.readCount(field: "count_assigners", limit: CheckpointFormat.maximumItems)) {
                let model = try reader.readString(field: "model_id")
                let version = try reader.readString(field: "model_version")
                countAssigners.append(ModelState(model: model, version: version, value: try WindowAssigner.State.read(from: &reader)))
            }
            var windows: [WindowPartial] = []
            for _ in 0..<(try reader.readCount(field: "windows", limit: CheckpointFormat.maximumItems)) {
                windows.append(try WindowPartial(serialized: try reader.readBlob(field: "window")))
            }
            var late: [ModelState<UInt64>] = []
            for _ in 0..<(try reader.readCount(field: "late", limit: CheckpointFormat.maximumItems)) {
                let model = try reader.readString(field: "model_id")
                let version = try reader.readString(field: "model_version")
                late.append(ModelState(model: model, version: version, value: try reader.readUInt64()))
            }
            let reported = try reader.readSigned()
            let idle = try reader.readBool()
            try reader.expectEnd()
            guard nextOffset >= 0 else { throw CheckpointError.corrupt("negative offset \(nextOffset)") }
            guard windows.allSatisfy({ $0.sources == [source] }) else {
                throw CheckpointError.corrupt("a window summary of another partition")
            }
            return Stage1Checkpoint(
                source: source, nextOffset: nextOffset, takenAt: takenAt, timeAssigner: timeAssigner, countAssigners: countAssigners,
                windows: windows, late: late, reportedClosedThrough: reported, reportedIdle: idle)
        }
    }
}
