/// Decides when a stage's next checkpoint round is due, so that writing state stays a bounded share of the
/// work however large the state grows (pure: byte counts and times in, a decision out).
///
/// A round rewrites every changed partition's whole state. With many models per partition that state is
/// megabytes, and rewriting it every ``interval`` can write more bytes than the input it summarises (the soak
/// measured 44.6 MB/s of checkpoints against ~14 MB/s of events at 20,000 events/s over 20 models). So after a
/// round of `B` bytes the next one waits, beyond ``interval``, until the stage has consumed `B / writeShare`
/// bytes of input — or until ``maximumInterval`` has passed, which bounds what a restart replays. Rounds of at
/// most ``smallRound`` bytes are never held back: a small state is checkpointed every ``interval`` as before.
public struct CheckpointPacer: Sendable, Equatable {
    /// The shortest time between rounds (`checkpoint.interval`).
    public var interval: Int64
    /// The longest time a round is held back (`checkpoint.max_interval`).
    public var maximumInterval: Int64
    /// Checkpoint bytes allowed per byte of input consumed (`checkpoint.max_write_share`).
    public var writeShare: Double
    /// Rounds this small are due every ``interval`` whatever the input.
    public var smallRound: Int

    /// The last round's size in bytes.
    public private(set) var lastRoundBytes = 0
    /// When the last round was taken (milliseconds).
    public private(set) var lastRoundAt: Int64 = .min
    /// The input consumed (bytes, a running total) when the last round was taken.
    public private(set) var consumedAtLastRound: UInt64 = 0

    /// Times in milliseconds.
    public init(interval: Int64, maximumInterval: Int64, writeShare: Double, smallRound: Int = 1 << 20) {
        self.interval = max(interval, 1)
        self.maximumInterval = max(maximumInterval, self.interval)
        self.writeShare = writeShare
        self.smallRound = max(smallRound, 0)
    }

    /// Whether a round is due at `now` with `consumed` bytes of input read so far (a running total).
    public func isDue(now: Int64, consumed: UInt64) -> Bool {
        guard lastRoundAt != .min else { return true }
        let elapsed = now &- lastRoundAt
        guard elapsed >= interval else { return false }
        if lastRoundBytes <= smallRound || elapsed >= maximumInterval { return true }
        guard writeShare > 0, writeShare.isFinite else { return false }
        let input = consumed >= consumedAtLastRound ? consumed - consumedAtLastRound : 0
        return Double(input) * writeShare >= Double(lastRoundBytes)
    }

    /// Records a round of `bytes` taken at `now`, with `consumed` bytes of input read so far.
    public mutating func record(bytes: Int, now: Int64, consumed: UInt64) {
        lastRoundBytes = max(bytes, 0)
        lastRoundAt = now
        consumedAtLastRound = consumed
    }
}
