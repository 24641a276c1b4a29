/// Which windows an event time belongs to, and when windows close (pure; one per source partition).
///
/// The watermark is the largest event time seen minus the allowed lateness; it never goes back. A window
/// closes when the watermark passes its end plus the grace. An event whose every window has closed is late.
/// With no event for the idle timeout (processing time), the watermark moves on with the clock, so an idle
/// partition does not hold windows open for ever.
public struct WindowAssigner: Sendable {
    public let spec: WindowSpec
    /// The current watermark (`Int64.min` before the first event).
    public private(set) var watermark: Int64 = .min
    /// The largest event time seen.
    public private(set) var maximumEventTime: Int64 = .min
    /// Processing time of the last event (ms), for the idle timeout.
    public private(set) var lastArrival: Int64 = .min
    /// Windows that received an event and have not closed, in closing order.
    public private(set) var open: [WindowKey] = []
    /// Count windows: events in the current window, and its number.
    private var countInWindow = 0
    private var countWindowNumber: Int64 = 0

    public init(spec: WindowSpec) {
        self.spec = spec
    }

    /// Where an event goes.
    public enum Assignment: Equatable, Sendable {
        /// Into these windows (one for tumbling and count windows, size/hop for hopping ones).
        case windows([WindowKey])
        /// Every window it belongs to has closed.
        case late
        /// It would open more windows than the limit allows (an event far in the future, say).
        case tooManyOpenWindows
    }

    /// Assigns an event with event time `timestamp` arriving at processing time `now`, advancing the
    /// watermark. Call ``closable()`` afterwards for the windows that closed.
    public mutating func assign(timestamp: Int64, now: Int64) -> Assignment {
        lastArrival = now
        switch spec.kind {
        case .count(let events):
            if countInWindow == events {
                countInWindow = 0
                countWindowNumber += 1
            }
            countInWindow += 1
            let key = WindowKey(start: countWindowNumber, end: countWindowNumber + 1)
            if open.last != key { open.append(key) }
            return .windows([key])
        case .time(let size, let hop):
            let closedBefore = watermark == .min ? Int64.min : watermark - spec.grace  // windows ending at or before this are closed
            var keys: [WindowKey] = []
            // Windows with start in (timestamp - size, timestamp], starts multiple of hop.
            var start = Self.floor(timestamp, hop)
            while start > timestamp - size {
                let key = WindowKey(start: start, end: start + size)
                if key.end > closedBefore { keys.append(key) }
                start -= hop
            }
            guard !keys.isEmpty else { return .late }
            keys.reverse()
            let newKeys = keys.filter { !open.contains($0) }
            if open.count + newKeys.count > spec.maximumOpenWindows { return .tooManyOpenWindows }
            open.append(contentsOf: newKeys)
            if !newKeys.isEmpty { open.sort() }
            if timestamp > maximumEventTime {
                maximumEventTime = timestamp
                watermark = max(watermark, timestamp - spec.allowedLateness)
            }
            return .windows(keys)
        }
    }

    /// Moves the watermark with processing time when the partition has been idle for the idle timeout.
    public mutating func tick(now: Int64) {
        guard case .time = spec.kind, lastArrival != .min, now - lastArrival >= spec.idleTimeout, watermark != .min else { return }
        watermark = max(watermark, maximumEventTime - spec.allowedLateness + (now - lastArrival - spec.idleTimeout))
    }

    /// Removes and returns the windows that have closed, in closing order. For count windows: the full
    /// window once the next has started (``flush()`` gives the last one).
    public mutating func closable() -> [WindowKey] {
        switch spec.kind {
        case .count:
            guard open.count > 1 else { return [] }
            let closed = Array(open.dropLast())
            open.removeFirst(closed.count)
            return closed
        case .time:
            guard watermark != .min else { return [] }
            let limit = watermark - spec.grace
            let closed = open.prefix { $0.end <= limit }
            open.removeFirst(closed.count)
            return Array(closed)
        }
    }

    /// Count windows: whether the current window is full (it then closes with the next event or a flush).
    public var currentCountWindowIsFull: Bool {
        if case .count(let events) = spec.kind { return countInWindow == events }
        return false
    }

    /// Removes and returns every open window (on shutdown, or a full count window).
    public mutating func flush() -> [WindowKey] {
        defer { open.removeAll() }
        return open
    }

    static func floor(_ value: Int64, _ step: Int64) -> Int64 {
        let q = value / step
        return (value % step != 0 && value < 0 ? q - 1 : q) * step
    }
}
