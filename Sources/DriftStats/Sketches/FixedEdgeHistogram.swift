/// Errors from building or merging a `FixedEdgeHistogram`.
public enum HistogramError: Error, Equatable, Sendable {
    /// Edges not finite / not non-decreasing, or no data to derive them from.
    case invalidEdges(String)
    /// `merge` of histograms with different edges.
    case incompatibleEdges
}

/// A histogram over fixed ("frozen") bin edges, for PSI / JS / KL / Hellinger against a reference binning.
///
/// B−1 finite inner edges e_1 ≤ … ≤ e_(B−1) define B bins; with e_0 = −∞ and e_B = +∞, bin i is
/// [e_i, e_(i+1)), i.e. `bin(for: x)` = number of inner edges ≤ x (numpy
/// `searchsorted(inner_edges, x, side='right')`). The two outer bins are open: values below or above the
/// reference range — and ±∞ — land in bin 0 / bin B−1. NaN and missing values are counted apart and never
/// enter a bin. Duplicate edges are allowed (each repeat gives an always-empty bin, as numpy).
///
/// Because the edges never move, the counts of a window depend only on which bin each value falls in:
/// moving a value inside its bin leaves every derived divergence unchanged (unlike binnings re-derived
/// from each window, e.g. Evidently's Sturges bins on ref ∪ cur).
///
/// Cost: `update` allocates nothing and has no data-dependent branch besides the NaN test. Up to
/// `linearSearchEdgeLimit` (128) inner edges the bin is the number of edges ≤ x counted with SIMD
/// compares over a NaN-padded copy of the edges through unsafe pointers: O(B/4) vector operations.
/// Measured in release builds on x86-64 (normal data, 4M values): ≈ 4 ns per `update` for 10 bins
/// (≈ 2 ns with `update(contentsOf:)`), 6 ns (3.5 ns) for 20 bins, 15 ns for 100 bins. A scalar
/// "branch-free" binary search measured 14–20 ns for 10–20 bins, because LLVM's x86 cmov-conversion
/// turns its select into a branch that mispredicts on real data; it is used only above the limit.
/// `merge` and `proportions` are O(B).
///
/// Invariants (checked by `testOnly_verifyInvariants()`):
/// 1. `innerEdges` are finite and non-decreasing.
/// 2. `counts.count == innerEdges.count + 1 == binCount`.
/// 3. `total == Σ counts` (modulo 2^64; counters wrap instead of trapping, which needs ≥ 2^64 values).
/// 4. If `innerEdges.count ≤ linearSearchEdgeLimit`, the SIMD lanes hold exactly the edges in order,
///    padded with NaN to a multiple of 4 (NaN ≤ x is false, so padding is never counted); else no lanes.
public struct FixedEdgeHistogram: Sendable, Equatable {
    @usableFromInline internal var storedEdges: [Double]
    /// The edges in groups of 4, NaN-padded (invariant 4); derived from `storedEdges`.
    @usableFromInline internal var storedLanes: [SIMD4<Double>]
    @usableFromInline internal var storedCounts: [UInt64]
    @usableFromInline internal var storedNaNCount: UInt64
    @usableFromInline internal var storedMissingCount: UInt64
    @usableFromInline internal var storedTotal: UInt64

    /// The B−1 finite, non-decreasing inner edges.
    @inlinable public var innerEdges: [Double] { storedEdges }
    /// Number of bins B = `innerEdges.count + 1`.
    @inlinable public var binCount: Int { storedCounts.count }
    /// Count per bin; bin i = number of inner edges ≤ x (searchsorted right), outer bins open.
    @inlinable public var counts: [UInt64] { storedCounts }
    /// Number of NaN values passed to `update` (not in any bin).
    @inlinable public var nanCount: UInt64 { storedNaNCount }
    /// Number of missing values recorded with `recordMissing` (not in any bin).
    @inlinable public var missingCount: UInt64 { storedMissingCount }
    /// Values in bins (excludes NaN and missing) = Σ counts.
    @inlinable public var total: UInt64 { storedTotal }

    /// Creates an empty histogram over the given inner edges (B−1 edges → B bins; no edges → one bin).
    ///
    /// - Throws: `.invalidEdges` if an edge is not finite or is smaller than its predecessor.
    /// - Complexity: O(B).
    public init(innerEdges: [Double]) throws(HistogramError) {
        if let problem = Self.edgeProblem(innerEdges) { throw .invalidEdges(problem) }
        self.init(validatedEdges: innerEdges, counts: [UInt64](repeating: 0, count: innerEdges.count + 1))
    }

    /// Memberwise set-up from edges already checked by `edgeProblem` and `counts.count == edges.count + 1`.
    internal init(validatedEdges edges: [Double], counts: [UInt64], nanCount: UInt64 = 0, missingCount: UInt64 = 0,
                  total: UInt64 = 0) {
        self.storedEdges = edges
        self.storedLanes = Self.lanes(for: edges)
        self.storedCounts = counts
        self.storedNaNCount = nanCount
        self.storedMissingCount = missingCount
        self.storedTotal = total
    }

