/// Accuracy, per-class precision / recall / F1 / support and their macro, weighted and micro
/// averages, computed from a `ConfusionMatrix` exactly as scikit-learn 1.9's
/// `precision_recall_fscore_support(y_true, y_pred, labels=range(K), average=…, zero_division=0)`
/// and `accuracy_score` do.
///
/// With tpₖ = M[k][k], predₖ = Σᵢ M[i][k] (column sum) and trueₖ = supportₖ = Σⱼ M[k][j] (row sum):
///
/// - precisionₖ = tpₖ / predₖ, recallₖ = tpₖ / trueₖ, F1ₖ = 2·tpₖ / (trueₖ + predₖ)
///   (scikit-learn's count form of 2PR/(P+R)); a zero denominator gives 0 (`zero_division = 0`).
/// - macro = the unweighted mean over the K labels (labels with no samples count as 0);
///   weighted = Σₖ supportₖ·metricₖ / Σₖ supportₖ (0 if there are no samples);
///   micro = the same formulas on Σₖ tpₖ, Σₖ predₖ, Σₖ trueₖ (for single-label data all three equal accuracy).
/// - accuracy = Σₖ tpₖ / N (0 for an empty matrix, following `zero_division = 0`).
///
/// Samples whose label fell outside the matrix (`ConfusionMatrix.outOfRangeCount`) are not part of
/// any metric. Cost: O(K²) to build; the report is an immutable value.
public struct ClassificationReport: Sendable, Equatable {
    /// Precision, recall and F1 combined over the labels in one way (macro, weighted or micro).
    public struct Averages: Sendable, Equatable {
        /// The averaged precision.
        public var precision: Double
        /// The averaged recall.
        public var recall: Double
        /// The averaged F1 (for macro and weighted: the average of the per-label F1 scores).
        public var f1: Double

        /// Bundles three averaged values.
        public init(precision: Double, recall: Double, f1: Double) {
            self.precision = precision
            self.recall = recall
            self.f1 = f1
        }
    }

    /// The number of labels K.
    public let labelCount: Int
    /// The number of samples N in the matrix.
    public let total: UInt64
    /// Σₖ tpₖ / N (0 when N = 0).
    public let accuracy: Double
    /// Per-label precision tpₖ / predₖ (0 when nothing was predicted as k).
    public let precision: [Double]
    /// Per-label recall tpₖ / trueₖ (0 when k never occurs).
    public let recall: [Double]
    /// Per-label F1 2·tpₖ / (trueₖ + predₖ) (0 when both are 0).
    public let f1: [Double]
    /// Per-label number of samples whose true label is k.
    public let support: [UInt64]
    /// Unweighted means over labels.
    public let macro: Averages
    /// Support-weighted means over labels.
    public let weighted: Averages
    /// Metrics of the pooled counts.
    public let micro: Averages

    /// The report of `confusion`. O(K²).
    public init(confusion: ConfusionMatrix) {
        let k = confusion.labelCount
        var truePositives = [Double](repeating: 0, count: k)
        var trueCounts = [Double](repeating: 0, count: k)
        var predictedCounts = [Double](repeating: 0, count: k)
        var support = [UInt64](repeating: 0, count: k)
        for row in 0..<k {
            for column in 0..<k {
                let cell = confusion.count(trueLabel: row, predicted: column)
                support[row] = ConfusionMatrix.saturatingAdd(support[row], cell)
                predictedCounts[column] += Double(cell)
                if row == column { truePositives[row] = Double(cell) }
            }
            trueCounts[row] = Double(support[row])
        }

        var precision = [Double](repeating: 0, count: k)
        var recall = [Double](repeating: 0, count: k)
        var f1 = [Double](repeating: 0, count: k)
        for label in 0..<k {
            precision[label] = Self.divide(truePositives[label], predictedCounts[label])
            recall[label] = Self.divide(truePositives[label], trueCounts[label])
            f1[label] = Self.divide(2.0 * truePositives[label], trueCounts[label] + predictedCounts[label])
        }

        var supportSum = 0.0
        for label in 0..<k { supportSum += trueCounts[label] }
        func mean(_ values: [Double]) -> Double {
            var sum = 0.0
            for value in values { sum += value }
            return sum / Double(k)
        }
        func weightedMean(_ values: [Double]) -> Double {
            guard supportSum > 0 else { return 0 }
            var sum = 0.0
            for label in 0..<k { sum += values[label] * trueCounts[label] }
            return sum / supportSum
        }

        var tpSum = 0.0, predSum = 0.0
        for label in 0..<k {
            tpSum += truePositives[label]
            predSum += predictedCounts[label]
        }

        self.labelCount = k
        self.total = confusion.total
        self.accuracy = Self.divide(Double(confusion.correctCount), Double(confusion.total))
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
        self.macro = Averages(precision: mean(precision), recall: mean(recall), f1: mean(f1))
        self.weighted = Averages(
            precision: weightedMean(precision), recall: weightedMean(recall), f1: weightedMean(f1))
        self.micro = Averages(
            precision: Self.divide(tpSum, predSum),
            recall: Self.divide(tpSum, supportSum),
            f1: Self.divide(2.0 * tpSum, supportSum + predSum))
    }

    /// `numerator / denominator`, or 0 when the denominator is 0 (scikit-learn's `zero_division=0`).
    @inline(__always)
    static func divide(_ numerator: Double, _ denominator: Double) -> Double {
        denominator == 0 ? 0 : numerator / denominator
    }
}
