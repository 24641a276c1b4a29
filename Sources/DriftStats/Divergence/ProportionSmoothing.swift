/// How empty bins are handled before a log-ratio divergence (PSI) is evaluated.
public enum ProportionSmoothing: Sendable, Equatable {
    /// No smoothing: an empty bin gives +∞ (empty on one side) or NaN (empty on both), as numpy does.
    case none
    /// `p = max(p, eps)` on each side, **not** renormalised (so the sides may sum to slightly more than 1).
    case clip(Double)
    /// Evidently 0.7.23 "feel_zeroes" (`EvidentlyBinning.fillZeros`): each 0 → `min_nonzero/1e6` if
    /// `min_nonzero ≤ 1e-4`, else `1e-4`; applied to each side independently, no renormalisation.
    case evidentlyFill

    /// Applies the smoothing to already-normalised proportions. Complexity: O(n), one allocation.
    public func apply(_ proportions: [Double]) -> [Double] {
        switch self {
        case .none: return proportions
        case .clip(let eps): return proportions.map { Swift.max($0, eps) }
        case .evidentlyFill: return EvidentlyBinning.fillZeros(proportions)
        }
    }
}