    /// Largest number of inner edges searched by the SIMD count; above it `bin(for:)` binary-searches.
    public static var linearSearchEdgeLimit: Int { 128 }

    /// The NaN-padded SIMD lanes of invariant 4.
    private static func lanes(for edges: [Double]) -> [SIMD4<Double>] {
        guard edges.count <= linearSearchEdgeLimit else { return [] }
        var lanes = [SIMD4<Double>](repeating: SIMD4(repeating: .nan), count: (edges.count + 3) / 4)
        for (k, e) in edges.enumerated() { lanes[k / 4][k % 4] = e }
        return lanes
    }

    /// Equal iff edges, bin counts, NaN and missing counts are equal (the derived lanes are ignored).
    public static func == (lhs: FixedEdgeHistogram, rhs: FixedEdgeHistogram) -> Bool {
        lhs.storedEdges == rhs.storedEdges && lhs.storedCounts == rhs.storedCounts
            && lhs.storedNaNCount == rhs.storedNaNCount && lhs.storedMissingCount == rhs.storedMissingCount
            && lhs.storedTotal == rhs.storedTotal
    }

    /// Inner edges at the reference's numpy-linear quantiles: `np.quantile(ref, k/B, method='linear')`
    /// for k = 1…B−1, with the probability computed as the division `Double(k) / Double(B)` (as numpy's
    /// `np.arange(B+1)/B`), so the edges are bit-identical to numpy's.
    ///
    /// - Parameters:
    ///   - sortedReference: ascending, NaN-free reference values (not checked).
    ///   - bins: B ≥ 1 (programmer error otherwise).
    ///   - collapseTies: drop an edge not above the previous one (fewer bins, none always-empty, and the
    ///     result is strictly increasing even if rounding ever made neighbouring quantiles dip); with
    ///     `false` every edge is kept exactly as numpy computes it, duplicates included.
    /// - Returns: at most B−1 edges; `[]` for an empty reference or B = 1.
    /// - Complexity: O(B).
    public static func referenceEdges(sortedReference: [Double], bins: Int = 10, collapseTies: Bool = true) -> [Double] {
        precondition(bins >= 1, "bins must be >= 1")
        guard !sortedReference.isEmpty, bins > 1 else { return [] }
        var edges = [Double]()
        edges.reserveCapacity(bins - 1)
        for k in 1..<bins {
            let e = ExactQuantiles.linear(sorted: sortedReference, probability: Double(k) / Double(bins))
            if collapseTies, let last = edges.last, !(e > last) { continue }
            edges.append(e)
        }
        return edges
    }

    /// Equal-width inner edges `lo + k·((hi − lo)/B)`, k = 1…B−1 (psi.json's `equal_width` convention,
    /// with lo/hi = min/max of the reference). Complexity: O(B).
    public static func equalWidthEdges(min lo: Double, max hi: Double, bins: Int = 10) -> [Double] {
        precondition(bins >= 1, "bins must be >= 1")
        guard bins > 1 else { return [] }
        let width = (hi - lo) / Double(bins)
        return (1..<bins).map { lo + Double($0) * width }
    }

    /// An **empty** histogram whose edges are the reference's deciles (B = `bins`) with ties collapsed:
    /// `referenceEdges(sortedReference:bins:collapseTies: true)` of the reference's finite values
    /// (NaN and ±∞ are ignored for the edges). Feed the reference with `update` if its counts are needed.
    ///
    /// - Throws: `.invalidEdges` if the reference has no finite value.
    /// - Complexity: O(n log n) for the sort.
    public init(reference: [Double], bins: Int = 10) throws(HistogramError) {
        let sorted = reference.filter { $0.isFinite }.sorted()
        guard !sorted.isEmpty else { throw .invalidEdges("reference has no finite values") }
        try self.init(innerEdges: Self.referenceEdges(sortedReference: sorted, bins: bins, collapseTies: true))
    }

    /// Bin index of `x`: the number of inner edges ≤ x (numpy `searchsorted(edges, x, side='right')`),
    /// in 0…B−1. NaN compares false with every edge and yields 0 (`update` routes NaN to `nanCount`).
    /// - Complexity: O(B/4) branch-free SIMD compares up to `linearSearchEdgeLimit` edges, else O(log B);
    ///   no allocation.
    @inlinable
    public func bin(for x: Double) -> Int {
        if storedEdges.count <= Self.linearSearchEdgeLimit {
            return storedLanes.withUnsafeBufferPointer { Self.countLanes($0, x) }
        }
        return storedEdges.withUnsafeBufferPointer { Self.upperBound($0, x) }
    }

    /// Number of lane entries ≤ x: one SIMD compare per 4 edges, the mask turned into 0/1 lanes and added
    /// into an integer accumulator, then one horizontal sum. No data-dependent branch; NaN padding never counts.
    @inlinable @inline(__always)
    internal static func countLanes(_ lanes: UnsafeBufferPointer<SIMD4<Double>>, _ x: Double) -> Int {
        let v = SIMD4<Double>(repeating: x)
        var acc = SIMD4<Int64>()
        for lane in lanes {
            acc &+= SIMD4<Int64>().replacing(with: 1, where: lane .<= v)
        }
        return Int(truncatingIfNeeded: acc.wrappedSum())
    }

