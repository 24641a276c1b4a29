#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Jensen–Shannon divergence and distance (scipy.spatial.distance.jensenshannon semantics).
public enum JensenShannon {
    /// JS divergence `½KL(p‖m) + ½KL(q‖m)`, `m = (p+q)/2`, after normalising p and q to sum 1.
    /// Zeros are fine (0·ln 0 = 0). In [0, ln 2] nats ([0, 1] bits). Cost: O(n), compensated sums.
    public static func divergence(_ p: [Double], _ q: [Double], base: LogarithmBase = .natural) -> Double {
        precondition(p.count == q.count, "JS needs equal-length vectors")
        let pn = normalisedProportions(p)
        let qn = normalisedProportions(q)
        var left = [Double](), right = [Double]()
        left.reserveCapacity(pn.count); right.reserveCapacity(pn.count)
        for i in 0..<pn.count {
            let m = (pn[i] + qn[i]) / 2.0
            left.append(relativeEntropyTerm(pn[i], m))
            right.append(relativeEntropyTerm(qn[i], m))
        }
        var js = compensatedTotal(left) + compensatedTotal(right)
        js /= base.naturalLogOfBase
        return js / 2.0
    }

    /// JS distance `sqrt(divergence)` (scipy's `jensenshannon`; Evidently's drift score with base e).
    /// Cost: O(n).
    public static func distance(_ p: [Double], _ q: [Double], base: LogarithmBase = .natural) -> Double {
        let d = divergence(p, q, base: base)
        return d.squareRoot()
    }
}
