/// Exact quantiles of a sorted sample, bit-identical to numpy 2.x `np.quantile`.
public enum ExactQuantiles {
    /// numpy `method='linear'` (Hyndman–Fan type 7): `h = (n−1)·q`, `i = ⌊h⌋`, `g = h − i`;
    /// `x[n−1]` if `h ≥ n−1`, else numpy's `_lerp`: `g ≥ ½ ? b − (b−a)(1−g) : a + (b−a)·g`.
    /// `sorted` must be ascending. Returns NaN for an empty sample or NaN q. O(1).
    @inlinable
    public static func linear(sorted: [Double], probability q: Double) -> Double {
        let n = sorted.count
        guard n > 0, !q.isNaN else { return .nan }
        let h = Double(n - 1) * q
        if h >= Double(n - 1) { return sorted[n - 1] }
        if h <= 0 { return sorted[0] }
        let fi = h.rounded(.down)
        let i = Int(fi)
        let g = h - fi
        let a = sorted[i], b = sorted[i + 1]
        let d = b - a
        return g >= 0.5 ? b - d * (1.0 - g) : a + d * g
    }

    /// numpy `method='inverted_cdf'` (H&F type 1) as numpy computes it: `h = n·q − 1` in floating point,
    /// `k = h` if integral else `⌊h⌋ + 1`, clamped to [0, n−1]; returns `x[k]`. NaN if empty. O(1).
    @inlinable
    public static func invertedCDF(sorted: [Double], probability q: Double) -> Double {
        let n = sorted.count
        guard n > 0, !q.isNaN else { return .nan }
        let h = Double(n) * q - 1.0
        let fh = h.rounded(.down)
        var k = (h == fh) ? fh : fh + 1.0
        k = Swift.max(k, 0.0)
        k = Swift.min(k, Double(n - 1))
        return sorted[Int(k)]
    }
}
