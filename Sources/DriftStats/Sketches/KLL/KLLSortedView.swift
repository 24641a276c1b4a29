/// The retained items of a `KLLSketch` in ascending order with their cumulative weights, built once
/// to answer many rank / quantile / CDF / PMF queries (DataSketches' `quantiles_sorted_view`).
///
/// Item `i` carries weight `2^h` (its level); `cumulativeWeights[i]` is the total weight of
/// `items[0...i]`, and the last entry equals the sketch's `count`. Ranks are these weights divided
/// by `totalWeight`, with the search criteria of DataSketches:
///
/// * `rank(x, inclusive: true)`  = weight of items `≤ x` / n;  `inclusive: false` → items `< x`.
/// * `quantile(r, inclusive: true)`  = the smallest item whose cumulative weight is `≥ ⌈r·n⌉`;
///   `inclusive: false` → the smallest item whose cumulative weight is `> ⌊r·n⌋` (the last item if
///   none). `quantile(0)` and `quantile(1)` return the exact `minimum` and `maximum` of the stream.
///
/// The error guarantee is that of the sketch (`KLLSketch.normalizedRankError`).
///
/// Cost: building is O(R log R) for R retained items; each query is O(log R).
public struct KLLSortedView: Sendable, Equatable {
    /// The retained items, ascending (equal items may repeat).
    public let items: [Double]
    /// `cumulativeWeights[i]` = total weight of `items[0...i]`.
    public let cumulativeWeights: [UInt64]
    /// The total weight (the sketch's `count`).
    public let totalWeight: UInt64
    /// The exact smallest stream value (NaN when empty).
    public let minimum: Double
    /// The exact largest stream value (NaN when empty).
    public let maximum: Double

    /// Builds the view of a sketch.
    ///
    /// - Complexity: O(R log R) time and O(R) memory for R retained items.
    public init(_ sketch: KLLSketch) {
        var entries: [(item: Double, weight: UInt64)] = []
        entries.reserveCapacity(sketch.retainedCount)
        for level in 0..<sketch.numLevels {
            let weight = UInt64(1) << UInt64(level)
            for i in sketch.levels[level]..<sketch.levels[level + 1] {
                entries.append((sketch.items[i], weight))
            }
        }
        entries.sort { $0.item < $1.item }
        var sortedItems = [Double]()
        var cumulative = [UInt64]()
        sortedItems.reserveCapacity(entries.count)
        cumulative.reserveCapacity(entries.count)
        var running: UInt64 = 0
        for entry in entries {
            running &+= entry.weight
            sortedItems.append(entry.item)
            cumulative.append(running)
        }
        items = sortedItems
        cumulativeWeights = cumulative
        totalWeight = sketch.count
        minimum = sketch.minimum
        maximum = sketch.maximum
    }

    /// Whether the view holds no items.
    public var isEmpty: Bool { items.isEmpty }

    /// The number of items with `items[i] ≤ x` (`inclusive`) or `< x`.
    @usableFromInline
    internal func countBelow(_ x: Double, inclusive: Bool) -> Int {
        var low = 0
        var high = items.count
        while low < high {
            let mid = (low + high) >> 1
            let goesLeft = inclusive ? items[mid] <= x : items[mid] < x
            if goesLeft { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The approximate normalised rank of `x`: the weight of retained items `≤ x` (`inclusive`)
    /// or `< x`, divided by the total weight. NaN when empty or when `x` is NaN.
    ///
    /// - Complexity: O(log R).
    public func rank(_ x: Double, inclusive: Bool = true) -> Double {
        guard totalWeight > 0, !x.isNaN else { return .nan }
        let index = countBelow(x, inclusive: inclusive)
        if index == 0 { return 0 }
        return Double(cumulativeWeights[index - 1]) / Double(totalWeight)
    }

    /// The approximate quantile at normalised rank `r ∈ [0, 1]` (see the type's search criteria).
    /// NaN when empty or when `r` is NaN or outside `[0, 1]`.
    ///
    /// - Complexity: O(log R).
    public func quantile(_ r: Double, inclusive: Bool = true) -> Double {
        guard totalWeight > 0, r >= 0, r <= 1 else { return .nan }
        if r == 0 { return minimum }
        if r == 1 { return maximum }
        let scaled = r * Double(totalWeight)
        let target = inclusive ? scaled.rounded(.up) : scaled.rounded(.down)
        var low = 0
        var high = cumulativeWeights.count
        while low < high {
            let mid = (low + high) >> 1
            let weight = Double(cumulativeWeights[mid])
            let before = inclusive ? weight < target : weight <= target
            if before { low = mid + 1 } else { high = mid }
        }
        return low < items.count ? items[low] : items[items.count - 1]
    }

    /// The approximate CDF at the split points: entry `i` is `rank(splitPoints[i], inclusive:)`
    /// and a final entry 1 is appended (so the result has `splitPoints.count + 1` entries, as in
    /// DataSketches). Split points should be ascending; each entry is computed independently.
    /// All NaN when empty.
    ///
    /// - Complexity: O(s log R) for s split points.
    public func cdf(_ splitPoints: [Double], inclusive: Bool = true) -> [Double] {
        guard totalWeight > 0 else { return [Double](repeating: .nan, count: splitPoints.count + 1) }
        var result = splitPoints.map { rank($0, inclusive: inclusive) }
        result.append(1)
        return result
    }

    /// The approximate probability mass between consecutive split points: entry 0 is the mass
    /// below `splitPoints[0]`, entry `i` between `splitPoints[i − 1]` and `splitPoints[i]`, the last
    /// entry above the last split point (bounds inclusive on the right for `inclusive: true`, on
    /// the left otherwise). `splitPoints.count + 1` entries summing to 1; all NaN when empty.
    /// Each entry's error is bounded by `normalizedRankError(pmf: true)`.
    ///
    /// - Complexity: O(s log R) for s split points.
    public func pmf(_ splitPoints: [Double], inclusive: Bool = true) -> [Double] {
        var masses = cdf(splitPoints, inclusive: inclusive)
        guard totalWeight > 0 else { return masses }
        var i = masses.count - 1
        while i > 0 {
            masses[i] -= masses[i - 1]
            i -= 1
        }
        return masses
    }
}
