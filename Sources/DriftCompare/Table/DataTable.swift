import DriftJSON
/// A CSV or JSON Lines file (gzip accepted) read for row-wise use: column names, row count, and each
/// column's values in row order. `driftwatch profile` builds reference profiles from it.
///
/// Missing values are what `driftwatch compare` treats as missing: empty fields, JSON `null` or absent
/// keys, and the `naValues` markers (`?`, `NA`, `NaN`, … by default).
public struct DataTable: Sendable {
    /// The file's path.
    public let path: String
    /// The columns, in file order.
    public let columnNames: [String]
    private let table: TokenizedTable
    private let missing: MissingValueMatcher

    /// The default missing-value markers: `?`, empty, `NA`, `N/A`, `n/a`, `NaN`, `nan`, `null`, `NULL`, `None`, `<NA>`.
    public static let defaultMissingMarkers: [String] = MissingValueMatcher.defaultMarkers

    /// Reads and tokenizes a file. Throws ``CompareError`` for a missing, empty or malformed file.
    public static func load(path: String, naValues: [String] = DataTable.defaultMissingMarkers, delimiter: UInt8? = nil) throws(CompareError) -> DataTable {
        let tables = try InputReader.load(paths: [path], delimiter: delimiter, selection: ColumnSelection(only: nil, excluded: []), progress: nil)
        return DataTable(path: path, columnNames: tables[0].columnNames, table: tables[0], missing: MissingValueMatcher(markers: naValues))
    }

    /// The number of data rows.
    public var rowCount: Int { table.rowCount }

    /// A column's values as numbers in row order (NaN where missing, or where the value is NaN or infinite),
    /// or `nil` when some non-missing value is not a number.
    public func numbers(_ column: String) throws(CompareError) -> [Double]? {
        guard let index = table.columnIndex(column) else {
            throw .unknownColumn(option: "column", name: column, available: columnNames)
        }
        var values: [Double] = []
        values.reserveCapacity(rowCount)
        var ok = true
        try forEachCell(column: index) { text in
            guard ok else { return }
            guard let text else {
                values.append(.nan)
                return
            }
            guard let value = FastDoubleParser.parse(text) else {
                ok = false
                return
            }
            values.append(value.isFinite ? value : .nan)
        }
        return ok ? values : nil
    }

    /// A column's values as text in row order (`nil` where missing).
    public func strings(_ column: String) throws(CompareError) -> [String?] {
        guard let index = table.columnIndex(column) else {
            throw .unknownColumn(option: "column", name: column, available: columnNames)
        }
        var values: [String?] = []
        values.reserveCapacity(rowCount)
        try forEachCell(column: index) { text in values.append(text.map { String(decoding: $0, as: UTF8.self) }) }
        return values
    }

    /// Calls `body` with each cell's text (escapes decoded), or `nil` for a missing cell, in row order.
    private func forEachCell(column: Int, _ body: ([UInt8]?) -> Void) throws(CompareError) {
        for chunkIndex in table.chunks.indices {
            let text = table.text(chunk: chunkIndex)
            let rows = text.chunk.rowCount
            let missing = missing
            try ColumnDecoder.withCells(text, column: column) { (base, cells, stride, slot) throws(CompareError) in
                guard slot >= 0 else {
                    for _ in 0..<rows { body(nil) }
                    return
                }
                var index = slot
                for _ in 0..<rows {
                    let cell = cells[index]
                    index += stride
                    if cell.isMissing {
                        body(nil)
                        continue
                    }
                    let bytes = cell.isEscaped
                        ? try ColumnDecoder.unescape(cell, format: text.format, path: text.path, bytes: text.bytes)
                        : Array(UnsafeBufferPointer(start: base + Int(cell.start), count: cell.length))
                    body(missing.matches(bytes) ? nil : bytes)
                }
            }
        }
    }
}
