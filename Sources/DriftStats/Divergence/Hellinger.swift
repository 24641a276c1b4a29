/// Hellinger distance between two discrete distributions.
///
/// Convention (the one bounded by 1): with p, q normalised to sum 1,
///
///     H(p, q) = sqrt(1 − Σ_i sqrt(p_i·q_i)) = (1/√2)·‖√p − √q‖₂ = sqrt(½·Σ_i (√p_i − √q_i)²),
///
/// where `BC = Σ sqrt(p_i q_i)` is the Bhattacharyya coefficient. H ∈ [0, 1]: 0 iff p = q, 1 iff p and q
/// have disjoint supports. It is a metric, symmetric, finite with empty bins (no smoothing needed), and
/// satisfies `H² ≤ TV ≤ H·sqrt(2 − H²)` (TV = ½‖p − q‖₁), `KL(p‖q) ≥ −2·ln(1 − H²)` and
/// `ln 2 · H² ≤ JS ≤ H²` (JS divergence in nats).
/// Some texts define it without the 1/√2 factor (range [0, √2]); multiply by √2 to convert.
public enum Hellinger {
    /// sqrt(1 - sum sqrt(p_i q_i)) on normalised p, q; in [0, 1]
    ///
    /// Evaluated as `sqrt(½·Σ (√p_i − √q_i)²)` — the same quantity without the cancellation of `1 − BC`
    /// when p ≈ q (so small distances keep full relative precision) — clamped to [0, 1]; exactly 0 when the
    /// normalised inputs are equal and exactly 1 when their supports are disjoint.
    ///
    /// - Parameters: `p`, `q`: non-negative counts or proportions of equal length, each with positive sum.
    /// - Returns: H in [0, 1]; NaN if the vectors are empty, a side has zero sum, or a value is NaN.
    /// - Complexity: O(n).
    public static func distance(_ p: [Double], _ q: [Double]) -> Double {
        precondition(p.count == q.count, "Hellinger needs equal-length vectors")
        guard !p.isEmpty else { return .nan }
        let pn = DivergenceMath.normalised(p)
        let qn = DivergenceMath.normalised(q)
        var sum = DivergenceMath.Total()
        var overlap = false
        for i in 0..<pn.count {
            let d = pn[i].squareRoot() - qn[i].squareRoot()
            sum.add(d * d)
            overlap = overlap || (pn[i] > 0 && qn[i] > 0)
        }
        let h = (sum.value / 2.0).squareRoot()
        // Disjoint supports: BC = 0 exactly, so H = 1 exactly (the sum above is 2 only up to rounding).
        if !overlap && !h.isNaN { return 1 }
        return h > 1 ? 1 : h
    }
}
