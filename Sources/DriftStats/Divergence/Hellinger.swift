/// Hellinger distance between two discrete distributions.
public enum Hellinger {
    /// sqrt(1 - sum sqrt(p_i q_i)) on normalised p, q; in [0, 1]
    ///
    /// The Bhattacharyya coefficient is clamped to [0, 1] so rounding never yields NaN or > 1.
    /// Equals `sqrt(½ Σ (√p_i − √q_i)²)`. Cost: O(n).
    public static func distance(_ p: [Double], _ q: [Double]) -> Double {
        precondition(p.count == q.count, "Hellinger needs equal-length vectors")
        let pn = normalisedProportions(p)
        let qn = normalisedProportions(q)
        var bc = CompensatedSum()
        for i in 0..<pn.count { bc.add((pn[i] * qn[i]).squareRoot()) }
        let coefficient = Swift.min(Swift.max(bc.value, 0.0), 1.0)
        return (1.0 - coefficient).squareRoot()
    }
}
