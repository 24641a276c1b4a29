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

    /// The detected format: `csv` or `jsonl`.
    public var format: String { table.format.rawValue }

    /// A column's values as numbers in row order (NaN where missing, or where the value is NaN or infinite),
    /// or `nil` when some non-missing value is not a number.
    public func numbers(_ column: String) throws(CompareError) -> [Double]? {
        var values: [Double] = []
        values.reserveCapacity(rowCount)
        var ok = true
        try forEachCell(column: column) { text in
            guard ok else { return }
            guard let text else {
                values.append(.nan)
                return
            }
            let parsed = text.withMemoryRebound(to: UInt8.self) { $0.baseAddress.flatMap { FastDoubleParser.parse($0, count: text.count) } }
            guard let value = parsed else {
                ok = false
                return
            }
            values.append(value.isFinite ? value : .nan)
        }
        return ok ? values : nil
    }

    /// A column's values as text in row order (`nil` where missing).
    public func strings(_ column: String) throws(CompareError) -> [String?] {
        var values: [String?] = []
        values.reserveCapacity(rowCount)
        try forEachCell(column: column) { text in values.append(text.map { String(decoding: $0, as: UTF8.self) }) }
        return values
    }

    /// Calls `body` with each cell's bytes in place (escapes decoded), or `nil` for a missing cell, in row order.
    private func forEachCell(column name: String, _ body: (UnsafeRawBufferPointer?) -> Void) throws(CompareError) {
        guard let column = table.columnIndex(name) else {
            throw .unknownColumn(option: "column", name: name, available: columnNames)
        }
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
                    } else if cell.isEscaped {
                        let decoded = try ColumnDecoder.unescape(cell, format: text.format, path: text.path, bytes: text.bytes)
                        decoded.withUnsafeBytes { body(missing.matches(decoded) ? nil : $0) }
                    } else {
                        let start = base + Int(cell.start)
                        body(missing.matches(start, count: cell.length) ? nil : UnsafeRawBufferPointer(start: start, count: cell.length))
                    }
                }
            }
        }
    }
}
