#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evidently 0.7.23's binning for its binned drift tests (`psi`, `kl_div`, `jensenshannon`, …):
/// `legacy.calculations.stattests.utils.get_binned_data` and its zero fill `feel_zeroes`.
///
/// Unlike a `FixedEdgeHistogram` frozen at the reference, Evidently re-derives the numeric bins from
/// **reference ∪ current** for every comparison (Sturges' rule on the combined range), so the bins — and
/// the score — move whenever the current window's minimum or maximum moves, even if no value changes bin
/// relative to the reference's distribution. Use this type to reproduce Evidently's numbers.
///
/// Evidently's scores from these percents:
/// - psi: `PopulationStabilityIndex.psi(referenceProportions: fillZeros(r), currentProportions: fillZeros(c))`;
/// - kl_div: `KullbackLeibler.divergence(fillZeros(r), fillZeros(c))`;
/// - jensenshannon: `JensenShannon.distance(r, c)` (no fill);
/// each with threshold 0.1, drift iff score ≥ 0.1.
public enum EvidentlyBinning {
    /// A numeric column takes the Sturges path iff the reference has more than this many distinct values.
    public static var maximumValueCountDistinct: Int { 20 }

    /// The path `get_binned_data` took for a numeric column, with its bins.
    public enum NumericPath: Sendable, Equatable {
        /// `np.histogram_bin_edges(ref ∪ cur, bins='sturges')` edges (B + 1 ascending values).
        case sturges(edges: [Double])
        /// One bin per distinct value of ref ∪ cur, ascending.
        case valueCounts(keys: [Double])
    }

    /// The outcome of `numericBins`: the path taken and the raw (not zero-filled) percents per bin.
    public struct NumericBins: Sendable, Equatable {
        /// Which path was taken, and its bins.
        public var path: NumericPath
        /// Reference percents per bin: count / (number of finite reference values).
        public var reference: [Double]
        /// Current percents per bin: count / (number of finite current values).
        public var current: [Double]
        /// Number of distinct finite reference values (pandas `nunique`).
        public var referenceDistinctCount: Int
    }

    /// Evidently 0.7.23 get_binned_data for a numeric column (Sturges on combined data when ref has > 20 unique, else value counts), percents, NOT zero-filled
    ///
    /// Equivalent to `numericBins(reference:current:)` without the bin description.
    /// Complexity: O(n log n) (O(n) sort check plus O(n log B) binning when the reference is already sorted
    /// and takes the Sturges path).
    public static func numericPercents(reference: [Double], current: [Double]) -> (reference: [Double], current: [Double]) {
        let bins = numericBins(reference: reference, current: current)
        return (bins.reference, bins.current)
    }

    /// Evidently 0.7.23's `get_binned_data(ref, cur, Numerical, n, feel_zeroes=False)`, with the path taken.
    ///
    /// 1. NaN and ±∞ are dropped from both sides (Evidently's `get_one_column_drift` does this first).
    /// 2. If the reference has more than 20 distinct values: edges = `sturgesEdges` of the combined finite
    ///    values (equal width over the combined min…max), percents = `np.histogram(x, edges)[0] / len(x)`
    ///    (bins [e_k, e_(k+1)), last bin closed). Evidently's `n_bins` argument is ignored on this path.
    /// 3. Otherwise one bin per distinct value of ref ∪ cur (ascending; Evidently uses Python set order,
    ///    which only permutes the bins), percents = value count / len.
    ///
    /// An empty side gives NaN percents (0/0), as Evidently would.
    /// - Complexity: O(n log n) for the sorts (skipped for an already sorted reference on the Sturges path).
    public static func numericBins(reference: [Double], current: [Double]) -> NumericBins {
        let ref = reference.filter { $0.isFinite }
        let cur = current.filter { $0.isFinite }
        let sortedRef = isAscending(ref) ? ref : ref.sorted()
        let distinct = distinctCount(sorted: sortedRef)
        if distinct > maximumValueCountDistinct {
            let lo = Swift.min(sortedRef[0], cur.min() ?? sortedRef[0])
            let hi = Swift.max(sortedRef[sortedRef.count - 1], cur.max() ?? sortedRef[sortedRef.count - 1])
            let edges = sturgesEdges(min: lo, max: hi, count: ref.count + cur.count)
            return NumericBins(path: .sturges(edges: edges), reference: histogramPercents(sortedRef, edges: edges),
                               current: histogramPercents(cur, edges: edges), referenceDistinctCount: distinct)
        }
        let sortedCur = cur.sorted()
        var keys = [Double]()
        var refCounts = [Double](), curCounts = [Double]()
        // Merge the two sorted samples into (key, ref count, cur count) triples.
        var i = 0, j = 0
        while i < sortedRef.count || j < sortedCur.count {
            let key: Double
            if j >= sortedCur.count || (i < sortedRef.count && sortedRef[i] <= sortedCur[j]) {
                key = sortedRef[i]
            } else {
                key = sortedCur[j]
            }
            var r = 0.0, c = 0.0
            while i < sortedRef.count && sortedRef[i] == key { r += 1; i += 1 }
            while j < sortedCur.count && sortedCur[j] == key { c += 1; j += 1 }
            keys.append(key)
            refCounts.append(r)
            curCounts.append(c)
        }
        let nr = Double(ref.count), nc = Double(cur.count)
        return NumericBins(path: .valueCounts(keys: keys), reference: refCounts.map { $0 / nr },
                           current: curCounts.map { $0 / nc }, referenceDistinctCount: distinct)
    }

