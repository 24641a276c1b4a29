#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A uniform random sample of fixed size from a stream of unknown length (reservoir sampling),
/// mergeable across partitions.
///
/// After `seen` = n updates, `samples` holds min(n, capacity) items and every k-subset of the
/// stream is equally likely to be the sample (each item is included with probability k / n).
///
/// **Algorithm L** (Li 1994, "Reservoir-sampling algorithms of time complexity O(n(1 + log(N/n)))",
/// ACM TOMS 20(4)): the first k items fill the reservoir; then a threshold W = u^(1/k) (the largest
/// of k implicit uniform keys) gives a geometric skip ⌊ln u / ln(1 − W)⌋ to the next included item,
/// which replaces a uniformly chosen slot, after which W ← W · u^(1/k). Only O(k (1 + log(n / k)))
/// random numbers are drawn; every other update is one increment and one comparison.
/// Randomness comes from a `SplitMix64` seeded by `seed:`, so the same seed and stream give the same
/// sample (bit for bit on a given platform; `log`/`exp` come from the C library).
///
/// **Merging** two reservoirs that saw n_A and n_B items builds a uniform sample of the union, the
/// standard weighted merge: each of the min(k, n_A + n_B) output slots is drawn from A with
/// probability r_A / (r_A + r_B), where r_A and r_B are the items of each stream not yet drawn
/// (initially n_A and n_B; sampling without replacement, so the number from A is hypergeometric),
/// and the chosen items are drawn uniformly without replacement from that side's reservoir. The
/// threshold W of the merged reservoir is drawn afresh from its exact distribution (the k-th smallest
/// of n_A + n_B uniforms, which is independent of which items are in the sample), so updates after
/// a merge keep the sample uniform over everything seen.
///
/// Invariants (checked by `testOnly_verifyInvariants()`):
/// 1. 1 ≤ capacity ≤ `maximumCapacity`; `samples.count == min(seen, capacity)`.
/// 2. While not full, the next update is taken: `nextIndex == seen + 1`.
/// 3. Once full, 0 ≤ W ≤ 1 and `nextIndex > seen`.
///
/// Cost: `update(_:)` O(1) amortized and allocation-free once full (the filling appends may grow
/// the array); `merge(_:)` O(k) plus O(k) `log`/`expm1` calls; memory O(k).
public struct Reservoir<Element: Sendable>: Sendable {
    /// The largest accepted capacity.
    public static var maximumCapacity: Int { 1 << 26 }

    /// The sample size once the stream is long enough (may shrink on merge; see `merge(_:)`).
    public internal(set) var capacity: Int
    /// The current sample, in slot order (not stream order).
    public internal(set) var samples: [Element]
    /// The number of items offered so far.
    @inlinable public var seen: UInt64 { storedSeen }

    @usableFromInline var storedSeen: UInt64
    /// 1-based stream position of the next item to include.
    @usableFromInline var nextIndex: UInt64
    /// Algorithm L's threshold W (meaningful once full).
    var threshold: Double
    var generator: SplitMix64

    /// An empty reservoir of `capacity` items drawing its randomness from `SplitMix64(seed: seed)`.
    ///
    /// Throws `SummaryError.invalidCapacity` unless 1 ≤ capacity ≤ `maximumCapacity`.
    public init(capacity: Int, seed: UInt64) throws(SummaryError) {
        guard capacity >= 1, capacity <= Reservoir.maximumCapacity else {
            throw .invalidCapacity(capacity, maximum: Reservoir.maximumCapacity)
        }
        self.capacity = capacity
        samples = []
        storedSeen = 0
        nextIndex = 1
        threshold = 1
        generator = SplitMix64(seed: seed)
    }

    /// Offers one item. O(1); draws random numbers only when the item is included.
    @inlinable
    public mutating func update(_ x: Element) {
        storedSeen &+= 1
        if storedSeen == nextIndex { include(x) }
    }

    /// Includes the current item (fill, or replacement of a uniform slot) and schedules the next.
    @usableFromInline
    mutating func include(_ x: Element) {
        if samples.count < capacity {
            samples.append(x)
            if samples.count == capacity {
                threshold = Reservoir.thresholdFactor(&generator, k: capacity)
                scheduleNext()
            } else {
                nextIndex = storedSeen &+ 1
            }
            return
        }
        let slot = Int(generator.nextBounded(UInt64(capacity)))
        samples[slot] = x
        threshold *= Reservoir.thresholdFactor(&generator, k: capacity)
        scheduleNext()
    }

    /// `nextIndex = seen + skip + 1` with Algorithm L's geometric skip for the current W.
    mutating func scheduleNext() {
        let skip = Reservoir.skip(&generator, threshold: threshold)
        nextIndex = Moments.saturatingAdd(storedSeen, Moments.saturatingAdd(skip, 1))
    }
}

extension Reservoir {
    /// A draw in (0, 1]: `1 − nextUniform()`, never 0, so its logarithm is finite.
    static func positiveUniform(_ generator: inout SplitMix64) -> Double {
        1.0 - generator.nextUniform()
    }

    /// u^(1/k) = exp(ln u / k): the factor by which W shrinks (and W's initial value).
    static func thresholdFactor(_ generator: inout SplitMix64, k: Int) -> Double {
        exp(log(positiveUniform(&generator)) / Double(k))
    }

    /// ⌊ln u / ln(1 − W)⌋, the number of items skipped before the next inclusion, clamped to
    /// [0, 2⁶²] (W = 0 or an underflow gives "never", not a trap).
    static func skip(_ generator: inout SplitMix64, threshold: Double) -> UInt64 {
        let raw = (log(positiveUniform(&generator)) / log1p(-threshold)).rounded(.down)
        let limit = 0x1p62
        guard raw < limit else { return UInt64(limit) }   // also catches NaN and +∞
        return raw > 0 ? UInt64(raw) : 0
    }

    /// The k-th smallest of n independent uniforms, drawn exactly in k steps: given U₍ⱼ₎, the next
    /// order statistic is U₍ⱼ₎ + (1 − U₍ⱼ₎) · (1 − v^(1/(n−j))) with v uniform.
    static func orderStatistic(_ generator: inout SplitMix64, k: Int, of n: UInt64) -> Double {
        var value = 0.0
        for j in 0..<k {
            let remaining = Double(n - UInt64(j))
            let step = -expm1(log(positiveUniform(&generator)) / remaining)
            value += (1 - value) * step
        }
        return Swift.min(value, 1)
    }
}

extension Reservoir where Element: Equatable {
    /// Equal when the whole state agrees, including the generator (so equal reservoirs evolve alike).
    public static func == (lhs: Reservoir, rhs: Reservoir) -> Bool {
        lhs.capacity == rhs.capacity && lhs.storedSeen == rhs.storedSeen && lhs.nextIndex == rhs.nextIndex
            && lhs.threshold.bitPattern == rhs.threshold.bitPattern && lhs.generator == rhs.generator
            && lhs.samples == rhs.samples
    }
}

extension Reservoir: Equatable where Element: Equatable {}

extension Reservoir {
    /// Checks the numbered invariants of the type's header comment.
    func testOnly_verifyInvariants() -> Bool {
        guard capacity >= 1, capacity <= Reservoir.maximumCapacity else { return false }
        guard UInt64(samples.count) == Swift.min(storedSeen, UInt64(capacity)) else { return false }
        if samples.count < capacity { return nextIndex == storedSeen &+ 1 }
        return threshold >= 0 && threshold <= 1 && nextIndex > storedSeen
    }
}
