#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Mean cross-entropy (log loss) of predicted class probabilities, as scikit-learn 1.9's
/// `log_loss(y_true, y_proba, labels=range(K))` computes it:
///
///     L = −(1/n) · Σᵢ ln(clip(pᵢ,yᵢ, ε, 1 − ε)),   ε = 2⁻⁵² = 2.220446049250313e-16 (float64 machine epsilon)
///
/// Probabilities are clipped, not renormalised (scikit-learn 1.9 checks that rows sum to 1 and raises
/// otherwise instead of renormalising; this type uses the rows as given — validate upstream if needed).
/// A perfectly confident correct prediction therefore costs −ln(1 − ε) ≈ ε, and a probability-0 true
/// class costs −ln ε ≈ 36.04.
///
/// Cost: O(n) time, no allocation; the mean uses compensated (Neumaier) summation.
public enum LogLoss {
    /// float64 machine epsilon, the clip bound scikit-learn uses for float64 input.
    public static let epsilon: Double = 0x1p-52

    /// The mean log loss of `probabilities` (row i holds P(class j) for j = 0..<K) against `labels`.
    ///
    /// Returns NaN for an empty input, a row count different from the label count, a label that is
    /// negative or not a column of its row, or a NaN probability of the true class.
    ///
    /// Example:
    /// ```swift
    /// LogLoss.compute(probabilities: [[0.9, 0.1], [0.2, 0.8]], labels: [0, 1]) // −(ln 0.9 + ln 0.8)/2 ≈ 0.1643
    /// ```
    public static func compute(probabilities: [[Double]], labels: [Int]) -> Double {
        guard !labels.isEmpty, probabilities.count == labels.count else { return .nan }
        var sum = 0.0
        var compensation = 0.0
        let upper = 1 - epsilon
        for (row, label) in zip(probabilities, labels) {
            guard label >= 0, label < row.count else { return .nan }
            let p = row[label]
            guard !p.isNaN else { return .nan }
            let term = -log(Swift.min(Swift.max(p, epsilon), upper))
            let next = sum + term
            if Swift.abs(sum) >= Swift.abs(term) {
                compensation += (sum - next) + term
            } else {
                compensation += (term - next) + sum
            }
            sum = next
        }
        return (sum + compensation) / Double(labels.count)
    }
}
