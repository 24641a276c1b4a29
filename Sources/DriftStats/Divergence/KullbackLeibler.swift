/// Kullback–Leibler divergence with `scipy.stats.entropy(p, q)` semantics.
public enum KullbackLeibler {
    /// KL(p || q), scipy.stats.entropy semantics; clip: max(p, eps) then renormalise (scipy)
    ///
    /// `p`, `q` are normalised to sum 1; with `clip` every proportion is raised to ≥ `clip` and the result is
    /// normalised again (scipy.stats.entropy(max(p, eps), max(q, eps))); then
    /// `Σ p_i ln(p_i/q_i)` with `0·ln(0/q) = 0` and `+Infinity` when `q_i = 0 < p_i`; divided by ln 2
    /// for `.two`. Cost: O(n), compensated summation.
    public static func divergence(_ p: [Double], _ q: [Double], clip: Double? = nil, base: LogarithmBase = .natural) -> Double {
        precondition(p.count == q.count, "KL needs equal-length vectors")
        var pp = p, qq = q
        if let eps = clip {
            pp = normalisedProportions(pp).map { Swift.max($0, eps) }
            qq = normalisedProportions(qq).map { Swift.max($0, eps) }
        }
        let pn = normalisedProportions(pp)
        let qn = normalisedProportions(qq)
        var terms = [Double]()
        terms.reserveCapacity(pn.count)
        for i in 0..<pn.count { terms.append(relativeEntropyTerm(pn[i], qn[i])) }
        return compensatedTotal(terms) / base.naturalLogOfBase
    }
}
