/// The thresholds, the multiple-testing correction and the hysteresis that turn a window's metrics into
/// severities. The defaults are the issue's: PSI 0.1 / 0.25, p-values at 0.05 after Benjamini–Hochberg
/// across features, a 10 % relative drop in accuracy or F1 over at least 50 labels, raise after 1 window and
/// clear after 2.
public struct MonitorPolicy: Sendable, Equatable {
    /// How the p-values of one window's features are adjusted before they are compared with ``alpha``.
    public enum Correction: String, Sendable, CaseIterable {
        case benjaminiHochberg = "benjamini-hochberg"
        case bonferroni
        case none
    }

    public var psiWarning = 0.1
    public var psiCritical = 0.25
    public var jsWarning = 0.1
    public var jsCritical = 0.2
    /// p-value tests (KS, chi-square) fire WARNING below this (after the correction), when the effect
    /// (KS statistic beyond the sketch error, Cohen's w) is at least ``minimumEffect``.
    public var alpha = 0.05
    public var minimumEffect = 0.1
    public var correction = Correction.benjaminiHochberg
    /// Share of values in categories the reference never had.
    public var unseenShareWarning = 0.01
    public var unseenShareCritical = 0.05
    /// Increase of a feature's missing-value rate over the reference's (absolute).
    public var missingRateWarning = 0.05
    public var missingRateCritical = 0.2
    /// Share of a numeric feature's values outside the reference's observed range.
    public var outOfRangeWarning = 0.02
    public var outOfRangeCritical = 0.10
    /// The model server's 99th-percentile latency (`latency_ms`, milliseconds).
    public var latencyP99Warning = 500.0
    public var latencyP99Critical = 2_000.0
    /// Share of a window's events whose request failed (`error`).
    public var errorRateWarning = 0.01
    public var errorRateCritical = 0.05
    /// Drop of the mean top-class confidence below the reference's (absolute).
    public var confidenceDropWarning = 0.05
    public var confidenceDropCritical = 0.1
    /// Relative drop of a performance metric below the profile's baseline.
    public var performanceDropWarning = 0.05
    public var performanceDropCritical = 0.10
    /// The performance metrics watched for drops.
    /// Regression: `rmse` (and `mae`) count as worse when they rise, `r2` when it falls.
    public var performanceMetrics = ["accuracy", "f1_macro", "rmse", "r2"]
    /// Fewer labelled events than this: performance is reported but not judged.
    public var minimumLabelled = 50
    /// Fewer events than this in a window: distributions are reported but not judged.
    public var minimumCount = 30
    /// The domain classifier's held-out ROC-AUC.
    public var domainClassifierWarning = 0.55
    public var domainClassifierCritical = 0.75
    /// Hysteresis: windows in a row above the current level before it rises (k), below it before it falls (m).
    public var raiseAfter = 1
    public var clearAfter = 2
    /// How many features `top_features` names.
    public var topFeatures = 5

    public init() {}

    /// Checks that the thresholds are ordered and in range.
    public func validate() throws(PolicyError) {
        func ordered(_ name: String, _ warning: Double, _ critical: Double) throws(PolicyError) {
            guard warning >= 0, critical >= warning else { throw .invalid("\(name): the warning threshold must be ≥ 0 and ≤ the critical one") }
        }
        try ordered("psi", psiWarning, psiCritical)
        try ordered("js_distance", jsWarning, jsCritical)
        try ordered("unseen_share", unseenShareWarning, unseenShareCritical)
        try ordered("missing_rate", missingRateWarning, missingRateCritical)
        try ordered("out_of_range_share", outOfRangeWarning, outOfRangeCritical)
        try ordered("latency_p99_ms", latencyP99Warning, latencyP99Critical)
        try ordered("error_rate", errorRateWarning, errorRateCritical)
        try ordered("confidence_drop", confidenceDropWarning, confidenceDropCritical)
        try ordered("performance_drop", performanceDropWarning, performanceDropCritical)
        try ordered("domain_classifier", domainClassifierWarning, domainClassifierCritical)
        guard alpha > 0, alpha < 1 else { throw .invalid("alpha must be in (0, 1)") }
        guard raiseAfter >= 1, clearAfter >= 1 else { throw .invalid("hysteresis window counts must be ≥ 1") }
    }
}

/// A policy that cannot work.
public enum PolicyError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self { case .invalid(let reason): "invalid policy: \(reason)" }
    }
}

/// Adjusted p-values for a family of tests.
public enum PValueAdjustment {
    /// The adjusted p-values, in input order; NaN stays NaN and is left out of the family.
    ///
    /// Benjamini–Hochberg: `p̃₍ᵢ₎ = min_{j ≥ i} m·p₍ⱼ₎ / j`, capped at 1 (scipy `false_discovery_control`,
    /// statsmodels `fdr_bh`). Bonferroni: `min(1, m·p)`.
    public static func adjust(_ pValues: [Double], _ correction: MonitorPolicy.Correction) -> [Double] {
        let tested = pValues.indices.filter { !pValues[$0].isNaN }
        let m = Double(tested.count)
        var adjusted = pValues
        switch correction {
        case .none:
            return pValues
        case .bonferroni:
            for index in tested { adjusted[index] = min(1, pValues[index] * m) }
        case .benjaminiHochberg:
            let order = tested.sorted { pValues[$0] < pValues[$1] }
            var running = 1.0
            for (rank, index) in order.enumerated().reversed() {
                running = min(running, pValues[index] * m / Double(rank + 1))
                adjusted[index] = min(1, running)
            }
        }
        return adjusted
    }
}
