import DriftJSON
/// Turns the cells of one column into numbers or category counts.
///
/// Numbers: every cell that is not missing (JSON `null`, an absent key, an `--na-values` marker) must
/// parse with ``FastDoubleParser``; NaN and ±infinity count as missing (they are dropped before any
/// metric, as Evidently does). Categories: the field's text, unescaped, interned per column.
struct ColumnDecoder: Sendable {
    var missing: MissingValueMatcher

    /// Result of trying to read a column as numbers.
    enum NumericOutcome: Sendable {
        /// All non-missing values are numbers: the finite ones, in row order, and the missing count.
        case numeric(values: [Double], missing: Int)
        /// The first value that is not a number, with its byte offset, and whether numbers came before it.
        case notNumeric(value: String, offset: Int, afterNumbers: Bool)
    }

    /// Reads `column` (named `name`) of rows `rows` of a chunk as numbers. With `forced` (the column
    /// is in `--numeric`), a value that is not a number throws
    /// ``CompareError/nonNumericValue(path:line:column:value:)``; otherwise the scan stops at it and
    /// returns `.notNumeric`. Cost: O(rows), no allocation per value.
    func numeric(_ text: ChunkText, rows: Range<Int>, column: Int, name: String, forced: Bool) throws(CompareError) -> NumericOutcome {
        var values: [Double] = []
        values.reserveCapacity(rows.count)
        var missingCount = 0
        var offender: (value: [UInt8], offset: Int, afterNumbers: Bool)?
        let format = text.format
        let path = text.path
        let bytes = text.bytes
        try Self.withCells(text, column: column) { (base, cells, stride, slot) throws(CompareError) in
            guard slot >= 0 else {
                missingCount += rows.count
                return
            }
            var index = rows.lowerBound * stride + slot
            for _ in rows {
                let cell = cells[index]
                index += stride
                if cell.isMissing {
                    missingCount += 1
                    continue
                }
                let p = base + Int(cell.start)
                let n = cell.length
                if cell.isEscaped || cell.isText {
                    let text = cell.isEscaped ? try Self.unescape(cell, format: format, path: path, bytes: bytes) : Array(UnsafeBufferPointer(start: p, count: n))
                    if missing.matches(text) {
                        missingCount += 1
                        continue
                    }
                    if forced, let value = FastDoubleParser.parse(text) {
                        if value.isFinite { values.append(value) } else { missingCount += 1 }
                        continue
                    }
                    if forced {
                        throw .nonNumericValue(
                            path: path, line: LineLocator.line(ofOffset: Int(cell.start), in: bytes),
                            column: name, value: String(decoding: text, as: UTF8.self))
                    }
                    offender = (text, Int(cell.start), !values.isEmpty)
                    return
                }
                if missing.matches(p, count: n) {
                    missingCount += 1
                    continue
                }
                guard let value = FastDoubleParser.parse(p, count: n) else {
                    let text = Array(UnsafeBufferPointer(start: p, count: n))
                    if forced {
                        throw .nonNumericValue(
                            path: path, line: LineLocator.line(ofOffset: Int(cell.start), in: bytes),
                            column: name, value: String(decoding: text, as: UTF8.self))
                    }
                    offender = (text, Int(cell.start), !values.isEmpty)
                    return
                }
                if value.isFinite { values.append(value) } else { missingCount += 1 }
            }
        }
        if let offender {
            return .notNumeric(value: String(decoding: offender.value, as: UTF8.self), offset: offender.offset, afterNumbers: offender.afterNumbers)
        }
        return .numeric(values: values, missing: missingCount)
    }

    /// Reads `column` of rows `rows` of a chunk as categories: the distinct values
    /// (first-appearance order), their counts and the missing count. Cost: O(bytes) hashing, no
    /// `String` per value.
    func categorical(_ text: ChunkText, rows: Range<Int>, column: Int) throws(CompareError) -> (values: [String], counts: [Int], missing: Int) {
        var interner = CategoryInterner()
        var missingCount = 0
        let format = text.format
        let path = text.path
        let bytes = text.bytes
        try Self.withCells(text, column: column) { (base, cells, stride, slot) throws(CompareError) in
            guard slot >= 0 else {
                missingCount += rows.count
                return
            }
            var index = rows.lowerBound * stride + slot
            for _ in rows {
                let cell = cells[index]
                index += stride
                if cell.isMissing {
                    missingCount += 1
                    continue
                }
                if cell.isEscaped {
                    let text = try Self.unescape(cell, format: format, path: path, bytes: bytes)
                    if missing.matches(text) { missingCount += 1 } else { interner.add(text) }
                    continue
                }
                let p = base + Int(cell.start)
                if missing.matches(p, count: cell.length) {
                    missingCount += 1
                } else {
                    interner.add(p, count: cell.length)
                }
            }
        }
        return (interner.values, interner.counts, missingCount)
    }

    /// Calls `body` with the text's base address, the chunk's cells, its stride and the column's slot
    /// (-1 when the chunk lacks the column: every value is missing).
    @inline(__always)
    static func withCells<E: Error>(
        _ text: ChunkText, column: Int,
        _ body: (UnsafePointer<UInt8>, UnsafeBufferPointer<Cell>, _ stride: Int, _ slot: Int) throws(E) -> Void
    ) throws(E) {
        let tokenized = text.chunk
        try text.bytes.withUnsafeBufferPointer { buffer throws(E) in
            guard let base = buffer.baseAddress else { return }
            try tokenized.cells.withUnsafeBufferPointer { cells throws(E) in
                try body(base, cells, tokenized.stride, tokenized.slots[column])
            }
        }
    }

    /// The content of an escaped cell.
    static func unescape(_ cell: Cell, format: InputFormat, path: String, bytes: [UInt8]) throws(CompareError) -> [UInt8] {
        switch format {
        case .csv:
            return CSVTokenizer.unescape(cell, in: bytes)
        case .jsonLines:
            return try bytes.withUnsafeBufferPointer { buffer throws(CompareError) -> [UInt8] in
                guard let base = buffer.baseAddress else { return [] }
                return try JSONText.unescape(base, start: Int(cell.start), length: cell.length, path: path, bytes: bytes)
            }
        }
    }
}
