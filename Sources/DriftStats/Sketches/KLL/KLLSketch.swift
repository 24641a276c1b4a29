/// A KLL quantile sketch of a stream of doubles (Karnin, Lang & Liberty, "Optimal Quantile
/// Approximation in Streams", FOCS 2016), following the design of Apache DataSketches'
/// `KllDoublesSketch` (Java) / `kll_sketch<double>` (C++).
///
/// ## What it answers
/// Approximate normalised ranks (`rank`, `cdf`, `pmf`) and quantiles (`quantile`) of everything
/// fed to it, in O(k · log(n / k)) memory, mergeable across shards and serializable.
///
/// ## Guarantee
/// For a sketch whose accuracy parameter is `k` (after merges: the smallest `k` of the merged
/// sketches that had started compacting, `minK`), with ≈ 99 % confidence the absolute error of a
/// normalised rank is at most
///
///     ε(k) = 2.296 / k^0.9723      (single rank, CDF entry, quantile)      ≈ 1.33 % at k = 200
///     ε(k) = 2.446 / k^0.9433      (each PMF entry, a difference of two ranks) ≈ 1.65 % at k = 200
///
/// (`normalizedRankError(k:pmf:)`, DataSketches' `getNormalizedRankError`: constants fitted to the
/// 99th percentile of the *maximum* rank error over all ranks measured in thousands of trials).
/// That is, `|rank(x) − R(x)| ≤ ε` where `R(x)` is the exact fraction of the stream `≤ x`
/// (`inclusive`) or `< x` (exclusive), and the exact rank of `quantile(r)` is within `ε` of `r`.
/// While `count ≤ k` nothing has been discarded and every answer is exact.
///
/// ## Algorithm
/// Items live in one flat array `items` split into levels by `levels` (DataSketches' layout):
/// level *h* is `items[levels[h] ..< levels[h + 1]]`, every item there stands for `2^h` stream
/// values, and the free space sits below level 0, which grows downwards. With `L` levels, level
/// *h* has the nominal capacity `max(8, round(k · (2/3)^(L − h − 1)))` (computed exactly in
/// integers as DataSketches' `level_capacity`), and the array holds the sum of them. When an
/// `update` finds the array full it compacts the *lowest* level whose population reached its
/// capacity (lazy compaction): it sorts the level if it is level 0, keeps every other item
/// starting at a random offset (one bit from a `SplitMix64` seeded by `seed:`; 64 bits are drawn at
/// a time and consumed one per compaction), doubling their weight, merges them into the sorted
/// level above (adding a top level when needed) and shifts the levels below up into the freed space.
/// Randomness comes only from that generator, so a sketch is a deterministic function of its seed
/// and input.
///
/// Non-finite values (NaN, ±∞) are ignored and not counted: the stored items are always finite.
///
/// ## Invariants (checked by `testOnly_verifyInvariants()` and by the binary reader)
/// 1. `8 ≤ minK ≤ k ≤ 65 535`.
/// 2. `levels` has `numLevels + 1 ≥ 2` nondecreasing entries with `levels[0] ≥ 0` and
///    `levels[numLevels] == items.count == totalCapacity(k, numLevels)`; so the retained items are
///    `items[levels[0]...]` and at most the total capacity is retained. `numLevels ≤ 64`.
/// 3. Total weight equals the count: `Σ_h (levels[h + 1] − levels[h]) · 2^h == count`.
/// 4. Every level `h ≥ 1` is sorted ascending (level 0 is kept in arrival order).
/// 5. If `numLevels > 1` the top level is nonempty.
/// 6. All retained items are finite. `count == 0` ⇔ nothing retained ⇔ `minimum`/`maximum` are NaN;
///    otherwise `minimum ≤ item ≤ maximum` for every retained item, both finite, and in exact mode
///    (`numLevels == 1`) they equal the smallest / largest retained item.
/// 7. `0 ≤ randomBitsLeft ≤ 64` and the consumed (high) bits of `randomBits` are zero.
/// 8. `levelCapacities` caches `levelCapacity(k, numLevels, h)` for every level.
public struct KLLSketch: Sendable {
    /// The smallest valid `k` (DataSketches `MIN_K`, equal to the minimum level width m = 8).
    public static var minimumK: Int { 8 }
    /// The largest valid `k` (DataSketches `MAX_K`).
    public static var maximumK: Int { 65_535 }
    /// The default `k` (≈ 1.33 % single-rank error, ≈ 600 retained items at n = 10⁶).
    public static var defaultK: Int { 200 }

    /// The accuracy parameter that sets the level capacities of this sketch.
    @usableFromInline internal var _k: Int
    /// The smallest `k` among this sketch and the estimation-mode sketches merged into it.
    @usableFromInline internal var _minK: Int
    /// The number of (finite) values represented.
    @usableFromInline internal var n: UInt64
    /// Smallest value seen (`+∞` while empty).
    @usableFromInline internal var minItem: Double
    /// Largest value seen (`−∞` while empty).
    @usableFromInline internal var maxItem: Double
    /// The flat item buffer; only `items[levels[0]...]` is meaningful.
    @usableFromInline internal var items: [Double]
    /// Level boundaries into `items` (`numLevels + 1` entries).
    @usableFromInline internal var levels: LevelBoundaries
    /// Cached nominal capacity of every level (derived from `k` and `numLevels`).
    @usableFromInline internal var levelCapacities: [Int]
    /// The generator behind every compaction offset.
    @usableFromInline internal var rng: SplitMix64
    /// Cached random bits, consumed from the low end.
    @usableFromInline internal var randomBits: UInt64
    /// How many bits of `randomBits` are still unused.
    @usableFromInline internal var randomBitsLeft: Int

