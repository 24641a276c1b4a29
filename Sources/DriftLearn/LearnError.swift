/// Why training, prediction or loading a model failed.
public enum LearnError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data cannot be used as given (uneven columns, a missing feature, too few rows or classes).
    case invalidInput(String)
    /// A serialized model is damaged, of an unknown format, or of a newer version.
    case invalidModel(String)

    public var description: String {
        switch self {
        case .invalidInput(let reason): "invalid training data: \(reason)"
        case .invalidModel(let reason): "invalid model: \(reason)"
        }
    }
}
