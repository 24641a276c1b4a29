#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evidently 0.7.23 `get_binned_data` and `feel_zeroes`, reproduced for PSI / KL / JS drift scores.
public enum EvidentlyBinning {
    /// Evidently 0.7.23 get_binned_data for a numeric column (Sturges on combined data when ref has > 20 unique, else value counts), percents, NOT zero-filled
    ///
    /// NaN and ±∞ are dropped first (as Evidently's `get_one_column_drift` does); percents = count / (finite count).
    /// Numeric path: edges = `np.histogram_bin_edges(ref ∪ cur, 'sturges')` (see `sturgesEdges`), counts as
    /// `np.histogram` (half-open bins, last closed). Value-count path: one bin per distinct value of
    /// ref ∪ cur in ascending order. Cost: O((n_ref + n_cur) log(n_ref + n_cur)).
    public static func numericPercents(reference: [Double], current: [Double]) -> (reference: [Double], current: [Double]) {
        let reference = reference.filter { $0.isFinite }
        let current = current.filter { $0.isFinite }
        let sortedRef = reference.sorted()
        if distinctCount(sorted: sortedRef) > 20 {
            let edges = sturgesEdges(reference + current)
            return (histogramPercents(reference, edges: edges), histogramPercents(current, edges: edges))
        }
        let keys = Array(Set(reference).union(current).filter { !$0.isNaN }).sorted()
        var index = [Double: Int]()
        for (k, v) in keys.enumerated() { index[v] = k }
        func percents(_ x: [Double]) -> [Double] {
            var c = [Double](repeating: 0, count: keys.count)
            for v in x { if let k = index[v] { c[k] += 1 } }
            let n = Double(x.count)
            return c.map { $0 / n }
        }
        return (percents(reference), percents(current))
    }

    /// `np.histogram_bin_edges(values, bins='sturges')`: width = ptp/(log2(N)+1), n = ⌈ptp/width⌉
    /// (1 if ptp = 0, with range min−0.5…max+0.5), edges `first + k·((last−first)/n)`, last edge = last. O(N).
    public static func sturgesEdges(_ values: [Double]) -> [Double] {
        guard var first = values.min(), var last = values.max() else { return [0, 1] }
        let ptp = last - first
        let width = ptp / (log2(Double(values.count)) + 1.0)
        var n = 1
        if width != 0 {
            n = Int((ptp / width).rounded(.up))
        }
        if first == last { first -= 0.5; last += 0.5 }
        let step = (last - first) / Double(n)
        var edges = [Double]()
        edges.reserveCapacity(n + 1)
        for k in 0..<n { edges.append(Double(k) * step + first) }
        edges.append(last)
        return edges
    }

    /// `np.histogram(x, edges)[0] / len(x)` for ascending edges: bin k = [e_k, e_(k+1)), last bin closed,
    /// values outside [e_0, e_last] dropped. O(n log B).
    public static func histogramPercents(_ x: [Double], edges: [Double]) -> [Double] {
        let bins = edges.count - 1
        guard bins >= 1 else { return [] }
        var c = [Double](repeating: 0, count: bins)
        let lastEdge = edges[bins]
        for v in x {
            guard v >= edges[0], v <= lastEdge else { continue }
            // number of edges <= v, minus one
            var lo = 0, len = edges.count
            while len > 0 {
                let half = len >> 1
                if edges[lo + half] <= v { lo = lo + half + 1; len = len - half - 1 } else { len = half }
            }
            let b = Swift.min(lo - 1, bins - 1)
            c[b] += 1
        }
        let n = Double(x.count)
        return c.map { $0 / n }
    }

    /// per-category percents over the union of keys (keys sorted), NOT zero-filled
    ///
    /// Percent = count / (sum of that side's counts). O(K log K).
    public static func categoricalPercents(referenceCounts: [String: Int], currentCounts: [String: Int]) -> (keys: [String], reference: [Double], current: [Double]) {
        let keys = Array(Set(referenceCounts.keys).union(currentCounts.keys)).sorted()
        let nr = Double(referenceCounts.values.reduce(0, +))
        let nc = Double(currentCounts.values.reduce(0, +))
        let r = keys.map { Double(referenceCounts[$0] ?? 0) / nr }
        let c = keys.map { Double(currentCounts[$0] ?? 0) / nc }
        return (keys, r, c)
    }

    /// Evidently's "feel_zeroes": each 0 -> min_nonzero/1e6 if min_nonzero <= 1e-4 else 1e-4 (no renormalisation)
    ///
    /// All-zero input is returned unchanged. O(n).
    public static func fillZeros(_ percents: [Double]) -> [Double] {
        guard let minNonZero = percents.filter({ $0 != 0 }).min() else { return percents }
        let fill = minNonZero <= 1e-4 ? minNonZero / 1e6 : 1e-4
        return percents.map { $0 == 0 ? fill : $0 }
    }

    private static func distinctCount(sorted: [Double]) -> Int {
        var n = 0
        var prev: Double? = nil
        for v in sorted where !v.isNaN {
            if prev != v { n += 1; prev = v }
        }
        return n
    }
}
