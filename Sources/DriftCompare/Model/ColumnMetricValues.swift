/// The metrics of one column; `nil` means "does not apply" (the key is left out of the report), a
/// non-finite value is written as JSON `null`.
public struct ColumnMetricValues: Sendable, Equatable {
    public var psi: Double?
    public var ksStatistic: Double?
    public var ksPValue: Double?
    /// `exact` or `asymptotic`: the p-value method scipy's `auto` picks.
    public var ksMethod: String?
    public var jsDistance: Double?
    public var klDivergence: Double?
    public var chi2Statistic: Double?
    public var chi2PValue: Double?
    public var chi2DegreesOfFreedom: Int?
    /// Cohen's w = √(χ² / n_current).
    public var chi2EffectSize: Double?
    public var wasserstein: Double?
    public var wassersteinNormed: Double?
    public var hellinger: Double?
    /// Bins (numeric) or categories (categorical) the binned metrics used.
    public var binCount: Int?

    public init() {}
}
