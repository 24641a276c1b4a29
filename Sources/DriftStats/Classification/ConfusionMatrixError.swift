/// Errors of `ConfusionMatrix`.
public enum ConfusionMatrixError: Error, Equatable, Sendable {
    /// `merge` was given a matrix over a different number of labels (this, other).
    case incompatibleLabelCount(Int, Int)
}
