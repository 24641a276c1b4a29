/// One side of one column after decoding.
struct DecodedSide: Sendable {
    enum Values: Sendable {
        /// Finite values, sorted ascending.
        case numeric([Double])
        /// Distinct values (first-appearance order) and their counts.
        case categorical(values: [String], counts: [Int])
    }

    var values: Values
    var missing: Int

    /// Non-missing values.
    var count: Int {
        switch values {
        case .numeric(let values): values.count
        case .categorical(_, let counts): counts.reduce(0, +)
        }
    }
}

/// A compared column, both sides decoded with the same type.
struct DecodedColumn: Sendable {
    var name: String
    var kind: ColumnKind
    var forced: Bool
    var reference: DecodedSide
    var current: DecodedSide
    var notes: [String]
}
