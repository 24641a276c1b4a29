public import DriftLearn
public import DriftStats

/// Whether a challenger replaces the champion: it must be at least as good on the primary metric, by a
/// margin, on the held-out slice of the most recent labelled data, and no guard metric may fall by more
/// than a tolerance. A model without a champion promotes its first valid challenger.
public struct PromotionPolicy: Sendable, Equatable {
    /// The metric that decides (accuracy, f1 or roc_auc; higher is better).
    public var primaryMetric = "accuracy"
    /// The challenger must reach the champion's primary figure plus this (may be negative to allow a small fall).
    public var margin = 0.0
    /// Metrics that may not fall by more than ``guardTolerance`` (the primary one is left out).
    public var guardMetrics = ["accuracy", "f1", "roc_auc"]
    /// How far (absolute) a guard metric may fall.
    public var guardTolerance = 0.02

    /// The metrics a primary metric may be.
    public static let primaryMetrics = ["accuracy", "f1", "roc_auc"]

    /// The defaults above.
    public init() {}

    /// A verdict with its reasons.
    public struct Verdict: Sendable, Equatable {
        public var promote: Bool
        public var reasons: [String]
    }

    /// Compares `challenger` with `champion`, both scored on the same held-out rows.
    public func judge(challenger: ClassifierMetrics, champion: ClassifierMetrics?) -> Verdict {
        guard let champion else { return Verdict(promote: true, reasons: ["no champion to compare with"]) }
        return judge(primaryMetric, higherIsBetter: true, guards: guardMetrics, challenger.value, champion.value)
    }

    /// The metric that decides between regressors (`rmse` or `mae`: lower is better; `r2`: higher is better).
    public var regressionMetric = "rmse"

    /// Compares regressors on the same held-out rows: the challenger's ``regressionMetric`` must be at least as good
    /// as the champion's by ``margin`` (in the metric's units), and its R² may not fall by more than ``guardTolerance``.
    public func judge(challenger: RegressionMetrics, champion: RegressionMetrics?) -> Verdict {
        guard let champion else { return Verdict(promote: true, reasons: ["no champion to compare with"]) }
        return judge(regressionMetric, higherIsBetter: RegressionMetrics.higherIsBetter(regressionMetric), guards: ["r2"],
                     challenger.value, champion.value)
    }

    /// The primary metric must be at least as good by ``margin``; no guard metric (higher is better) other than
    /// the primary may fall by more than ``guardTolerance``.
    private func judge(_ primary: String, higherIsBetter: Bool, guards: [String], _ challenger: (String) -> Double?,
                       _ champion: (String) -> Double?) -> Verdict {
        var reasons: [String] = []
        var promote = true
        if let new = challenger(primary), let old = champion(primary) {
            let better = higherIsBetter ? new + 1e-12 >= old + margin : new <= old - margin + 1e-12
            reasons.append("\(primary) \(Self.format(new)) against the champion's \(Self.format(old)) (margin \(Self.format(margin))): \(better ? "better" : "not enough")")
            promote = better
        } else {
            promote = false
            reasons.append("\(primary) is undefined on the held-out rows")
        }
        for metric in guards where metric != primary {
            guard let new = challenger(metric), let old = champion(metric) else { continue }
            if new < old - guardTolerance {
                promote = false
                reasons.append("guard \(metric) falls from \(Self.format(old)) to \(Self.format(new)), more than \(Self.format(guardTolerance))")
            }
        }
        return Verdict(promote: promote, reasons: reasons)
    }

    static func format(_ value: Double) -> String {
        String((value * 10_000).rounded() / 10_000)
    }
}
