import Foundation

/// A fitted ``LogisticRegression``: weights and intercepts over a ``FeaturePipeline``'s output columns.
public struct LogisticModel: Sendable, Equatable {
    /// The number of classes.
    public let classCount: Int
    /// The number of input columns.
    public let width: Int
    /// Per weight vector (one for two classes, else one per class): `width` weights, then the intercept.
    public let parameters: [Double]
    /// Solver iterations taken.
    public let iterations: Int
    /// Whether the solver stopped before its iteration limit.
    public let converged: Bool

    /// A model of given parameters (as read back from a serialized model).
    public init(classCount: Int, width: Int, parameters: [Double], iterations: Int, converged: Bool) {
        self.classCount = classCount
        self.width = width
        self.parameters = parameters
        self.iterations = iterations
        self.converged = converged
    }

    /// The number of weight vectors.
    var vectors: Int { classCount == 2 ? 1 : classCount }

    /// The weight of input column `column` in vector `vector`.
    public func weight(vector: Int, column: Int) -> Double { parameters[vector * (width + 1) + column] }

    /// Class probabilities of every row, row-major (`rowCount × classCount`).
    public func probabilities(_ rows: SparseRows) -> [[Double]] {
        var result: [[Double]] = []
        result.reserveCapacity(rows.rowCount)
        let stride = width + 1
        var logits = [Double](repeating: 0, count: classCount)
        for row in 0..<rows.rowCount {
            for vector in 0..<vectors {
                let base = vector * stride
                var sum = parameters[base + width]
                for entry in rows.offsets[row]..<rows.offsets[row + 1] {
                    sum += parameters[base + Int(rows.indices[entry])] * rows.values[entry]
                }
                logits[classCount == 2 ? 1 : vector] = sum
            }
            if classCount == 2 { logits[0] = 0 }
            let largest = logits.max() ?? 0
            var total = 0.0
            var probabilities = logits.map { value -> Double in
                let e = exp(value - largest)
                total += e
                return e
            }
            for k in probabilities.indices { probabilities[k] /= total }
            result.append(probabilities)
        }
        return result
    }

    /// The most probable class of every row (ties: the lower index).
    public func predict(_ rows: SparseRows) -> [Int] {
        probabilities(rows).map(Self.mostProbable)
    }

    /// The index of the largest probability (ties: the lower index; 0 for an empty row).
    public static func mostProbable(_ probabilities: [Double]) -> Int {
        var best = 0
        for index in probabilities.indices where probabilities[index] > probabilities[best] { best = index }
        return best
    }
}
