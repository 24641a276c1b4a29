/// Errors from building or merging a `FixedEdgeHistogram`.
public enum HistogramError: Error, Equatable, Sendable {
    /// Edges not finite / not non-decreasing, or no data to derive them from.
    case invalidEdges(String)
    /// `merge` of histograms with different edges.
    case incompatibleEdges
}

/// A histogram over fixed bin edges, for PSI / JS / KL against a frozen reference binning.
///
/// B−1 finite inner edges e_1 ≤ … ≤ e_(B−1) define B bins; with e_0 = −∞, e_B = +∞ bin i is [e_i, e_(i+1)),
/// i.e. `bin(for: x)` = number of inner edges ≤ x (numpy `searchsorted(edges, x, side='right')`).
/// Values outside the reference range land in the two open end bins; ±∞ too. NaN and missing values
/// are counted apart and never enter a bin. Duplicate edges are allowed (they give always-empty bins).
///
/// Invariants (checked by `testOnly_verifyInvariants()`):
/// 1. `innerEdges` are finite and non-decreasing.
/// 2. `counts.count == innerEdges.count + 1`.
/// 3. `total == Σ counts` (no overflow for < 2^64 updates).
public struct FixedEdgeHistogram: Sendable, Equatable {
    public private(set) var innerEdges: [Double]
    public private(set) var counts: [UInt64]
    public private(set) var nanCount: UInt64 = 0
    public private(set) var missingCount: UInt64 = 0
    /// Values in bins (excludes NaN and missing).
    public private(set) var total: UInt64 = 0

    /// Number of bins B = innerEdges.count + 1.
    public var binCount: Int { counts.count }

    /// Creates an empty histogram over the given inner edges (ascending, finite; B−1 edges → B bins).
    /// Throws `.invalidEdges` for a non-finite or decreasing edge. O(B).
    public init(innerEdges: [Double]) throws(HistogramError) {
        for (k, e) in innerEdges.enumerated() {
            guard e.isFinite else { throw .invalidEdges("edge \(k) is not finite") }
            if k > 0 && innerEdges[k - 1] > e { throw .invalidEdges("edge \(k) is smaller than edge \(k - 1)") }
        }
        self.innerEdges = innerEdges
        self.counts = [UInt64](repeating: 0, count: innerEdges.count + 1)
    }

    /// Inner edges at the reference's numpy-linear quantiles k/B, k = 1…B−1 (`Double(k)/Double(B)`).
    /// With `collapseTies` repeated edges are dropped (fewer, non-empty bins); otherwise kept, as numpy.
    /// Empty reference → `[]`. `sortedReference` must be ascending and NaN-free. O(B).
    public static func referenceEdges(sortedReference: [Double], bins: Int = 10, collapseTies: Bool = true) -> [Double] {
        precondition(bins >= 1, "bins must be >= 1")
        guard !sortedReference.isEmpty, bins > 1 else { return [] }
        var edges = [Double]()
        edges.reserveCapacity(bins - 1)
        for k in 1..<bins {
            let e = ExactQuantiles.linear(sorted: sortedReference, probability: Double(k) / Double(bins))
            if collapseTies, let last = edges.last, last == e { continue }
            edges.append(e)
        }
        return edges
    }

    /// Equal-width inner edges `lo + k·((hi − lo)/B)`, k = 1…B−1 (psi.json `equal_width` convention,
    /// lo/hi = min/max of the reference). O(B).
    public static func equalWidthEdges(min lo: Double, max hi: Double, bins: Int = 10) -> [Double] {
        precondition(bins >= 1, "bins must be >= 1")
        guard bins > 1 else { return [] }
        let width = (hi - lo) / Double(bins)
        return (1..<bins).map { lo + Double($0) * width }
    }

    /// Histogram with edges from the reference's quantiles (NaN ignored, ties collapsed), **empty counts**.
    /// Throws `.invalidEdges` if the reference has no non-NaN value or contains ±∞ at an edge. O(n log n).
    public init(reference: [Double], bins: Int = 10) throws(HistogramError) {
        let sorted = reference.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { throw .invalidEdges("reference has no non-NaN values") }
        try self.init(innerEdges: Self.referenceEdges(sortedReference: sorted, bins: bins, collapseTies: true))
    }

    /// Bin index of x: number of inner edges ≤ x (numpy searchsorted 'right'), via a branch-free
    /// (select-based) binary search, O(log B), no allocation. NaN compares false and yields 0;
    /// `update` routes NaN to `nanCount` instead.
    @inlinable
    public func bin(for x: Double) -> Int {
        innerEdges.withUnsafeBufferPointer { Self.bin(for: x, edges: $0) }
    }

    /// The branch-free search behind `bin(for:)`: the trip count depends only on the number of edges
    /// (never on the data), and each step is a conditional move, so nothing mispredicts.
    @inlinable
    static func bin(for x: Double, edges e: UnsafeBufferPointer<Double>) -> Int {
        var n = e.count
        guard n > 0 else { return 0 }
        var base = 0
        while n > 1 {
            let half = n &>> 1
            base = e[base &+ half] <= x ? base &+ half : base
            n &-= half
        }
        return base &+ (e[base] <= x ? 1 : 0)
    }

    /// Adds one value: NaN → `nanCount`, otherwise its bin. O(log B), no allocation.
    public mutating func update(_ x: Double) {
        if x.isNaN { nanCount &+= 1; return }
        let b = innerEdges.withUnsafeBufferPointer { Self.bin(for: x, edges: $0) }
        counts.withUnsafeMutableBufferPointer { $0[b] &+= 1 }
        total &+= 1
    }

    /// Records `count` missing values (kept apart from the bins). O(1).
    public mutating func recordMissing(_ count: UInt64 = 1) {
        missingCount &+= count
    }

    /// Adds another histogram's counts; throws `.incompatibleEdges` unless the edges are identical. O(B).
    public mutating func merge(_ other: FixedEdgeHistogram) throws(HistogramError) {
        guard other.innerEdges == innerEdges else { throw .incompatibleEdges }
        for k in 0..<counts.count { counts[k] &+= other.counts[k] }
        nanCount &+= other.nanCount
        missingCount &+= other.missingCount
        total &+= other.total
    }

    /// `counts / total`; all zeros while the histogram is empty. O(B).
    public var proportions: [Double] {
        guard total > 0 else { return [Double](repeating: 0, count: counts.count) }
        let t = Double(total)
        return counts.map { Double($0) / t }
    }

    /// Checks the numbered invariants of the header comment.
    internal func testOnly_verifyInvariants() -> Bool {
        for (k, e) in innerEdges.enumerated() {
            if !e.isFinite { return false }
            if k > 0 && innerEdges[k - 1] > e { return false }
        }
        guard counts.count == innerEdges.count + 1 else { return false }
        var s: UInt64 = 0
        for c in counts { s &+= c }
        return s == total
    }
}
