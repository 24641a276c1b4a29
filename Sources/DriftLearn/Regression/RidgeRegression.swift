/// Ridge regression, `min ‖y − Xβ − b‖² + α‖β‖²` with the intercept `b` unpenalised: scikit-learn's
/// `Ridge(alpha, fit_intercept=True)`. Solved exactly from the centred normal equations by Cholesky
/// factorisation (the width is the encoded feature count, at most a few thousand).
public struct RidgeRegression: Sendable, Equatable {
    /// The penalty α (> 0 keeps the system positive definite, also with collinear one-hot columns).
    public var alpha = 1.0

    public init(alpha: Double = 1.0) {
        self.alpha = alpha
    }

    /// Fits `rows` to `targets`: the weights (one per column) and the intercept.
    public func fit(_ rows: SparseRows, targets: [Double]) throws(LearnError) -> (weights: [Double], intercept: Double) {
        guard rows.rowCount == targets.count, rows.rowCount > 0 else { throw .invalidInput("\(rows.rowCount) rows but \(targets.count) targets") }
        guard alpha > 0, alpha.isFinite else { throw .invalidInput("the ridge penalty must be positive, got \(alpha)") }
        guard targets.allSatisfy(\.isFinite) else { throw .invalidInput("a target is not a finite number") }
        let width = rows.width
        let n = Double(rows.rowCount)
        var columnSums = [Double](repeating: 0, count: width)
        var gram = [Double](repeating: 0, count: width * width)
        var cross = [Double](repeating: 0, count: width)
        let targetMean = targets.reduce(0, +) / n
        for row in 0..<rows.rowCount {
            let start = rows.offsets[row], end = rows.offsets[row + 1]
            let y = targets[row]
            for a in start..<end {
                let i = Int(rows.indices[a]), xi = rows.values[a]
                columnSums[i] += xi
                cross[i] += xi * y
                for b in start..<end {
                    gram[i * width + Int(rows.indices[b])] += xi * rows.values[b]
                }
            }
        }
        let means = columnSums.map { $0 / n }
        // Centre: XcᵀXc = XᵀX − n x̄x̄ᵀ, Xcᵀyc = Xᵀy − n x̄ ȳ.
        for i in 0..<width {
            cross[i] -= n * means[i] * targetMean
            for j in 0..<width { gram[i * width + j] -= n * means[i] * means[j] }
            gram[i * width + i] += alpha
        }
        let weights = try Self.solveSymmetric(gram, cross, width: width)
        var intercept = targetMean
        for i in 0..<width { intercept -= means[i] * weights[i] }
        return (weights, intercept)
    }

    /// Solves `A x = b` for a symmetric positive-definite `A` (row-major) by Cholesky factorisation.
    static func solveSymmetric(_ matrix: [Double], _ b: [Double], width n: Int) throws(LearnError) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = matrix[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0, sum.isFinite else { throw .invalidInput("the ridge system is not positive definite (raise alpha)") }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = b[i]
            for k in 0..<i { sum -= l[i * n + k] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<max(i + 1, n) { sum -= l[k * n + i] * x[k] }
            x[i] = sum / l[i * n + i]
        }
        return x
    }
}