    /// `np.histogram_bin_edges(values, bins='sturges')` of the finite values (NaN/±∞ ignored).
    /// See `sturgesEdges(min:max:count:)`. `[0, 1]` if there is no finite value (numpy's empty range).
    /// Complexity: O(n).
    public static func sturgesEdges(_ values: [Double]) -> [Double] {
        var lo = Double.infinity, hi = -Double.infinity, n = 0
        for v in values where v.isFinite {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
            n += 1
        }
        guard n > 0 else { return [0, 1] }
        return sturgesEdges(min: lo, max: hi, count: n)
    }

    /// numpy 2.x Sturges edges for `count` values spanning `min…max`:
    /// `width = ptp / (log2(count) + 1)`, `B = ⌈ptp / width⌉` (B = 1 when ptp = 0), then
    /// `histogramEdges(min:max:bins: B)`. Complexity: O(B).
    public static func sturgesEdges(min lo: Double, max hi: Double, count: Int) -> [Double] {
        precondition(count > 0, "Sturges needs at least one value")
        let ptp = hi - lo
        let width = ptp / (log2(Double(count)) + 1.0)
        var bins = 1
        if width != 0 {
            let b = (ptp / width).rounded(.up)
            bins = b.isFinite && b >= 1 ? Int(b) : 1
        }
        return histogramEdges(min: lo, max: hi, bins: bins)
    }

    /// The edges `np.histogram(x, bins=B)` uses for data spanning `min…max`: if min == max the range is
    /// widened to min − 0.5 … max + 0.5; then numpy's `linspace`: `e_k = k·((last − first)/B) + first`
    /// for k < B (`(k/B)·(last − first) + first` if the step underflows to 0) and `e_B = last` exactly. Returns B + 1 edges. Complexity: O(B).
    public static func histogramEdges(min lo: Double, max hi: Double, bins: Int) -> [Double] {
        precondition(bins >= 1, "bins must be >= 1")
        var first = lo, last = hi
        if first == last {
            first -= 0.5
            last += 0.5
        }
        let delta = last - first
        let step = delta / Double(bins)
        var edges = [Double]()
        edges.reserveCapacity(bins + 1)
        if step == 0 {
            // numpy's underflow branch: (k / B) · delta.
            for k in 0..<bins { edges.append((Double(k) / Double(bins)) * delta + first) }
        } else {
            for k in 0..<bins { edges.append(Double(k) * step + first) }
        }
        edges.append(last)
        return edges
    }

    /// `np.histogram(x, edges)[0] / len(x)` for ascending edges (≥ 2): bin k = [e_k, e_(k+1)), the last bin
    /// closed, values outside [e_0, e_last] (and NaN) not counted but still in `len(x)`.
    /// Complexity: O(n log B), no allocation besides the result.
    public static func histogramPercents(_ x: [Double], edges: [Double]) -> [Double] {
        let bins = edges.count - 1
        guard bins >= 1 else { return [] }
        var counts = [UInt64](repeating: 0, count: bins)
        edges.withUnsafeBufferPointer { e in
            counts.withUnsafeMutableBufferPointer { c in
                let first = e[0], last = e[bins]
                for v in x where v >= first && v <= last {
                    // number of edges ≤ v, minus one; v == last belongs to the last bin.
                    let b = FixedEdgeHistogram.upperBound(e, v) &- 1
                    c[Swift.min(b, bins &- 1)] &+= 1
                }
            }
        }
        let n = Double(x.count)
        return counts.map { Double($0) / n }
    }

    /// per-category percents over the union of keys (keys sorted), NOT zero-filled
    ///
    /// Keys = categories with a positive count on at least one side (Evidently's `set(ref) | set(cur)`),
    /// sorted; percent = count / (sum of that side's counts). Evidently orders categories by Python set
    /// order instead, which only permutes the bins (sums then differ in the last bits). A side with no
    /// counts gives NaN percents. Complexity: O(K log K).
    public static func categoricalPercents(referenceCounts: [String: Int], currentCounts: [String: Int]) -> (keys: [String], reference: [Double], current: [Double]) {
        var present = Set<String>()
        for (k, v) in referenceCounts where v > 0 { present.insert(k) }
        for (k, v) in currentCounts where v > 0 { present.insert(k) }
        let keys = present.sorted()
        let nr = Double(referenceCounts.values.reduce(0) { $0 + Swift.max($1, 0) })
        let nc = Double(currentCounts.values.reduce(0) { $0 + Swift.max($1, 0) })
        let r = keys.map { Double(Swift.max(referenceCounts[$0] ?? 0, 0)) / nr }
        let c = keys.map { Double(Swift.max(currentCounts[$0] ?? 0, 0)) / nc }
        return (keys, r, c)
    }

    /// Evidently's "feel_zeroes": each 0 -> min_nonzero/1e6 if min_nonzero <= 1e-4 else 1e-4 (no renormalisation)
    ///
    /// Applied to one side's percents (Evidently fills reference and current independently). An all-zero
    /// input is returned unchanged (Evidently would raise on `min` of an empty array). Complexity: O(n).
    public static func fillZeros(_ percents: [Double]) -> [Double] {
        var minNonZero = Double.infinity
        for p in percents where p != 0 && p < minNonZero { minNonZero = p }
        guard minNonZero.isFinite else { return percents }
        let fill = minNonZero <= 1e-4 ? minNonZero / 1e6 : 1e-4
        return percents.map { $0 == 0 ? fill : $0 }
    }

    private static func isAscending(_ x: [Double]) -> Bool {
        var k = 1
        while k < x.count {
            if x[k - 1] > x[k] { return false }
            k += 1
        }
        return true
    }

    private static func distinctCount(sorted: [Double]) -> Int {
        guard var previous = sorted.first else { return 0 }
        var n = 1
        for v in sorted.dropFirst() where v != previous {
            n += 1
            previous = v
        }
        return n
    }
}
