public import DriftStats

/// The model server's operational figures in one window: the distribution of `latency_ms` (a histogram on
/// fixed edges, a KLL sketch for p50 / p95 / p99, moments) and how many requests failed (`error`). Mergeable.
public struct OperationalPartial: Sendable, Equatable {
    /// Latency histogram edges (ms): roughly ×2 steps from 1 ms to 10 s.
    public static let latencyEdges: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000]

    /// Latencies of the events that carried one (`nil` until the first).
    public var latency: NumericPartial?
    /// Events whose request failed.
    public var errors: UInt64 = 0

    public init(latency: NumericPartial? = nil, errors: UInt64 = 0) {
        self.latency = latency
        self.errors = errors
    }

    /// Adds one event's latency.
    mutating func recordLatency(_ milliseconds: Double, sketchK: Int, seed: UInt64) {
        if latency == nil { latency = try? NumericPartial(innerEdges: Self.latencyEdges, sketchK: sketchK, seed: seed) }
        latency?.update(milliseconds)
    }

    /// Adds `other`.
    public mutating func merge(_ other: OperationalPartial) throws {
        errors += other.errors
        try NumericPartial.merge(other.latency, into: &latency)
    }
}
