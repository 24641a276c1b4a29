/// Pearson chi-square tests for categorical drift, as scipy 1.17 computes them.
///
/// - `goodnessOfFit`: `scipy.stats.chisquare(f_obs, f_exp)`, statistic `Σ (oᵢ − eᵢ)² / eᵢ`, K − 1 degrees of
///   freedom, p = `chdtrc(K − 1, statistic)` (the regularized upper incomplete gamma `Q((K−1)/2, x/2)`).
/// - `againstReference`: the drift form Evidently's `chisquare` test uses: expected counts are the reference
///   proportions scaled to the current total, `eᵢ = (refᵢ / n_ref) · n_cur`, over the union of categories.
///   A category present now but absent from the reference has `eᵢ = 0 < oᵢ`, which makes the statistic
///   infinite and p = 0 (scipy does the same); `seenOnly` restricts the test to categories the reference has,
///   rescaling to the kept current total, so a new category can be reported apart.
/// - `contingency`: `scipy.stats.chi2_contingency` on an R × K table (all-zero columns dropped), with Yates'
///   continuity correction when there is exactly one degree of freedom and `correction` is on.
///
/// Cost: O(K) (O(R·K) for the contingency table); no allocation beyond the result arrays.
public enum ChiSquare {
    /// A test's statistic, p-value and degrees of freedom.
    public struct Result: Sendable, Equatable {
        public var statistic: Double
        public var pValue: Double
        public var degreesOfFreedom: Int

        public init(statistic: Double, pValue: Double, degreesOfFreedom: Int) {
            self.statistic = statistic
            self.pValue = pValue
            self.degreesOfFreedom = degreesOfFreedom
        }
    }

    /// Pearson's goodness-of-fit test of observed against expected counts (equal lengths, K ≥ 1).
    ///
    /// A term with `eᵢ = 0` contributes +∞ when `oᵢ > 0` and nothing when `oᵢ = 0`.
    public static func goodnessOfFit(observed: [Double], expected: [Double]) -> Result {
        let k = min(observed.count, expected.count)
        var statistic = 0.0
        for i in 0..<k {
            let o = observed[i]
            let e = expected[i]
            if e == 0 {
                if o != 0 { statistic = .infinity }
                continue
            }
            let d = o - e
            statistic += d * d / e
        }
        let dof = max(k - 1, 0)
        return Result(statistic: statistic, pValue: pValue(statistic, dof: dof), degreesOfFreedom: dof)
    }

    /// The expected counts `(refᵢ / n_ref) · n_cur` that `againstReference` tests against.
    public static func expectedCounts(referenceCounts: [Double], currentTotal: Double) -> [Double] {
        let referenceTotal = referenceCounts.reduce(0, +)
        guard referenceTotal > 0 else { return referenceCounts.map { _ in 0 } }
        return referenceCounts.map { ($0 / referenceTotal) * currentTotal }
    }

    /// Goodness of fit of the current category counts to the reference proportions (aligned arrays).
    public static func againstReference(referenceCounts: [Double], currentCounts: [Double], seenOnly: Bool = false) -> Result {
        let k = min(referenceCounts.count, currentCounts.count)
        var reference = Array(referenceCounts.prefix(k))
        var current = Array(currentCounts.prefix(k))
        if seenOnly {
            let kept = (0..<k).filter { reference[$0] > 0 }
            reference = kept.map { reference[$0] }
            current = kept.map { current[$0] }
        }
        let expected = expectedCounts(referenceCounts: reference, currentTotal: current.reduce(0, +))
        return goodnessOfFit(observed: current, expected: expected)
    }

    /// Chi-square test of independence on a contingency table (rows = samples, columns = categories).
    ///
    /// - Returns: the test and the expected frequencies `rowᵢ · colⱼ / total` of the kept columns.
    public static func contingency(_ table: [[Double]], correction: Bool = true) -> (result: Result, expected: [[Double]]) {
        let columnCount = table.map(\.count).min() ?? 0
        let keptColumns = (0..<columnCount).filter { j in table.contains { $0[j] != 0 } }
        let observed = table.map { row in keptColumns.map { row[$0] } }
        let rowTotals = observed.map { $0.reduce(0, +) }
        let columnTotals = keptColumns.indices.map { j in observed.reduce(0) { $0 + $1[j] } }
        let total = rowTotals.reduce(0, +)
        guard total > 0, !keptColumns.isEmpty else {
            return (Result(statistic: .nan, pValue: .nan, degreesOfFreedom: 0), observed)
        }
        let expected = rowTotals.map { r in columnTotals.map { c in r * c / total } }
        let dof = max(observed.count - 1, 0) * max(keptColumns.count - 1, 0)
        if dof == 0 {
            return (Result(statistic: 0, pValue: 1, degreesOfFreedom: 0), expected)
        }
        var statistic = 0.0
        for i in observed.indices {
            for j in keptColumns.indices {
                var o = observed[i][j]
                let e = expected[i][j]
                if correction && dof == 1 {
                    // Yates: move each observed count half a unit towards its expectation (never past it).
                    let difference = e - o
                    let magnitude = min(0.5, Swift.abs(difference))
                    o += difference < 0 ? -magnitude : (difference > 0 ? magnitude : 0)
                }
                let d = o - e
                statistic += d * d / e
            }
        }
        return (Result(statistic: statistic, pValue: pValue(statistic, dof: dof), degreesOfFreedom: dof), expected)
    }

    private static func pValue(_ statistic: Double, dof: Int) -> Double {
        if statistic.isNaN { return .nan }
        if statistic.isInfinite { return 0 }
        guard dof > 0 else { return statistic == 0 ? 1 : .nan }
        return SpecialFunctions.chiSquareSurvival(statistic, degreesOfFreedom: Double(dof))
    }
}
