/// Kullback–Leibler divergence with `scipy.stats.entropy(p, q)` semantics.
public enum KullbackLeibler {
    /// KL(p || q), scipy.stats.entropy semantics; clip: max(p, eps) then renormalise (scipy)
    ///
    /// `p` and `q` (counts or proportions) are normalised to sum 1. With `clip = eps` each normalised
    /// proportion is raised to at least `eps` and both sides are normalised again — exactly
    /// `scipy.stats.entropy(np.maximum(p, eps), np.maximum(q, eps))` on proportions. Then
    /// `KL = Σ p_i·ln(p_i / q_i)` with `0·ln(0/q) = 0` and **+∞ when `q_i = 0 < p_i`**, divided by
    /// ln 2 for `.two`. Not symmetric; ≥ 0.
    ///
    /// - Returns: KL ≥ 0 or +∞; NaN if a side has zero sum or contains NaN.
    /// - Complexity: O(n), compensated summation.
    public static func divergence(_ p: [Double], _ q: [Double], clip: Double? = nil, base: LogarithmBase = .natural) -> Double {
        precondition(p.count == q.count, "KL needs equal-length vectors")
        var pn = DivergenceMath.normalised(p)
        var qn = DivergenceMath.normalised(q)
        if let eps = clip {
            pn = DivergenceMath.normalised(pn.map { Swift.max($0, eps) })
            qn = DivergenceMath.normalised(qn.map { Swift.max($0, eps) })
        }
        var sum = DivergenceMath.Total()
        for i in 0..<pn.count { sum.add(DivergenceMath.relativeEntropy(pn[i], qn[i])) }
        return sum.value / base.naturalLogOfBase
    }
}
