/// A regression model's figures on labelled rows (scikit-learn's `mean_absolute_error`,
/// `root_mean_squared_error`, `r2_score`).
public struct RegressionMetrics: Sendable, Equatable {
    public var mae: Double
    public var rmse: Double
    /// `nil` when the labels do not vary.
    public var r2: Double?
    public var rows: Int

    /// The metric names, in report order.
    public static let names = ["mae", "rmse", "r2"]

    /// The figures of `predictions` against `labels` (pairs in order).
    public init(predictions: [Double], labels: [Double]) {
        let n = Double(max(labels.count, 1))
        let mean = labels.reduce(0, +) / n
        var absolute = 0.0, squared = 0.0, total = 0.0
        for (prediction, label) in zip(predictions, labels) {
            absolute += abs(label - prediction)
            squared += (label - prediction) * (label - prediction)
            total += (label - mean) * (label - mean)
        }
        mae = absolute / n
        rmse = (squared / n).squareRoot()
        r2 = total > 0 ? 1 - squared / total : nil
        rows = labels.count
    }

    /// A metric by name.
    public func value(_ name: String) -> Double? {
        switch name {
        case "mae": mae
        case "rmse": rmse
        case "r2": r2
        default: nil
        }
    }

    /// The defined metrics, by name.
    public var values: [(String, Double)] { Self.names.compactMap { name in value(name).map { (name, $0) } } }

    /// Whether a higher value of `name` is better.
    public static func higherIsBetter(_ name: String) -> Bool { name == "r2" }
}