    /// Creates an empty sketch.
    ///
    /// - Parameters:
    ///   - k: accuracy parameter in `8 ... 65 535`; the single-rank error is ≈ `2.296 / k^0.9723`
    ///     and the retained items ≈ `3k + 8 · log2(n / k)`.
    ///   - seed: seed of the `SplitMix64` that picks every compaction offset.
    /// - Throws: `SketchError.invalidK` when `k` is out of range.
    /// - Complexity: O(k) (allocates the level-0 buffer).
    public init(k: Int = 200, seed: UInt64 = 0) throws(SketchError) {
        guard k >= Self.minimumK, k <= Self.maximumK else { throw .invalidK(k) }
        _k = k
        _minK = k
        n = 0
        minItem = .infinity
        maxItem = -.infinity
        items = [Double](repeating: 0, count: k)
        levels = LevelBoundaries([k, k])
        levelCapacities = [k]
        rng = SplitMix64(seed: seed)
        randomBits = 0
        randomBitsLeft = 0
    }

    /// The accuracy parameter given at creation (it sets the level capacities; merging never
    /// changes it — see `minK`).
    public var k: Int { _k }

    /// The `k` that governs the error bound: the smallest `k` of this sketch and of every sketch in
    /// estimation mode merged into it (DataSketches' `min_k`).
    public var minK: Int { _minK }

    /// How many (finite) values the sketch represents.
    public var count: UInt64 { n }

    /// Whether no value has been added.
    public var isEmpty: Bool { n == 0 }

    /// The exact smallest value added, or NaN when empty.
    public var minimum: Double { n == 0 ? .nan : minItem }

    /// The exact largest value added, or NaN when empty.
    public var maximum: Double { n == 0 ? .nan : maxItem }

    /// The number of levels (1 until the first compaction).
    public var numLevels: Int { levels.count - 1 }

    /// How many items the sketch currently stores.
    public var retainedCount: Int { levels[levels.count - 1] - levels[0] }

    /// Whether the sketch has discarded anything (answers are then approximate).
    public var isEstimationMode: Bool { levels.count > 2 }

    /// Adds one value. NaN and ±∞ are ignored (not counted).
    ///
    /// - Complexity: amortized O(1) (lazy compaction; no allocation except when a new level is
    ///   added, O(log(n / k)) times over the whole stream).
    @inlinable
    public mutating func update(_ x: Double) {
        guard x.isFinite else { return }
        if x < minItem { minItem = x }
        if x > maxItem { maxItem = x }
        if levels.first == 0 { compressWhileUpdating() }
        let slot = levels.first &- 1
        levels.first = slot
        items[slot] = x
        n &+= 1
    }

    /// Adds every value of a buffer, in order; equivalent to calling `update(_:)` on each (the
    /// resulting sketch is identical) but faster.
    ///
    /// - Complexity: amortized O(1) per value.
    public mutating func update(contentsOf values: UnsafeBufferPointer<Double>) {
        guard let source = values.baseAddress else { return }
        let total = values.count
        var index = 0
        var low = minItem
        var high = maxItem
        var added: UInt64 = 0
        while index < total {
            var slot = levels[0]
            items.withUnsafeMutableBufferPointer { buffer in
                guard let destination = buffer.baseAddress else { return }
                while index < total {
                    let x = source[index]
                    if x.isFinite {
                        if slot == 0 { break }
                        slot &-= 1
                        destination[slot] = x
                        if x < low { low = x }
                        if x > high { high = x }
                        added &+= 1
                    }
                    index &+= 1
                }
            }
            levels[0] = slot
            if index < total {
                // Stopped at a finite value with a full buffer: make room exactly as `update` would.
                compressWhileUpdating()
            }
        }
        n &+= added
        minItem = low
        maxItem = high
    }

    /// Adds every value of an array, in order (see `update(contentsOf:)` for buffers).
    public mutating func update(contentsOf values: [Double]) {
        values.withUnsafeBufferPointer { update(contentsOf: $0) }
    }

    /// Whether every numbered invariant of the type header holds (for tests).
    internal func testOnly_verifyInvariants() -> Bool {
        invariantViolation() == nil
    }
}

extension KLLSketch: Equatable {
    /// Two sketches are equal when they have the same parameters, count, extremes, level layout,
    /// retained items (bit for bit, in stored order) and generator state — i.e. when they answer
    /// every query identically, serialize to the same bytes and evolve identically.
    public static func == (lhs: KLLSketch, rhs: KLLSketch) -> Bool {
        guard lhs._k == rhs._k, lhs._minK == rhs._minK, lhs.n == rhs.n,
              lhs.minItem.bitPattern == rhs.minItem.bitPattern,
              lhs.maxItem.bitPattern == rhs.maxItem.bitPattern,
              lhs.levels == rhs.levels,
              lhs.rng == rhs.rng, lhs.randomBits == rhs.randomBits,
              lhs.randomBitsLeft == rhs.randomBitsLeft,
              lhs.items.count == rhs.items.count
        else { return false }
        let start = lhs.levels[0]
        for i in start..<lhs.items.count where lhs.items[i].bitPattern != rhs.items[i].bitPattern {
            return false
        }
        return true
    }
}
