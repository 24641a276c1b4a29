/// Rows of a design matrix in compressed sparse row form: row `r`'s non-zero entries are
/// `indices[offsets[r]..<offsets[r + 1]]` with `values` at the same positions. One-hot columns make most
/// entries zero, so products cost the non-zeros, not the width.
public struct SparseRows: Sendable, Equatable {
    /// The number of columns.
    public let width: Int
    /// Where each row starts in `indices` and `values`, plus the end (`rowCount + 1` entries).
    public private(set) var offsets: [Int] = [0]
    /// The column of each stored entry.
    public private(set) var indices: [Int32] = []
    /// The value of each stored entry.
    public private(set) var values: [Double] = []

    /// An empty matrix of `width` columns.
    public init(width: Int) {
        self.width = width
    }

    /// The number of rows.
    public var rowCount: Int { offsets.count - 1 }

    /// Appends a row given as (column, value) pairs with increasing columns; zeros may be left out.
    public mutating func appendRow(_ entries: some Sequence<(Int, Double)>) {
        for (column, value) in entries where value != 0 {
            indices.append(Int32(column))
            values.append(value)
        }
        offsets.append(indices.count)
    }

    /// Row `row` as a dense vector.
    public func dense(row: Int) -> [Double] {
        var result = [Double](repeating: 0, count: width)
        for entry in offsets[row]..<offsets[row + 1] { result[Int(indices[entry])] = values[entry] }
        return result
    }
}
