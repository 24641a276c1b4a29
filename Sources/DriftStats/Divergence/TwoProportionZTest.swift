/// The pooled two-proportion z-test, as Evidently 0.7.23's `z_stat_test` computes it (its default
/// drift test for binary categorical columns with a small reference).
///
/// With proportions `p₁ = s₁/n₁` (reference) and `p₂ = s₂/n₂` (current) and the pooled
/// `P = (p₁n₁ + p₂n₂)/(n₁ + n₂)`:
/// `z = (p₁ − p₂) / √(P(1 − P)(1/n₁ + 1/n₂))`, two-sided `p = 2·(1 − Φ(|z|))` — computed exactly so
/// (`1 − Φ`, not the tail function), hence `p = 0` once `|z| ≳ 8.3`, like Evidently.
/// Evidently reports drift iff `p < 0.05`.
///
/// Example:
/// ```swift
/// let r = TwoProportionZTest.evidently(referenceCounts: [900, 100], currentCounts: [850, 150])
/// // r.statistic ≈ -3.38, r.pValue ≈ 7.23e-4 → drift
/// ```
///
/// Reference: Evidently `legacy/calculations/stattests/z_stattest.py`; Fleiss, Levin & Paik,
/// "Statistical Methods for Rates and Proportions", §2.
public enum TwoProportionZTest {
    /// A z-test outcome.
    public struct Result: Sendable, Equatable {
        /// The z statistic (reference minus current proportion, in standard errors).
        public var statistic: Double
        /// The two-sided p-value `2·(1 − Φ(|z|))`.
        public var pValue: Double

        public init(statistic: Double, pValue: Double) {
            self.statistic = statistic
            self.pValue = pValue
        }
    }

    /// The pooled test for `successesA` of `totalA` against `successesB` of `totalB`.
    ///
    /// - Returns: NaN fields when a total is 0 or the pooled proportion is 0 or 1 (no variance).
    /// - Cost: O(1).
    public static func pooled(successesA: Double, totalA: Double, successesB: Double, totalB: Double) -> Result {
        let p1 = successesA / totalA
        let p2 = successesB / totalB
        let pooled = (p1 * totalA + p2 * totalB) / (totalA + totalB)
        let z = (p1 - p2) / (pooled * (1 - pooled) * (1.0 / totalA + 1.0 / totalB)).squareRoot()
        return Result(statistic: z, pValue: 2 * (1 - SpecialFunctions.normalCDF(Swift.abs(z))))
    }

    /// Evidently's `z_stat_test` on category counts aligned by index, in Evidently's (sorted) key
    /// order: the first category present in either sample is the "0" outcome, every other category
    /// counts as "1". If both samples consist of one and the same single category, the p-value is 1
    /// (statistic 0), as in Evidently.
    ///
    /// - Precondition: equal lengths, non-negative counts.
    /// - Cost: O(K).
    public static func evidently(referenceCounts: [Double], currentCounts: [Double]) -> Result {
        precondition(referenceCounts.count == currentCounts.count, "count arrays must have the same length")
        let present = referenceCounts.indices.filter { referenceCounts[$0] > 0 || currentCounts[$0] > 0 }
        let referenceCategories = present.filter { referenceCounts[$0] > 0 }
        let currentCategories = present.filter { currentCounts[$0] > 0 }
        if referenceCategories.count == 1, currentCategories == referenceCategories {
            return Result(statistic: 0, pValue: 1)
        }
        let totalA = NumpySum.pairwise(referenceCounts)
        let totalB = NumpySum.pairwise(currentCounts)
        guard let first = present.first else { return Result(statistic: .nan, pValue: .nan) }
        return pooled(
            successesA: totalA - referenceCounts[first], totalA: totalA,
            successesB: totalB - currentCounts[first], totalB: totalB)
    }
}
