#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Population Stability Index `PSI = Σ_i (c_i − r_i)·ln(c_i / r_i)` over matched bins (natural log),
/// r = reference proportions, c = current proportions.
///
/// PSI is symmetric in r and c, ≥ 0, and 0 iff the proportions agree. Common reading: < 0.1 stable,
/// 0.1–0.25 moderate shift, > 0.25 major shift (Evidently's default drift threshold is 0.1).
///
/// With frozen bins (a `FixedEdgeHistogram` built from the reference) the score depends on the current
/// window only through its bin counts, so it is stable under any change that keeps values in their bins.
public enum PopulationStabilityIndex {
    /// PSI of two binned distributions.
    ///
    /// Each side is normalised to proportions first (`x / Σx`), then smoothed (see `ProportionSmoothing`),
    /// then `Σ (c_i − r_i)·ln(c_i / r_i)`.
    ///
    /// - Parameters:
    ///   - reference: counts (or proportions) per bin of the reference.
    ///   - current: counts (or proportions) per bin of the current window, same bins in the same order.
    ///   - smoothing: default `.clip(1e-4)`.
    /// - Returns: PSI ≥ 0; with `.none`, +∞ if a bin is empty on exactly one side and NaN if empty on both
    ///   (numpy's values). NaN if a side has no mass at all. Summation is compensated, so the result agrees
    ///   with numpy's pairwise `np.sum` to ~1e-15 relative.
    /// - Complexity: O(B), two small allocations.
    public static func psi(reference: [Double], current: [Double], smoothing: ProportionSmoothing = .clip(1e-4)) -> Double {
        precondition(reference.count == current.count, "PSI needs the same number of bins on both sides")
        let r = smoothing.apply(DivergenceMath.normalised(reference))
        let c = smoothing.apply(DivergenceMath.normalised(current))
        return psi(referenceProportions: r, currentProportions: c)
    }

    /// PSI of two histograms over the same frozen edges (counts only; NaN and missing values are ignored).
    ///
    /// - Throws: `.incompatibleEdges` unless both histograms have identical edges.
    /// - Complexity: O(B).
    public static func psi(
        reference: FixedEdgeHistogram, current: FixedEdgeHistogram, smoothing: ProportionSmoothing = .clip(1e-4)
    ) throws(HistogramError) -> Double {
        guard reference.innerEdges == current.innerEdges else { throw .incompatibleEdges }
        return psi(reference: reference.counts.map { Double($0) }, current: current.counts.map { Double($0) },
                   smoothing: smoothing)
    }

    /// PSI `Σ (c_i − r_i)·ln(c_i / r_i)` on proportions used **as given** (no normalisation, no smoothing),
    /// e.g. Evidently's zero-filled percents, which no longer sum exactly to 1:
    /// `psi(referenceProportions: fillZeros(ref%), currentProportions: fillZeros(cur%))` is Evidently 0.7.23's
    /// `psi` drift score. Complexity: O(B), no allocation.
    public static func psi(referenceProportions r: [Double], currentProportions c: [Double]) -> Double {
        precondition(r.count == c.count, "PSI needs the same number of bins on both sides")
        var sum = DivergenceMath.Total()
        for i in 0..<r.count {
            sum.add((c[i] - r[i]) * log(c[i] / r[i]))
        }
        return sum.value
    }
}
