/// How far a metric, a feature, or a whole model has drifted. `RECOVERED` is a model-level state only: the
/// first window back to NORMAL after an alert.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case normal = "NORMAL"
    case recovered = "RECOVERED"
    case warning = "WARNING"
    case critical = "CRITICAL"

    /// NORMAL and RECOVERED rank lowest (both mean "no drift now"), then WARNING, then CRITICAL.
    var rank: Int {
        switch self {
        case .normal, .recovered: 0
        case .warning: 1
        case .critical: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    /// WARNING or CRITICAL.
    public var isAlert: Bool { rank > 0 }
}
