/// The comparison of one column.
public struct ColumnReport: Sendable, Equatable {
    /// One rule that fired (see ``Thresholds``).
    public struct Trigger: Sendable, Equatable {
        public var metric: String
        public var value: Double
        public var threshold: Double
        public var status: DriftStatus
    }

    /// A category of the current data that the reference never had.
    public struct UnseenCategory: Sendable, Equatable {
        public var value: String
        public var count: Int
    }

    /// Category details (categorical columns only).
    public struct Categories: Sendable, Equatable {
        public var referenceCount: Int
        public var currentCount: Int
        /// The unseen categories, most frequent first (at most ``ColumnReport/unseenListLimit``).
        public var unseen: [UnseenCategory]
        public var unseenTotal: Int
        /// Share of the current non-missing values that fall in unseen categories.
        public var unseenShare: Double
    }

    public static let unseenListLimit = 20

    public var name: String
    public var kind: ColumnKind
    /// Whether the type came from `--numeric` / `--categorical` rather than inference.
    public var forcedType: Bool
    public var status: DriftStatus
    public var countReference: Int
    public var countCurrent: Int
    public var missingReference: Int
    public var missingCurrent: Int
    public var metrics: ColumnMetricValues
    public var triggers: [Trigger]
    public var categories: Categories?
    public var notes: [String]

    public var drifted: Bool { status != .normal }
}
