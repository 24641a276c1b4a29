import Foundation

/// Multinomial logistic regression with L2 regularization, fitted by ``LBFGS``.
///
/// The objective is scikit-learn's `LogisticRegression` one, divided by `C·n`:
/// `(1/n) Σᵢ sᵢ·(−log pᵢ,yᵢ) + ‖W‖² / (2·C·n)` with `sᵢ` the row's class weight; intercepts are not
/// penalized. With two classes the model has one weight vector (the logit of the second class), as
/// scikit-learn's binary model does; with more, one per class (softmax).
public struct LogisticRegression: Sendable {
    /// How rows are weighted by their class.
    public enum ClassWeight: Sendable, Equatable {
        /// Every row counts once.
        case none
        /// Rows weigh `n / (classes · count of their class)`, as scikit-learn's `"balanced"`.
        case balanced
        /// An explicit weight per class index.
        case explicit([Double])
    }

    /// The inverse regularization strength (scikit-learn's `C`); larger fits the data more closely.
    public var inverseRegularization = 1.0
    /// Row weighting by class.
    public var classWeight = ClassWeight.none
    /// The solver's settings.
    public var solver = LBFGS()

    /// Defaults: `C = 1`, no class weights, L-BFGS to a gradient of 1e-6 within 1,000 iterations.
    public init() {}

    /// Fits on `rows` with labels `labels` (class indices in `0..<classCount`).
    public func fit(_ rows: SparseRows, labels: [Int], classCount: Int) throws(LearnError) -> LogisticModel {
        guard rows.rowCount == labels.count else { throw .invalidInput("\(rows.rowCount) rows but \(labels.count) labels") }
        guard rows.rowCount > 0 else { throw .invalidInput("no rows to train on") }
        guard classCount >= 2 else { throw .invalidInput("training needs at least two classes, found \(classCount)") }
        guard labels.allSatisfy({ (0..<classCount).contains($0) }) else { throw .invalidInput("a label is outside 0..<\(classCount)") }
        guard inverseRegularization > 0, inverseRegularization.isFinite else { throw .invalidInput("C must be positive, got \(inverseRegularization)") }
        let weights = try rowWeights(labels, classCount: classCount)
        let vectors = classCount == 2 ? 1 : classCount
        let width = rows.width
        let penalty = 1 / (inverseRegularization * Double(rows.rowCount))
        let objective = SoftmaxObjective(rows: rows, labels: labels, weights: weights, classCount: classCount, penalty: penalty)
        let result = solver.minimize(from: [Double](repeating: 0, count: vectors * (width + 1))) { parameters, gradient in
            objective.evaluate(parameters, &gradient)
        }
        return LogisticModel(classCount: classCount, width: width, parameters: result.point, iterations: result.iterations,
                             converged: result.outcome != .iterationLimit)
    }

    private func rowWeights(_ labels: [Int], classCount: Int) throws(LearnError) -> [Double]? {
        switch classWeight {
        case .none:
            return nil
        case .balanced:
            var counts = [Int](repeating: 0, count: classCount)
            for label in labels { counts[label] += 1 }
            let perClass = counts.map { $0 == 0 ? 0 : Double(labels.count) / (Double(classCount) * Double($0)) }
            return labels.map { perClass[$0] }
        case .explicit(let perClass):
            guard perClass.count == classCount, perClass.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
                throw .invalidInput("class weights need one non-negative number per class (\(classCount))")
            }
            return labels.map { perClass[$0] }
        }
    }
}

/// The penalized, weighted cross-entropy and its gradient, over the non-zero entries of each row.
struct SoftmaxObjective {
    let rows: SparseRows
    let labels: [Int]
    let weights: [Double]?
    let classCount: Int
    let penalty: Double

    func evaluate(_ parameters: [Double], _ gradient: inout [Double]) -> Double {
        let width = rows.width
        let stride = width + 1
        let vectors = classCount == 2 ? 1 : classCount
        for index in gradient.indices { gradient[index] = 0 }
        var loss = 0.0
        var logits = [Double](repeating: 0, count: classCount)
        rows.offsets.withUnsafeBufferPointer { offsets in
        rows.indices.withUnsafeBufferPointer { indices in
        rows.values.withUnsafeBufferPointer { values in
        parameters.withUnsafeBufferPointer { theta in
        gradient.withUnsafeMutableBufferPointer { grad in
            for row in 0..<labels.count {
                let begin = offsets[row], end = offsets[row + 1]
                for vector in 0..<vectors {
                    let base = vector * stride
                    var sum = theta[base + width]
                    for entry in begin..<end { sum += theta[base + Int(indices[entry])] * values[entry] }
                    logits[classCount == 2 ? 1 : vector] = sum
                }
                if classCount == 2 { logits[0] = 0 }
                var largest = logits[0]
                for k in 1..<classCount where logits[k] > largest { largest = logits[k] }
                let label = labels[row]
                let shiftedTrue = logits[label] - largest
                var total = 0.0
                for k in 0..<classCount {
                    logits[k] = exp(logits[k] - largest)
                    total += logits[k]
                }
                let weight = weights?[row] ?? 1
                // −log p(label) = log Σ exp(z − max) − (z_label − max)
                loss += weight * (log(total) - shiftedTrue)
                for vector in 0..<vectors {
                    let k = classCount == 2 ? 1 : vector
                    let residual = weight * (logits[k] / total - (label == k ? 1 : 0))
                    guard residual != 0 else { continue }
                    let base = vector * stride
                    for entry in begin..<end { grad[base + Int(indices[entry])] += residual * values[entry] }
                    grad[base + width] += residual
                }
            }
        }}}}}
        let scale = 1 / Double(labels.count)
        var squares = 0.0
        for vector in 0..<vectors {
            let base = vector * stride
            for index in 0..<width {
                let w = parameters[base + index]
                squares += w * w
                gradient[base + index] = gradient[base + index] * scale + penalty * w
            }
            gradient[base + width] *= scale
        }
        return loss * scale + 0.5 * penalty * squares
    }
}
