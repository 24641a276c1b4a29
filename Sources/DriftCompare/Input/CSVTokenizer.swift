/// RFC 4180 CSV tokenizing: header, delimiter detection, record-aligned chunk boundaries and the
/// per-chunk scan that records cells.
///
/// Rules (also in docs/compare.md): the first record is the header; records end with `\n` or `\r\n`;
/// completely empty lines are skipped; a field starting with `"` (after optional spaces) is quoted and
/// may contain delimiters, line breaks and `""` (an escaped quote); only spaces may follow its closing
/// quote. Unquoted fields are trimmed of spaces (and tabs unless the delimiter is a tab); a `"` inside
/// an unquoted field is kept as a literal character. A UTF-8 byte-order mark is skipped.
enum CSVTokenizer {
    static let quote = UInt8(ascii: "\"")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    struct Header: Sendable {
        var names: [String]
        var delimiter: UInt8
        /// Offset of the first data record.
        var dataStart: Int
    }

    /// Offset just past a UTF-8 byte-order mark, or 0.
    static func contentStart(_ bytes: [UInt8]) -> Int {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// Picks the delimiter among `,` `;` tab that occurs most often outside quotes in the first
    /// record (ties prefer that order; none found means `,`).
    static func detectDelimiter(_ bytes: [UInt8], from start: Int) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, tab: 0]
        var inQuotes = false
        var index = start
        while index < bytes.count {
            let b = bytes[index]
            if b == quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if b == lineFeed && index > start { break }
                if counts[b] != nil { counts[b, default: 0] += 1 }
            }
            index += 1
        }
        var best = UInt8(ascii: ",")
        for candidate in [UInt8(ascii: ";"), tab] where counts[candidate, default: 0] > counts[best, default: 0] {
            best = candidate
        }
        return best
    }

    /// Reads the header record. Empty names become `unnamed_<index>` (0-based); a repeated name is an error.
    static func header(path: String, bytes: [UInt8], delimiter: UInt8?) throws(CompareError) -> Header {
        var start = contentStart(bytes)
        while start < bytes.count, bytes[start] == lineFeed || bytes[start] == carriageReturn { start += 1 }
        let delimiter = delimiter ?? detectDelimiter(bytes, from: start)
        var chunk = TokenizedChunk()
        // Tokenize exactly one record with an unbounded field count.
        let end = try bytes.withUnsafeBufferPointer { buffer throws(CompareError) -> Int in
            try scan(
                buffer, path: path, from: start, to: buffer.count, columnCount: Int.max, delimiter: delimiter,
                maxRecords: 1, into: &chunk)
        }
        var names: [String] = []
        var seen: Set<String> = []
        for (index, cell) in chunk.cells.enumerated() {
            var name = String(decoding: unescape(cell, in: bytes), as: UTF8.self)
            if name.isEmpty { name = "unnamed_\(index)" }
            guard seen.insert(name).inserted else { throw .duplicateColumn(path: path, name: name) }
            names.append(name)
        }
        return Header(names: names, delimiter: delimiter, dataStart: end)
    }

    /// The field's content, with `""` turned into `"` when the cell is escaped.
    static func unescape(_ cell: Cell, in bytes: [UInt8]) -> [UInt8] {
        let start = Int(cell.start)
        let slice = bytes[start..<(start + cell.length)]
        guard cell.isEscaped else { return Array(slice) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var previousWasQuote = false
        for b in slice {
            if b == quote && previousWasQuote {
                previousWasQuote = false
                continue
            }
            previousWasQuote = b == quote
            out.append(b)
        }
        return out
    }

    /// Offsets that split `bytes[start...]` into about `bytes / targetSize` pieces, each beginning at a
    /// record start: the first element is `start`, the last `bytes.count`. Line feeds inside quotes are
    /// skipped by tracking quote parity (jumping from quote to quote with `memchr`); a stray quote in an
    /// unquoted field breaks that parity, which the chunk scan reports (``TokenizedChunk/sawStrayQuote``)
    /// so the caller can fall back to one chunk.
    static func chunkBoundaries(_ bytes: [UInt8], from start: Int, targetSize: Int) -> [Int] {
        let n = bytes.count
        var boundaries = [start]
        guard targetSize > 0, n - start > targetSize else {
            boundaries.append(n)
            return boundaries
        }
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var target = start + targetSize
            var position = start
            var inQuotes = false
            while target < n {
                let nextQuote = LineLocator.find(quote, in: base, from: position, to: n)
                if !inQuotes {
                    // Place boundaries in the unquoted stretch [position, nextQuote).
                    while target < nextQuote {
                        let lineEnd = LineLocator.find(lineFeed, in: base, from: max(target, position), to: nextQuote)
                        guard lineEnd < nextQuote else { break }
                        if lineEnd + 1 < n { boundaries.append(lineEnd + 1) }
                        target = lineEnd + 1 + targetSize
                    }
                }
                if nextQuote >= n { break }
                inQuotes.toggle()
                position = nextQuote + 1
            }
        }
        boundaries.append(n)
        return boundaries
    }

    /// Tokenizes the records in `[from, to)` (which must start at a record start) into a chunk whose rows
    /// have exactly `columnCount` cells. Throws ragged-row and syntax errors with the line number.
    static func tokenize(
        path: String, bytes: [UInt8], from: Int, to: Int, columnCount: Int, delimiter: UInt8
    ) throws(CompareError) -> TokenizedChunk {
        var chunk = TokenizedChunk()
        chunk.stride = columnCount
        chunk.slots = Array(0..<columnCount)
        // Estimate the cell count from the bytes to avoid regrowing the array.
        chunk.cells.reserveCapacity((to - from) / 4 + columnCount)
        _ = try bytes.withUnsafeBufferPointer { buffer throws(CompareError) -> Int in
            try scan(
                buffer, path: path, from: from, to: to, columnCount: columnCount, delimiter: delimiter,
                maxRecords: Int.max, into: &chunk)
        }
        return chunk
    }

    /// The scanning loop shared by the header and the data chunks; returns the offset after the last
    /// record read. With `columnCount == Int.max` (the header) any field count is accepted.
    private static func scan(
        _ buffer: UnsafeBufferPointer<UInt8>, path: String, from: Int, to end: Int, columnCount: Int,
        delimiter: UInt8, maxRecords: Int, into chunk: inout TokenizedChunk
    ) throws(CompareError) -> Int {
        guard let p = buffer.baseAddress else { return from }
        let trimTabs = delimiter != tab
        var position = from
        var records = 0
        var strayQuote = false
        while position < end && records < maxRecords {
            // Skip empty lines.
            let first = p[position]
            if first == lineFeed {
                position += 1
                continue
            }
            if first == carriageReturn && (position + 1 == end || p[position + 1] == lineFeed) {
                position += 2
                continue
            }
            let recordStart = position
            var fieldCount = 0
            var recordDone = false
            while !recordDone {
                // Leading blanks.
                var i = position
                while i < end && (p[i] == space || (trimTabs && p[i] == tab)) { i += 1 }
                var cell: Cell
                if i < end && p[i] == quote {
                    let contentStart = i + 1
                    var k = contentStart
                    var escaped = false
                    while true {
                        k = LineLocator.find(quote, in: p, from: k, to: end)
                        guard k < end else {
                            throw .malformed(
                                path: path, line: LineLocator.line(ofOffset: i, in: Array(buffer)),
                                reason: "unterminated quoted field")
                        }
                        if k + 1 < end && p[k + 1] == quote {
                            escaped = true
                            k += 2
                            continue
                        }
                        break
                    }
                    let length = k - contentStart
                    guard length <= Cell.maximumLength else {
                        throw .malformed(
                            path: path, line: LineLocator.line(ofOffset: i, in: Array(buffer)),
                            reason: "field longer than 256 MiB")
                    }
                    cell = Cell(start: contentStart, length: length, flags: escaped ? Cell.escapedFlag : 0)
                    var after = k + 1
                    while after < end && (p[after] == space || (trimTabs && p[after] == tab)) { after += 1 }
                    if after == end {
                        recordDone = true
                        position = end
                    } else if p[after] == delimiter {
                        position = after + 1
                    } else if p[after] == lineFeed {
                        recordDone = true
                        position = after + 1
                    } else if p[after] == carriageReturn && (after + 1 == end || p[after + 1] == lineFeed) {
                        recordDone = true
                        position = after + 2
                    } else {
                        throw .malformed(
                            path: path, line: LineLocator.line(ofOffset: after, in: Array(buffer)),
                            reason: "unexpected character after the closing quote of a quoted field")
                    }
                } else {
                    let contentStart = i
                    var j = i
                    while j < end {
                        let b = p[j]
                        if b == delimiter || b == lineFeed { break }
                        if b == quote { strayQuote = true }
                        j += 1
                    }
                    if j == end || p[j] == lineFeed {
                        recordDone = true
                        position = j + 1
                    } else {
                        position = j + 1
                    }
                    var contentEnd = j
                    while contentEnd > contentStart
                        && (p[contentEnd - 1] == space || p[contentEnd - 1] == carriageReturn
                            || (trimTabs && p[contentEnd - 1] == tab))
                    {
                        contentEnd -= 1
                    }
                    let length = contentEnd - contentStart
                    guard length <= Cell.maximumLength else {
                        throw .malformed(
                            path: path, line: LineLocator.line(ofOffset: i, in: Array(buffer)),
                            reason: "field longer than 256 MiB")
                    }
                    cell = Cell(start: contentStart, length: length)
                }
                if fieldCount < columnCount { chunk.cells.append(cell) }
                fieldCount += 1
            }
            if columnCount != Int.max && fieldCount != columnCount {
                throw .raggedRow(
                    path: path, line: LineLocator.line(ofOffset: recordStart, in: Array(buffer)),
                    expected: columnCount, found: fieldCount)
            }
            chunk.rowCount += 1
            records += 1
        }
        if strayQuote { chunk.sawStrayQuote = true }
        return min(position, end)
    }
}
