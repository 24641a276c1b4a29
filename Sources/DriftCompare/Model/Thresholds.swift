/// The status rules. A column's status is the worst status any of its rules gives:
///
/// | metric | WARNING | CRITICAL |
/// |---|---|---|
/// | `psi` | > `psiWarning` (0.1) | > `psiCritical` (0.25) |
/// | `js_distance` | > `jsWarning` (0.1) | > `jsCritical` (0.2) |
/// | `ks_pvalue` (numeric) | < `alpha` (0.05) and `ks_statistic` ≥ `minimumEffect` (0.1) | — |
/// | `chi2_pvalue` (categorical) | < `alpha` (0.05) and Cohen's w = √(χ²/n_current) ≥ `minimumEffect` (0.1) | — |
///
/// The effect-size guard on the two tests keeps huge samples from flagging differences too small to
/// matter (at 100,000 rows a KS statistic of 0.01 already has p < 0.05); `minimumEffect = 0` gives
/// the plain p-value rules. Wasserstein, KL and Hellinger are reported only. A column is *drifted*
/// when its status is not NORMAL; the dataset drifts when the drifted share is ≥ `driftShare`.
public struct Thresholds: Sendable, Equatable {
    public var psiWarning = 0.1
    public var psiCritical = 0.25
    public var jsWarning = 0.1
    public var jsCritical = 0.2
    /// Significance level of the KS and chi-square tests.
    public var alpha = 0.05
    /// Minimum KS statistic / Cohen's w for a significant test to count.
    public var minimumEffect = 0.1
    /// Share of drifted columns at which the dataset is declared drifted (`--drift-share`).
    public var driftShare = 0.5

    public init() {}

    func validate() throws(CompareError) {
        guard psiWarning >= 0 && psiCritical >= psiWarning else {
            throw .invalidOption("PSI thresholds must satisfy 0 <= warning <= critical")
        }
        guard jsWarning >= 0 && jsCritical >= jsWarning else {
            throw .invalidOption("JS thresholds must satisfy 0 <= warning <= critical")
        }
        guard alpha > 0 && alpha < 1 else { throw .invalidOption("--alpha must be in (0, 1) (got \(alpha))") }
        guard minimumEffect >= 0 && minimumEffect <= 1 else {
            throw .invalidOption("--min-effect must be in [0, 1] (got \(minimumEffect))")
        }
        guard driftShare > 0 && driftShare <= 1 else {
            throw .invalidOption("--drift-share must be in (0, 1] (got \(driftShare))")
        }
    }
}
