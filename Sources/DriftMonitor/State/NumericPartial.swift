public import DriftStats

/// One numeric series (a feature, the confidence, the score) in one window: a histogram on the reference's
/// edges, a KLL sketch and moments. Every part merges exactly (the sketch within its rank error).
public struct NumericPartial: Sendable, Equatable {
    /// Counts on the reference profile's edges (missing values in `histogram.missingCount`).
    public var histogram: FixedEdgeHistogram
    public var sketch: KLLSketch
    public var moments: Moments

    /// An empty series on `innerEdges`.
    public init(innerEdges: [Double], sketchK: Int, seed: UInt64) throws {
        histogram = try FixedEdgeHistogram(innerEdges: innerEdges)
        sketch = try KLLSketch(k: sketchK, seed: seed)
        moments = Moments()
    }

    public init(histogram: FixedEdgeHistogram, sketch: KLLSketch, moments: Moments) {
        self.histogram = histogram
        self.sketch = sketch
        self.moments = moments
    }

    /// Adds a finite value.
    @inlinable
    public mutating func update(_ value: Double) {
        histogram.update(value)
        sketch.update(value)
        moments.update(value)
    }

    /// Counts a missing value.
    public mutating func recordMissing() {
        histogram.recordMissing()
        moments.recordMissing()
    }

    /// Values counted (missing ones excluded).
    public var count: UInt64 { histogram.total }
    /// Missing values counted.
    public var missing: UInt64 { histogram.missingCount }

    /// Adds `other`'s values (same edges).
    public mutating func merge(_ other: NumericPartial) throws {
        try histogram.merge(other.histogram)
        try sketch.merge(other.sketch)
        moments.merge(other.moments)
    }

    /// Adds an optional series to another (a side that never saw a value has none).
    static func merge(_ other: NumericPartial?, into mine: inout NumericPartial?) throws {
        guard let other else { return }
        if mine == nil { mine = other } else { try mine?.merge(other) }
    }
}
