#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Jensen–Shannon divergence and distance, `scipy.spatial.distance.jensenshannon` semantics.
///
/// `JS(p, q) = ½·KL(p‖m) + ½·KL(q‖m)`, `m = (p + q)/2`, after normalising p and q to sum 1 (as scipy does).
/// Symmetric, always finite (zeros are fine: `0·ln 0 = 0`), in [0, ln 2] nats = [0, 1] bit; the distance
/// `√JS` is a metric.
public enum JensenShannon {
    /// The JS divergence in the given base (scipy's `jensenshannon(p, q, base)²`).
    ///
    /// - Parameters: `p`, `q`: non-negative counts or proportions of equal length, each with positive sum.
    /// - Returns: JS in [0, ln 2] (nats) or [0, 1] (bits). Rounding can make scipy's sum a tiny negative
    ///   number (whose square root is NaN) for nearly identical inputs; here such a result is clamped to 0.
    ///   NaN if a side has zero sum or contains NaN.
    /// - Complexity: O(n), compensated sums, no allocation beyond the two normalised copies.
    public static func divergence(_ p: [Double], _ q: [Double], base: LogarithmBase = .natural) -> Double {
        precondition(p.count == q.count, "JS needs equal-length vectors")
        let pn = DivergenceMath.normalised(p)
        let qn = DivergenceMath.normalised(q)
        var left = DivergenceMath.Total(), right = DivergenceMath.Total()
        for i in 0..<pn.count {
            let m = (pn[i] + qn[i]) / 2.0
            left.add(DivergenceMath.relativeEntropy(pn[i], m))
            right.add(DivergenceMath.relativeEntropy(qn[i], m))
        }
        var js = left.value + right.value
        js /= base.naturalLogOfBase
        let half = js / 2.0
        return half < 0 ? 0 : half
    }

    /// The JS distance `√divergence` (scipy's `jensenshannon(p, q, base)`; with `.natural` it is
    /// Evidently 0.7.23's `jensenshannon` drift score, max √ln 2 ≈ 0.8326). Complexity: O(n).
    public static func distance(_ p: [Double], _ q: [Double], base: LogarithmBase = .natural) -> Double {
        divergence(p, q, base: base).squareRoot()
    }
}
