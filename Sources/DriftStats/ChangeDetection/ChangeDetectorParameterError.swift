/// A change detector was configured with an invalid parameter (thrown by the detectors' `init`s).
public enum ChangeDetectorParameterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `parameter` violated `requirement` (e.g. `("delta", "must be in (0, 1)")`).
    case invalid(parameter: String, requirement: String)

    /// A readable description, e.g. `invalid delta: must be in (0, 1)`.
    public var description: String {
        switch self {
        case let .invalid(parameter, requirement): "invalid \(parameter): \(requirement)"
        }
    }
}
