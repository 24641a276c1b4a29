import DriftStats

/// What a classifier's labelled events say about it (pure): the per-class table of a confusion matrix, and
/// the ROC and precision-recall curves of binned positive-class probabilities.
public enum ClassificationQuality {
    /// One class's row of the error table (scikit-learn's `precision_recall_fscore_support`, `zero_division=0`).
    public struct ClassRow: Sendable, Equatable {
        public var name: String
        /// Labelled events of the class, and events predicted as it.
        public var support: UInt64
        public var predicted: UInt64
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Share of the class's events predicted as another class (1 − recall; 0 without support).
        public var errorRate: Double
        /// The class it is most often mistaken for, with the count.
        public var confusedWith: (name: String, count: UInt64)?

        public static func == (lhs: ClassRow, rhs: ClassRow) -> Bool {
            lhs.name == rhs.name && lhs.support == rhs.support && lhs.predicted == rhs.predicted && lhs.precision == rhs.precision
                && lhs.recall == rhs.recall && lhs.f1 == rhs.f1 && lhs.confusedWith?.name == rhs.confusedWith?.name
        }
    }

    /// The per-class table of `counts[truth][predicted]` (square, in `classes` order): precision, recall and F1 from
    /// ``ClassificationReport``.
    public static func classRows(classes: [String], counts: [[UInt64]]) -> [ClassRow] {
        var matrix = ConfusionMatrix(labelCount: classes.count)
        for (truth, row) in counts.enumerated() {
            for (predicted, count) in row.enumerated() where count > 0 { matrix.record(trueLabel: truth, predicted: predicted, count: count) }
        }
        let report = ClassificationReport(confusion: matrix)
        return classes.indices.map { index in
            let row = index < counts.count ? counts[index] : []
            let predicted = counts.reduce(UInt64(0)) { $0 + (index < $1.count ? $1[index] : 0) }
            let mistaken = row.enumerated().filter { $0.offset != index && $0.element > 0 }.max { ($0.element, $1.offset) < ($1.element, $0.offset) }
            return ClassRow(
                name: classes[index], support: report.support[index], predicted: predicted, precision: report.precision[index],
                recall: report.recall[index], f1: report.f1[index], errorRate: report.support[index] > 0 ? 1 - report.recall[index] : 0,
                confusedWith: mistaken.map { (classes[$0.offset], $0.element) })
        }
    }

    /// A point of a curve at a decision threshold on the positive-class probability (`score ≥ threshold`).
    public struct CurvePoint: Sendable, Equatable {
        public var threshold: Double
        public var x: Double
        public var y: Double
    }

    /// The ROC curve, (false-positive rate, true-positive rate), from the strictest threshold down; it starts at
    /// (0, 0) (threshold +∞) and has one point per non-empty bin, as scikit-learn's `roc_curve` has one per distinct
    /// score (`drop_intermediate=False`). `nil` without both classes.
    public static func roc(positive: [UInt64], negative: [UInt64]) -> [CurvePoint]? {
        let p = Double(positive.reduce(0, +))
        let n = Double(negative.reduce(0, +))
        guard p > 0, n > 0, positive.count == negative.count else { return nil }
        var points = [CurvePoint(threshold: .infinity, x: 0, y: 0)]
        var truePositives = 0.0
        var falsePositives = 0.0
        for bin in positive.indices.reversed() where positive[bin] + negative[bin] > 0 {
            truePositives += Double(positive[bin])
            falsePositives += Double(negative[bin])
            points.append(CurvePoint(threshold: Double(bin) / Double(positive.count), x: falsePositives / n, y: truePositives / p))
        }
        return points
    }

    /// The area under a curve by the trapezoid rule (for the ROC curve: ties within a bin count ½).
    public static func area(_ points: [CurvePoint]) -> Double {
        zip(points, points.dropFirst()).reduce(0) { $0 + ($1.1.x - $1.0.x) * ($1.1.y + $1.0.y) / 2 }
    }

    /// The precision-recall curve, (recall, precision), from the strictest threshold down, one point per
    /// non-empty bin (scikit-learn's `precision_recall_curve` read from its end, without its closing (0, 1)).
    public static func precisionRecall(positive: [UInt64], negative: [UInt64]) -> [CurvePoint]? {
        let p = Double(positive.reduce(0, +))
        guard p > 0, positive.count == negative.count else { return nil }
        var points: [CurvePoint] = []
        var truePositives = 0.0
        var predictedPositive = 0.0
        for bin in positive.indices.reversed() where positive[bin] + negative[bin] > 0 {
            truePositives += Double(positive[bin])
            predictedPositive += Double(positive[bin] + negative[bin])
            points.append(CurvePoint(threshold: Double(bin) / Double(positive.count), x: truePositives / p, y: truePositives / predictedPositive))
        }
        return points
    }

    /// Average precision, Σ (Rₖ − Rₖ₋₁) Pₖ over the thresholds (scikit-learn's `average_precision_score`).
    public static func averagePrecision(_ curve: [CurvePoint]) -> Double {
        var previousRecall = 0.0
        var sum = 0.0
        for point in curve {
            sum += (point.x - previousRecall) * point.y
            previousRecall = point.x
        }
        return sum
    }
}
