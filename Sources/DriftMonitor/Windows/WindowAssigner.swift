/// Which windows an event time belongs to, and when windows close (pure; one per source partition).
///
/// The watermark is the largest event time seen minus the allowed lateness; it never goes back. A window
/// closes when the watermark passes its end plus the grace. An event whose every window has closed is late.
/// With no event for the idle timeout (processing time), the watermark moves on with the clock, so an idle
/// partition does not hold windows open for ever.
public struct WindowAssigner: Sendable {
    public let spec: WindowSpec
    /// The current watermark (`Int64.min` before the first event).
    public internal(set) var watermark: Int64 = .min
    /// The largest event time seen.
    public internal(set) var maximumEventTime: Int64 = .min
    /// Processing time of the last event (ms), for the idle timeout.
    public internal(set) var lastArrival: Int64 = .min
    /// Time windows: no event has arrived, and the first tick was at least the idle timeout ago — the
    /// partition should not hold anyone's windows back (as Flink's idle sources).
    public internal(set) var idleWithoutEvents = false
    /// Processing time of the first tick without any event.
    var quietSince: Int64 = .min
    /// Windows that received an event and have not closed, in closing order.
    public internal(set) var open: [WindowKey] = []
    /// Count windows: events in the current window, and its number.
    var countInWindow = 0
    var countWindowNumber: Int64 = 0

    public init(spec: WindowSpec) {
        self.spec = spec
    }

    /// Where an event goes.
    public enum Assignment: Equatable, Sendable {
        /// Into these windows (one for tumbling and count windows, up to size/hop for hopping ones).
        case windows(WindowRun)
        /// Every window it belongs to has closed.
        case late
        /// It would open more windows than the limit allows (an event far in the future, say).
        case tooManyOpenWindows
    }

    /// Assigns an event with event time `timestamp` arriving at processing time `now`, advancing the
    /// watermark. Call ``closable()`` afterwards for the windows that closed. Allocates nothing unless the
    /// event opens a window.
    public mutating func assign(timestamp: Int64, now: Int64) -> Assignment {
        lastArrival = now
        idleWithoutEvents = false
        switch spec.kind {
        case .count(let events):
            if countInWindow == events {
                countInWindow = 0
                countWindowNumber += 1
            }
            countInWindow += 1
            let key = WindowKey(start: countWindowNumber, end: countWindowNumber + 1)
            if open.last != key { open.append(key) }
            return .windows(WindowRun(earliest: key, hop: 1, count: 1))
        case .time(let size, let hop):
            // The windows with a start in (timestamp - size, timestamp], starts multiples of hop, that are
            // still open: those ending after the watermark minus the grace.
            let closedBefore = watermark == .min ? Int64.min : watermark - spec.grace
            let last = Self.floor(timestamp, hop)
            var first = last
            while first - hop > timestamp - size { first -= hop }
            while first <= last && first + size <= closedBefore { first += hop }
            guard first <= last else { return .late }
            let run = WindowRun(earliest: WindowKey(start: first, end: first + size), hop: hop, count: Int((last - first) / hop) + 1)
            let opening = run.reduce(0) { $0 + (isOpen($1) ? 0 : 1) }
            if opening > 0 {
                guard open.count + opening <= spec.maximumOpenWindows else { return .tooManyOpenWindows }
                for key in run where !isOpen(key) { open.insert(key, at: open.firstIndex { key < $0 } ?? open.endIndex) }
            }
            if timestamp > maximumEventTime {
                maximumEventTime = timestamp
                watermark = max(watermark, timestamp - spec.allowedLateness)
            }
            return .windows(run)
        }
    }

    /// Whether `key` is open; most events go to the newest windows, so the search starts from the end.
    private func isOpen(_ key: WindowKey) -> Bool {
        open.reversed().contains(key)
    }

    /// Moves the watermark with processing time when the partition has been idle for the idle timeout. A
    /// partition that has had no event at all becomes ``idleWithoutEvents`` after the idle timeout from its
    /// first tick instead: it has no event time to move on from.
    public mutating func tick(now: Int64) {
        guard case .time = spec.kind else { return }
        if lastArrival == .min {
            if quietSince == .min { quietSince = now }
            idleWithoutEvents = now - quietSince >= spec.idleTimeout
            return
        }
        guard now - lastArrival >= spec.idleTimeout, watermark != .min else { return }
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

/// Consecutive windows of one event, `count` of them `hop` apart starting with `earliest`: a collection
/// that needs no allocation.
public struct WindowRun: RandomAccessCollection, Equatable, Sendable {
    public let earliest: WindowKey
    public let hop: Int64
    public let count: Int

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> WindowKey {
        precondition(position >= 0 && position < count, "WindowRun index out of range")
        let offset = Int64(position) * hop
        return WindowKey(start: earliest.start + offset, end: earliest.end + offset)
    }
}
