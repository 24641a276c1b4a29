/// Severity of a column or of the whole comparison, ordered NORMAL < WARNING < CRITICAL.
public enum DriftStatus: String, Sendable, Equatable, Comparable, CaseIterable {
    case normal = "NORMAL"
    case warning = "WARNING"
    case critical = "CRITICAL"

    private var rank: Int {
        switch self {
        case .normal: 0
        case .warning: 1
        case .critical: 2
        }
    }

    public static func < (lhs: DriftStatus, rhs: DriftStatus) -> Bool { lhs.rank < rhs.rank }
}

/// The kind of a compared column.
public enum ColumnKind: String, Sendable, Equatable {
    case numeric
    case categorical
}
