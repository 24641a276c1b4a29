/// One column of training data, in row order.
public enum FeatureValues: Sendable, Equatable {
    /// Numbers; `nan` marks a missing value.
    case numeric([Double])
    /// Category names; `nil` marks a missing value.
    case categorical([String?])

    /// The number of rows.
    public var count: Int {
        switch self {
        case .numeric(let values): values.count
        case .categorical(let values): values.count
        }
    }

    /// The values of `rows`, in that order.
    public func subset(_ rows: [Int]) -> FeatureValues {
        switch self {
        case .numeric(let values): .numeric(rows.map { values[$0] })
        case .categorical(let values): .categorical(rows.map { values[$0] })
        }
    }
}

/// Named feature columns of equal length: what a ``FeaturePipeline`` is fitted on and transforms.
public struct TrainingTable: Sendable, Equatable {
    /// The columns, in order.
    public private(set) var columns: [(name: String, values: FeatureValues)]
    /// The number of rows.
    public let rowCount: Int

    /// A table of `columns`; throws ``LearnError/invalidInput(_:)`` when their lengths differ or a name repeats.
    public init(_ columns: [(name: String, values: FeatureValues)]) throws(LearnError) {
        let count = columns.first?.values.count ?? 0
        if let uneven = columns.first(where: { $0.values.count != count }) {
            throw .invalidInput("column \(uneven.name) has \(uneven.values.count) rows, \(columns[0].name) has \(count)")
        }
        var seen = Set<String>()
        for column in columns where !seen.insert(column.name).inserted {
            throw .invalidInput("column \(column.name) appears twice")
        }
        self.columns = columns
        self.rowCount = count
    }

    /// The column named `name`, if any.
    public func column(_ name: String) -> FeatureValues? {
        columns.first { $0.name == name }?.values
    }

    /// The rows at `rows`, in that order (lengths stay equal and names unique: no checks needed).
    public func subset(_ rows: [Int]) -> TrainingTable {
        TrainingTable(checked: columns.map { (name: $0.name, values: $0.values.subset(rows)) }, rowCount: rows.count)
    }

    private init(checked columns: [(name: String, values: FeatureValues)], rowCount: Int) {
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The rows of this table followed by those of `other` (same columns, same kinds, in the same order).
    public func appending(_ other: TrainingTable) throws(LearnError) -> TrainingTable {
        guard other.columns.map(\.name) == columns.map(\.name) else {
            throw .invalidInput("the tables' columns differ: \(columns.map(\.name)) and \(other.columns.map(\.name))")
        }
        var joined: [(name: String, values: FeatureValues)] = []
        for (mine, theirs) in zip(columns, other.columns) {
            switch (mine.values, theirs.values) {
            case (.numeric(let a), .numeric(let b)): joined.append((mine.name, .numeric(a + b)))
            case (.categorical(let a), .categorical(let b)): joined.append((mine.name, .categorical(a + b)))
            default: throw .invalidInput("column \(mine.name) is numeric in one table and categorical in the other")
            }
        }
        return try TrainingTable(joined)
    }

    public static func == (lhs: TrainingTable, rhs: TrainingTable) -> Bool {
        lhs.rowCount == rhs.rowCount && lhs.columns.map(\.name) == rhs.columns.map(\.name)
            && zip(lhs.columns, rhs.columns).allSatisfy { $0.values == $1.values }
    }
}
