import DriftStats

extension WindowAssigner {
    /// Everything a window assigner has learnt from its partition's events and clock, for a checkpoint.
    struct State: Sendable, Equatable {
        var watermark: Int64
        var maximumEventTime: Int64
        var lastArrival: Int64
        var idleWithoutEvents: Bool
        var quietSince: Int64
        var open: [WindowKey]
        var countInWindow: Int
        var countWindowNumber: Int64
    }

    var state: State {
        State(
            watermark: watermark, maximumEventTime: maximumEventTime, lastArrival: lastArrival, idleWithoutEvents: idleWithoutEvents,
            quietSince: quietSince, open: open, countInWindow: countInWindow, countWindowNumber: countWindowNumber)
    }

    /// Restarts the idle timeout at `now` (after a restore): an assigner that had events counts from its
    /// last arrival, one that had none from its first quiet tick.
    mutating func restartIdleClock(at now: Int64) {
        if lastArrival != .min { lastArrival = max(lastArrival, now) }
        if quietSince != .min { quietSince = max(quietSince, now) }
    }

    /// An assigner that carries on from `state`.
    init(spec: WindowSpec, state: State) {
        self.init(spec: spec)
        watermark = state.watermark
        maximumEventTime = state.maximumEventTime
        lastArrival = state.lastArrival
        idleWithoutEvents = state.idleWithoutEvents
        quietSince = state.quietSince
        open = state.open
        countInWindow = state.countInWindow
        countWindowNumber = state.countWindowNumber
    }
}

extension WindowAssigner.State {
    func write(to writer: inout BinaryWriter) {
        writer.write(signed: watermark)
        writer.write(signed: maximumEventTime)
        writer.write(signed: lastArrival)
        writer.write(UInt8(idleWithoutEvents ? 1 : 0))
        writer.write(signed: quietSince)
        writer.write(count: open.count)
        for key in open { writer.write(key) }
        writer.write(count: countInWindow)
        writer.write(signed: countWindowNumber)
    }

    static func read(from reader: inout BinaryReader) throws(BinaryFormatError) -> Self {
        let watermark = try reader.readSigned()
        let maximumEventTime = try reader.readSigned()
        let lastArrival = try reader.readSigned()
        let idle = try reader.readBool()
        let quietSince = try reader.readSigned()
        var open: [WindowKey] = []
        for _ in 0..<(try reader.readCount(field: "open_windows", limit: CheckpointFormat.maximumItems)) { open.append(try reader.readWindowKey()) }
        let countInWindow = try reader.readCount(field: "count_in_window", limit: Int(Int32.max))
        return Self(
            watermark: watermark, maximumEventTime: maximumEventTime, lastArrival: lastArrival, idleWithoutEvents: idle,
            quietSince: quietSince, open: open, countInWindow: countInWindow, countWindowNumber: try reader.readSigned())
    }
}
