/// Pearson chi-square tests for categorical drift, with scipy 1.17.1 semantics
/// (`stats.chisquare`, `stats.chi2_contingency`) and the convention Evidently 0.7.23 uses for its
/// `chisquare` drift test.
///
/// * Goodness of fit: `X² = Σ (oᵢ − eᵢ)²/eᵢ` over K categories, `dof = K − 1`,
///   `p = Pr(χ²_dof ≥ X²) = Q(dof/2, X²/2)` (`SpecialFunctions.chiSquareSurvival`). A category with
///   `eᵢ = 0 < oᵢ` makes `X² = ∞` and `p = 0`.
/// * Against a reference: `eᵢ = (refᵢ / n_ref) · n_cur` over the categories present in either sample.
/// * Contingency (R×K): `eᵢⱼ = rowᵢ·colⱼ / N`, `dof = (R − 1)(K − 1)`, Yates' continuity correction
///   `oᵢⱼ ± min(½, |eᵢⱼ − oᵢⱼ|)` towards `eᵢⱼ` when `dof = 1`.
///
/// Sums use numpy's pairwise summation order, so statistics agree with scipy to the last bit or two.
///
/// Example:
/// ```swift
/// let r = ChiSquare.againstReference(referenceCounts: [500, 300, 200], currentCounts: [300, 300, 400])
/// // r.statistic == 280, r.degreesOfFreedom == 2, r.pValue ≈ 1.58e-61
/// ```
///
/// Reference: Pearson, K. (1900); Yates, F. (1934), "Contingency tables involving small numbers and
/// the χ² test", Suppl. J. R. Stat. Soc. 1, 217–235; scipy documentation of `chisquare` and
/// `chi2_contingency`.
public enum ChiSquare {
    /// A chi-square test outcome.
    public struct Result: Sendable, Equatable {
        /// Pearson's statistic X² (∞ when an expected count is 0 but observed is positive).
        public var statistic: Double
        /// `Pr(χ²_dof ≥ statistic)`; NaN when undefined (e.g. dof = 0 in a goodness-of-fit test).
        public var pValue: Double
        /// Degrees of freedom.
        public var degreesOfFreedom: Int

        public init(statistic: Double, pValue: Double, degreesOfFreedom: Int) {
            self.statistic = statistic
            self.pValue = pValue
            self.degreesOfFreedom = degreesOfFreedom
        }
    }

    /// scipy `chisquare(f_obs=observed, f_exp=expected)`: `X² = Σ (oᵢ − eᵢ)²/eᵢ`, `dof = K − 1`.
    ///
    /// The totals of `observed` and `expected` are not checked (scipy raises when they differ by more
    /// than √ε relative). `oᵢ = eᵢ = 0` makes the statistic NaN, as in scipy.
    ///
    /// - Precondition: `observed.count == expected.count`.
    /// - Cost: O(K); one temporary array of K terms.
    public static func goodnessOfFit(observed: [Double], expected: [Double]) -> Result {
        precondition(observed.count == expected.count, "observed and expected must have the same length")
        var terms = [Double](repeating: 0, count: observed.count)
        for i in 0..<observed.count {
            let d = observed[i] - expected[i]
            terms[i] = d * d / expected[i]
        }
        let statistic = NumpySum.pairwise(terms)
        let dof = observed.count - 1
        return Result(
            statistic: statistic,
            pValue: SpecialFunctions.chiSquareSurvival(statistic, degreesOfFreedom: Double(dof)),
            degreesOfFreedom: dof)
    }

    /// Expected current counts under the reference distribution: `(refᵢ / n_ref) · n_cur` for each
    /// category (numpy's `(ref_counts / n_ref) * n_cur`; totals are the sums of the given counts).
    ///
    /// - Precondition: equal lengths.
    /// - Cost: O(K).
    public static func expectedCounts(referenceCounts: [Double], currentCounts: [Double]) -> [Double] {
        precondition(referenceCounts.count == currentCounts.count, "count arrays must have the same length")
        let nReference = NumpySum.pairwise(referenceCounts)
        let nCurrent = NumpySum.pairwise(currentCounts)
        return referenceCounts.map { ($0 / nReference) * nCurrent }
    }

