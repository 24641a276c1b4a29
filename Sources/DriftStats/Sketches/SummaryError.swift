/// Why a bounded-memory summary (`CategoricalCounts`, `Reservoir`) could not be created.
public enum SummaryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The requested capacity is outside `1...maximum`.
    case invalidCapacity(Int, maximum: Int)

    public var description: String {
        switch self {
        case .invalidCapacity(let capacity, let maximum):
            return "invalid capacity \(capacity): must be in 1...\(maximum)"
        }
    }
}
