import DriftStats

/// A classifier's figures on labelled rows, from DriftStats: accuracy, macro-averaged precision, recall and
/// F1, ROC-AUC (binary, or one-vs-rest macro-averaged) and log loss.
public struct ClassifierMetrics: Sendable, Equatable {
    /// The share of rows predicted correctly.
    public var accuracy: Double
    /// Macro-averaged precision.
    public var precision: Double
    /// Macro-averaged recall.
    public var recall: Double
    /// Macro-averaged F1.
    public var f1: Double
    /// ROC-AUC; `nil` when some class is absent from the labels.
    public var rocAUC: Double?
    /// Mean cross-entropy of the true classes.
    public var logLoss: Double
    /// The number of rows.
    public var rows: Int

    /// The metric names ``value(_:)`` knows, in report order.
    public static let names = ["accuracy", "precision", "recall", "f1", "roc_auc", "log_loss"]

    /// Figures of `probabilities` (row-major, one per class) against `labels`.
    public init(probabilities: [[Double]], labels: [Int], classCount: Int) {
        let predicted = probabilities.map(LogisticModel.mostProbable)
        let report = ClassificationReport(confusion: ConfusionMatrix(trueLabels: labels, predicted: predicted, labelCount: classCount))
        accuracy = report.accuracy
        precision = report.macro.precision
        recall = report.macro.recall
        f1 = report.macro.f1
        if classCount == 2 {
            rocAUC = ROCAUC.binary(scores: probabilities.map { $0[1] }, labels: labels.map { $0 == 1 })
        } else {
            rocAUC = ROCAUC.oneVsRest(probabilities: probabilities, labels: labels, classCount: classCount, average: .macro)
        }
        logLoss = LogLoss.compute(probabilities: probabilities, labels: labels)
        rows = labels.count
    }

    /// A figure by name (see ``names``); `nil` for an unknown name or an undefined ROC-AUC.
    public func value(_ name: String) -> Double? {
        switch name {
        case "accuracy": accuracy
        case "precision": precision
        case "recall": recall
        case "f1": f1
        case "roc_auc": rocAUC
        case "log_loss": logLoss
        default: nil
        }
    }

    /// Every defined figure, by name.
    public var values: [(String, Double)] {
        Self.names.compactMap { name in value(name).map { (name, $0) } }
    }
}