    /// Goodness of fit of current category counts to the reference proportions (Evidently's
    /// `chisquare` drift test: drift iff `pValue < 0.05`).
    ///
    /// Categories are aligned by index; a category with zero count in both samples is not part of
    /// the union and is ignored. `eᵢ = (refᵢ / n_ref) · n_cur`, `dof = K − 1` over the remaining K
    /// categories; a category unseen in the reference gives `statistic = ∞`, `pValue = 0`.
    ///
    /// - Parameter seenOnly: restrict to categories with a positive reference count, rescaling `eᵢ` to
    ///   the current total over those categories (so unseen categories do not dominate).
    /// - Returns: NaN statistic and p-value when the reference (or, with `seenOnly`, the kept current
    ///   total) is empty.
    /// - Precondition: equal lengths, non-negative counts.
    /// - Cost: O(K); small temporary arrays.
    public static func againstReference(
        referenceCounts: [Double], currentCounts: [Double], seenOnly: Bool = false
    ) -> Result {
        precondition(referenceCounts.count == currentCounts.count, "count arrays must have the same length")
        var reference = [Double]()
        var current = [Double]()
        reference.reserveCapacity(referenceCounts.count)
        current.reserveCapacity(currentCounts.count)
        for i in 0..<referenceCounts.count {
            let keep = seenOnly ? referenceCounts[i] > 0 : (referenceCounts[i] > 0 || currentCounts[i] > 0)
            if keep {
                reference.append(referenceCounts[i])
                current.append(currentCounts[i])
            }
        }
        let expected = expectedCounts(referenceCounts: reference, currentCounts: current)
        return goodnessOfFit(observed: current, expected: expected)
    }

    /// scipy `chi2_contingency(table, correction)` after dropping all-zero columns (scipy raises on
    /// a zero expected frequency; a column absent from both samples carries no information).
    ///
    /// - Parameter table: R rows (e.g. reference and current) × K columns (categories) of counts.
    /// - Returns: the test and the expected frequencies `rowᵢ·colⱼ/N` of the kept columns. With
    ///   `dof = 0` (a single row or column) the statistic is 0 and the p-value 1 (as scipy). An
    ///   all-zero row makes expected counts 0 and the result NaN (scipy raises).
    /// - Precondition: all rows have the same length.
    /// - Cost: O(R·K); arrays of R·K doubles.
    public static func contingency(_ table: [[Double]], correction: Bool = true) -> (result: Result, expected: [[Double]]) {
        let rowCount = table.count
        let columnCount = table.first?.count ?? 0
        precondition(table.allSatisfy { $0.count == columnCount }, "all rows must have the same length")
        // Keep the columns with a positive total.
        var kept = [Int]()
        for j in 0..<columnCount where table.contains(where: { $0[j] != 0 }) { kept.append(j) }
        let observed = table.map { row in kept.map { row[$0] } }
        let k = kept.count
        if rowCount == 0 || k == 0 {
            return (Result(statistic: .nan, pValue: .nan, degreesOfFreedom: 0), observed.map { _ in [] })
        }

        // Margins as numpy computes them: row sums pairwise, column sums row by row, total pairwise.
        let rowSums = observed.map { NumpySum.pairwise($0) }
        var columnSums = observed[0]
        for i in 1..<rowCount {
            for j in 0..<k { columnSums[j] += observed[i][j] }
        }
        let flatObserved = observed.flatMap { $0 }
        let total = NumpySum.pairwise(flatObserved)
        let expected = (0..<rowCount).map { i in (0..<k).map { j in rowSums[i] * columnSums[j] / total } }

        let dof = (rowCount - 1) * (k - 1)
        if dof == 0 {
            return (Result(statistic: 0.0, pValue: 1.0, degreesOfFreedom: 0), expected)
        }
        var terms = [Double]()
        terms.reserveCapacity(rowCount * k)
        for i in 0..<rowCount {
            for j in 0..<k {
                var o = observed[i][j]
                let e = expected[i][j]
                if dof == 1 && correction {
                    let diff = e - o
                    let direction: Double = diff > 0 ? 1 : (diff < 0 ? -1 : 0)
                    o = o + Swift.min(0.5, Swift.abs(diff)) * direction
                }
                let d = o - e
                terms.append(d * d / e)
            }
        }
        let statistic = NumpySum.pairwise(terms)
        let p = SpecialFunctions.chiSquareSurvival(statistic, degreesOfFreedom: Double(dof))
        return (Result(statistic: statistic, pValue: p, degreesOfFreedom: dof), expected)
    }
}
