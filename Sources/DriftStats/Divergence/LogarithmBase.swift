#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The logarithm base of an information-theoretic quantity: nats (`.natural`) or bits (`.two`).
public enum LogarithmBase: Sendable, Equatable {
    /// Natural logarithm (nats).
    case natural
    /// Base-2 logarithm (bits).
    case two

    /// `ln(base)`: a value in nats divided by this is in this base (1 for `.natural`, ln 2 for `.two`),
    /// as scipy's `... / np.log(base)`.
    public var naturalLogOfBase: Double {
        switch self {
        case .natural: return 1.0
        case .two: return log(2.0)
        }
    }
}
