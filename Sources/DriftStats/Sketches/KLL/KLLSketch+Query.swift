#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension KLLSketch {
    /// The approximate normalised rank of `x`: the weight of retained items `≤ x` (`inclusive`,
    /// DataSketches' INCLUSIVE criterion) or `< x` (exclusive), divided by `count`.
    ///
    /// Guarantee: with ≈ 99 % confidence `|rank(x) − R(x)| ≤ normalizedRankError(pmf: false)`, where
    /// `R(x)` is the exact fraction of the stream `≤ x` (or `< x`); exact while not in estimation
    /// mode. NaN when empty or when `x` is NaN.
    ///
    /// - Complexity: O(R) for R retained items, no allocation (binary search on the sorted levels,
    ///   a scan of level 0). For many queries build a `sortedView()` once.
    public func rank(_ x: Double, inclusive: Bool = true) -> Double {
        guard n > 0, !x.isNaN else { return .nan }
        var total: UInt64 = 0
        items.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // Level 0 is unsorted: count by scanning.
            var below = 0
            if inclusive {
                for i in levels[0]..<levels[1] where base[i] <= x { below += 1 }
            } else {
                for i in levels[0]..<levels[1] where base[i] < x { below += 1 }
            }
            total = UInt64(below)
            // Higher levels are sorted: binary search.
            for level in 1..<numLevels {
                var low = levels[level]
                var high = levels[level + 1]
                while low < high {
                    let mid = (low + high) >> 1
                    let goesLeft = inclusive ? base[mid] <= x : base[mid] < x
                    if goesLeft { low = mid + 1 } else { high = mid }
                }
                total &+= UInt64(low - levels[level]) << UInt64(level)
            }
        }
        return Double(total) / Double(n)
    }

    /// The retained items sorted with cumulative weights, for answering many queries at once.
    ///
    /// - Complexity: O(R log R).
    public func sortedView() -> KLLSortedView {
        KLLSortedView(self)
    }

    /// The approximate CDF at the split points: `rank(splitPoints[i], inclusive:)` for each, then a
    /// final 1 (`splitPoints.count + 1` entries, as DataSketches' `getCDF`). Split points should be
    /// ascending; each entry is evaluated independently. All NaN when empty.
    /// Each entry is within `normalizedRankError(pmf: false)` of the exact CDF (≈ 99 % confidence).
    ///
    /// - Complexity: O(R log R + s log R) for s split points.
    public func cdf(_ splitPoints: [Double], inclusive: Bool = true) -> [Double] {
        sortedView().cdf(splitPoints, inclusive: inclusive)
    }

    /// The approximate mass in each of the `splitPoints.count + 1` intervals the split points
    /// delimit (differences of consecutive `cdf` entries; DataSketches' `getPMF`). All NaN when
    /// empty. Each entry is within `normalizedRankError(pmf: true)` of the exact mass (≈ 99 %
    /// confidence).
    ///
    /// - Complexity: O(R log R + s log R).
    public func pmf(_ splitPoints: [Double], inclusive: Bool = true) -> [Double] {
        sortedView().pmf(splitPoints, inclusive: inclusive)
    }

    /// The approximate quantile at normalised rank `r ∈ [0, 1]`:
    /// inclusive — the smallest retained item whose cumulative weight is `≥ ⌈r·n⌉`;
    /// exclusive — the smallest whose cumulative weight is `> ⌊r·n⌋`. `quantile(0)` / `quantile(1)`
    /// are the exact minimum / maximum. The exact rank of the result is within
    /// `normalizedRankError(pmf: false)` of `r` (≈ 99 % confidence). NaN when empty or when `r` is
    /// NaN or outside `[0, 1]`.
    ///
    /// - Complexity: O(R log R) (builds a sorted view; use `quantiles(_:)` or `sortedView()` for
    ///   several ranks).
    public func quantile(_ normalizedRank: Double, inclusive: Bool = true) -> Double {
        if n == 0 || !(normalizedRank >= 0 && normalizedRank <= 1) { return .nan }
        if normalizedRank == 0 { return minimum }
        if normalizedRank == 1 { return maximum }
        return sortedView().quantile(normalizedRank, inclusive: inclusive)
    }

    /// `quantile` at several ranks, building the sorted view once.
    ///
    /// - Complexity: O(R log R + q log R).
    public func quantiles(_ normalizedRanks: [Double], inclusive: Bool = true) -> [Double] {
        let view = sortedView()
        return normalizedRanks.map { view.quantile($0, inclusive: inclusive) }
    }

    /// The normalised rank error bound of a KLL sketch with parameter `k` at ≈ 99 % confidence
    /// (DataSketches `KllHelper.getNormalizedRankError`, constants fitted to the 99th percentile of
    /// the maximum rank error measured in thousands of trials):
    ///
    ///     pmf == false (single rank, CDF, quantile):  2.296 / k^0.9723   (≈ 0.01330 at k = 200)
    ///     pmf == true  (each PMF entry):              2.446 / k^0.9433   (≈ 0.01651 at k = 200)
    ///
    /// Meaningful for `k` in `8 ... 65 535`.
    ///
    /// - Complexity: O(1).
    public static func normalizedRankError(k: Int, pmf: Bool) -> Double {
        pmf ? 2.446 / pow(Double(k), 0.9433) : 2.296 / pow(Double(k), 0.9723)
    }

    /// This sketch's error bound: `normalizedRankError(k: minK, pmf:)`. Like DataSketches it is
    /// reported even in exact mode, where the answers are in fact exact.
    ///
    /// - Complexity: O(1).
    public func normalizedRankError(pmf: Bool) -> Double {
        Self.normalizedRankError(k: _minK, pmf: pmf)
    }
}
