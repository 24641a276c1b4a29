/// Evidently's `z` test for a binary categorical column: a pooled two-proportion z-test on the share of
/// the first (sorted) category.
///
/// `p̂ = (x_ref + x_cur) / (n_ref + n_cur)`, `z = (x_ref/n_ref − x_cur/n_cur) / √(p̂(1 − p̂)(1/n_ref + 1/n_cur))`,
/// two-sided p = 2·(1 − Φ(|z|)). When both samples are one and the same constant (p̂ ∈ {0, 1}) the
/// p-value is 1, as in Evidently. Cost: O(1).
public enum TwoProportionZTest {
    /// The statistic z and its two-sided p-value.
    public static func test(referenceHits: Double, referenceTotal: Double, currentHits: Double, currentTotal: Double)
        -> (z: Double, pValue: Double)
    {
        guard referenceTotal > 0, currentTotal > 0 else { return (.nan, .nan) }
        let pooled = (referenceHits + currentHits) / (referenceTotal + currentTotal)
        if pooled <= 0 || pooled >= 1 { return (0, 1) }
        let standardError = (pooled * (1 - pooled) * (1 / referenceTotal + 1 / currentTotal)).squareRoot()
        let z = (referenceHits / referenceTotal - currentHits / currentTotal) / standardError
        return (z, 2 * SpecialFunctions.normalSurvival(Swift.abs(z)))
    }
}
