#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Population Stability Index `Σ (c_i − r_i)·ln(c_i / r_i)` over matched bins.
public enum PopulationStabilityIndex {
    /// PSI of two binned distributions.
    ///
    /// - Parameters:
    ///   - reference: counts (or proportions) per bin of the reference; normalised to proportions first.
    ///   - current: counts (or proportions) per bin of the current window, same bin order and length.
    ///   - smoothing: applied to each side after normalisation (see `ProportionSmoothing`).
    /// - Returns: PSI ≥ 0 (natural log); Infinity/NaN with `.none` if a bin is empty on one/both sides.
    ///   Summation is compensated (≈ 1 ulp), so it agrees with numpy's pairwise sum to ~1e-15 relative.
    /// Cost: O(B), allocates the smoothed proportion arrays.
    public static func psi(reference: [Double], current: [Double], smoothing: ProportionSmoothing = .clip(1e-4)) -> Double {
        precondition(reference.count == current.count, "PSI needs the same number of bins on both sides")
        let r = smoothing.apply(normalisedProportions(reference))
        let c = smoothing.apply(normalisedProportions(current))
        return psi(referenceProportions: r, currentProportions: c)
    }

    /// PSI `Σ (c_i − r_i)·ln(c_i / r_i)` on proportions used **as given** (no normalisation, no smoothing),
    /// e.g. Evidently's zero-filled percents, which no longer sum to 1. Cost: O(B).
    public static func psi(referenceProportions r: [Double], currentProportions c: [Double]) -> Double {
        precondition(r.count == c.count, "PSI needs the same number of bins on both sides")
        var terms = [Double]()
        terms.reserveCapacity(r.count)
        for i in 0..<r.count {
            terms.append((c[i] - r[i]) * log(c[i] / r[i]))
        }
        return compensatedTotal(terms)
    }
}
