/// How events are grouped into windows (`--window 1m [--hop 30s] [--grace 10s]`, or `--window-events N`).
public struct WindowSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Event-time windows of `size` ms starting every `hop` ms (tumbling when `hop == size`), aligned to
        /// the Unix epoch.
        case time(size: Int64, hop: Int64)
        /// Windows of `events` consecutive events of one partition (arrival order).
        case count(events: Int)
    }

    public var kind: Kind
    /// How long after a window's end (in event time) it stays open for late events.
    public var grace: Int64
    /// How far the watermark trails the largest event time seen (out-of-order tolerance).
    public var allowedLateness: Int64
    /// After this long without events (processing time), a partition's watermark advances with the clock.
    public var idleTimeout: Int64
    /// The most windows open at once per partition; an event that would open more is refused.
    public var maximumOpenWindows: Int

    /// Tumbling windows of `size` ms.
    public static func tumbling(_ size: Int64, grace: Int64 = 0, allowedLateness: Int64 = 0, idleTimeout: Int64 = 30_000) -> WindowSpec {
        WindowSpec(kind: .time(size: size, hop: size), grace: grace, allowedLateness: allowedLateness, idleTimeout: idleTimeout, maximumOpenWindows: 64)
    }

    /// Hopping windows of `size` ms every `hop` ms.
    public static func hopping(_ size: Int64, hop: Int64, grace: Int64 = 0, allowedLateness: Int64 = 0, idleTimeout: Int64 = 30_000) -> WindowSpec {
        WindowSpec(kind: .time(size: size, hop: hop), grace: grace, allowedLateness: allowedLateness, idleTimeout: idleTimeout, maximumOpenWindows: 64)
    }

    /// Windows of `events` events.
    public static func count(_ events: Int) -> WindowSpec {
        WindowSpec(kind: .count(events: events), grace: 0, allowedLateness: 0, idleTimeout: 30_000, maximumOpenWindows: 1)
    }

    public init(kind: Kind, grace: Int64, allowedLateness: Int64, idleTimeout: Int64, maximumOpenWindows: Int) {
        self.kind = kind
        self.grace = grace
        self.allowedLateness = allowedLateness
        self.idleTimeout = idleTimeout
        self.maximumOpenWindows = maximumOpenWindows
    }

    /// Checks the spec: positive sizes, a hop that divides nothing smaller than 1 ms and is at most the size.
    public func validate() throws(WindowSpecError) {
        switch kind {
        case .time(let size, let hop):
            guard size > 0 else { throw .invalid("the window size must be positive") }
            guard hop > 0, hop <= size else { throw .invalid("the hop must be positive and at most the window size") }
            guard size / hop <= Int64(maximumOpenWindows) else {
                throw .invalid("a \(size) ms window every \(hop) ms keeps \(size / hop) windows open; the limit is \(maximumOpenWindows)")
            }
        case .count(let events):
            guard events > 0 else { throw .invalid("the window must hold at least one event") }
        }
        guard grace >= 0, allowedLateness >= 0, idleTimeout > 0 else { throw .invalid("grace and lateness must be ≥ 0, the idle timeout > 0") }
    }

    /// Parses a duration: `250ms`, `10s`, `1m`, `2h`, `1d`, or plain milliseconds.
    public static func parseDuration(_ text: String) -> Int64? {
        // "ms" before "s" and "m", so that "250ms" is not read as minutes or seconds.
        let units: [(String, Int64)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
            return Int64((value * Double(scale)).rounded())
        }
        return Int64(text)
    }
}

/// A window specification that cannot work.
public enum WindowSpecError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self { case .invalid(let reason): "invalid window: \(reason)" }
    }
}

/// One window: `[start, end)` in event time (ms since the epoch), or for count windows the sequence number.
public struct WindowKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var start: Int64
    public var end: Int64
    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }
    public static func < (lhs: WindowKey, rhs: WindowKey) -> Bool { (lhs.end, lhs.start) < (rhs.end, rhs.start) }
    public var description: String { "[\(start), \(end))" }
}
