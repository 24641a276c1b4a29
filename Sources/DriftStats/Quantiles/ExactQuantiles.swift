/// Exact quantiles of a sorted sample, bit-identical to numpy 2.x `np.quantile`.
///
/// Both functions replay numpy's floating-point operations one for one (same operations, same order,
/// no fused multiply-add), so results match numpy bit for bit — including numpy's quirks: the
/// `inverted_cdf` index is computed from the *rounded* product `n·q` (e.g. n = 100, q = 0.07 picks
/// `x[7]`, not the textbook `x[6]`), `linear` returns +0.0 for a −0.0 extreme at q = 0 or 1, and a
/// sample containing ±∞ yields NaN wherever numpy's interpolation computes `∞ − ∞` or `0·∞`.
public enum ExactQuantiles {
    /// numpy `np.quantile(x, q, method='linear')` (Hyndman–Fan type 7, numpy's default).
    ///
    /// `h = (n−1)·q` (one multiply); below the top: `i = ⌊h⌋`, `g = h − i`, `a = x[i]`, `b = x[i+1]`;
    /// at or above the top (`h ≥ n−1`): `a = b = x[n−1]`, `g = h + 1` (numpy's index −1 trick).
    /// Result is numpy's `_lerp`: `d = b − a`; `g ≥ ½ ? b − d·(1−g) : a + d·g`.
    ///
    /// - Parameters:
    ///   - sorted: the sample in ascending order, NaN-free (the caller's duty; not checked).
    ///   - q: probability in [0, 1].
    /// - Returns: the quantile; NaN for an empty sample, a NaN `q`, or `q` outside [0, 1] (numpy raises).
    /// - Complexity: O(1), no allocation.
    @inlinable
    public static func linear(sorted: [Double], probability q: Double) -> Double {
        let n = sorted.count
        guard n > 0, q >= 0, q <= 1 else { return .nan }
        let top = Double(n - 1)
        let h = top * q
        let a: Double, b: Double, g: Double
        if h >= top {
            a = sorted[n - 1]
            b = a
            g = h - (-1.0)
        } else {
            let fi = h.rounded(.down)
            let i = Int(fi)
            a = sorted[i]
            b = sorted[i + 1]
            g = h - fi
        }
        let d = b - a
        return g >= 0.5 ? b - d * (1.0 - g) : a + d * g
    }

    /// numpy `np.quantile(x, q, method='inverted_cdf')` (Hyndman–Fan type 1) as numpy computes it.
    ///
    /// `h = n·q − 1` in floating point (two roundings); `k = h` if `h` is integral, else `⌊h⌋ + 1`;
    /// `k = max(k, 0)`; returns `x[k]` (the stored element itself, no arithmetic).
    ///
    /// - Parameters:
    ///   - sorted: the sample in ascending order, NaN-free (the caller's duty; not checked).
    ///   - q: probability in [0, 1].
    /// - Returns: the quantile; NaN for an empty sample, a NaN `q`, or `q` outside [0, 1] (numpy raises).
    /// - Complexity: O(1), no allocation.
    @inlinable
    public static func invertedCDF(sorted: [Double], probability q: Double) -> Double {
        let n = sorted.count
        guard n > 0, q >= 0, q <= 1 else { return .nan }
        let h = Double(n) * q - 1.0
        let fh = h.rounded(.down)
        var k = (h - fh == 0) ? fh : fh + 1.0
        k = Swift.max(k, 0.0)
        k = Swift.min(k, Double(n - 1))   // never binds for q ≤ 1 (n·1 is exact); keeps the index in range
        return sorted[Int(k)]
    }
}