    /// Number of elements of the ascending buffer `edges` that are ≤ x: a binary search written without
    /// branches (the trip count depends only on `edges.count`), for the rare edge arrays above the SIMD limit.
    @inlinable @inline(__always)
    internal static func upperBound(_ edges: UnsafeBufferPointer<Double>, _ x: Double) -> Int {
        var n = edges.count
        guard n > 0, let p = edges.baseAddress else { return 0 }
        var base = 0
        while n > 1 {
            let half = n &>> 1
            base = p[base &+ half] <= x ? base &+ half : base
            n &-= half
        }
        return base &+ (p[base] <= x ? 1 : 0)
    }

    /// Adds one value: NaN → `nanCount`, anything else (±∞ included) → its bin.
    /// - Complexity: see `bin(for:)`; no allocation.
    @inlinable
    public mutating func update(_ x: Double) {
        if x.isNaN {
            storedNaNCount &+= 1
            return
        }
        let b = bin(for: x)
        storedCounts.withUnsafeMutableBufferPointer { c in
            // b ∈ 0…edges.count and c.count == edges.count + 1 (invariant 2).
            c.baseAddress.unsafelyUnwrapped[b] &+= 1
        }
        storedTotal &+= 1
    }

    /// Adds every value of the buffer (same rule as `update(_:)`), hoisting the pointer set-up out of
    /// the loop. - Complexity: O(n·B/4) SIMD compares (O(n log B) above the SIMD limit), no allocation.
    @inlinable
    public mutating func update(contentsOf values: UnsafeBufferPointer<Double>) {
        var nans: UInt64 = 0
        let linear = storedEdges.count <= Self.linearSearchEdgeLimit
        storedEdges.withUnsafeBufferPointer { e in
            storedLanes.withUnsafeBufferPointer { lanes in
                storedCounts.withUnsafeMutableBufferPointer { c in
                    let counts = c.baseAddress.unsafelyUnwrapped
                    for x in values {
                        if x.isNaN { nans &+= 1; continue }
                        counts[linear ? Self.countLanes(lanes, x) : Self.upperBound(e, x)] &+= 1
                    }
                }
            }
        }
        storedNaNCount &+= nans
        storedTotal &+= UInt64(values.count) &- nans
    }

    /// Adds every value of the array (same rule as `update(_:)`). - Complexity: as the buffer variant.
    @inlinable
    public mutating func update(contentsOf values: [Double]) {
        values.withUnsafeBufferPointer { update(contentsOf: $0) }
    }

    /// Records `count` missing values (kept apart from the bins and from `nanCount`). O(1).
    @inlinable
    public mutating func recordMissing(_ count: UInt64 = 1) {
        storedMissingCount &+= count
    }

    /// Adds another histogram's counts (bins, NaN and missing counts).
    ///
    /// - Throws: `.incompatibleEdges` unless both histograms have the same edges (element-wise `==`;
    ///   −0.0 and +0.0 are equal and bin identically); `self` is unchanged then.
    /// - Complexity: O(B).
    public mutating func merge(_ other: FixedEdgeHistogram) throws(HistogramError) {
        guard other.storedEdges == storedEdges else { throw .incompatibleEdges }
        storedCounts.withUnsafeMutableBufferPointer { c in
            other.storedCounts.withUnsafeBufferPointer { o in
                for k in 0..<c.count { c[k] &+= o[k] }
            }
        }
        storedNaNCount &+= other.storedNaNCount
        storedMissingCount &+= other.storedMissingCount
        storedTotal &+= other.storedTotal
    }

    /// `counts[i] / total`; all zeros while the histogram is empty. Complexity: O(B).
    public var proportions: [Double] {
        guard storedTotal > 0 else { return [Double](repeating: 0, count: storedCounts.count) }
        let t = Double(storedTotal)
        return storedCounts.map { Double($0) / t }
    }

    /// Why `edges` are not valid inner edges, or nil if they are.
    internal static func edgeProblem(_ edges: [Double]) -> String? {
        for (k, e) in edges.enumerated() {
            guard e.isFinite else { return "edge \(k) is not finite" }
            if k > 0 && edges[k - 1] > e { return "edge \(k) is smaller than edge \(k - 1)" }
        }
        return nil
    }

    /// Checks the numbered invariants of the header comment.
    internal func testOnly_verifyInvariants() -> Bool {
        guard Self.edgeProblem(storedEdges) == nil else { return false }
        guard storedCounts.count == storedEdges.count + 1 else { return false }
        let expectedLanes = Self.lanes(for: storedEdges)
        guard storedLanes.count == expectedLanes.count else { return false }
        for (a, b) in zip(storedLanes, expectedLanes) {
            for k in 0..<4 where a[k].bitPattern != b[k].bitPattern { return false }
        }
        var s: UInt64 = 0
        for c in storedCounts { s &+= c }
        return s == storedTotal
    }
}
