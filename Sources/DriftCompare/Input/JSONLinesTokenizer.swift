/// JSON Lines tokenizing: one flat JSON object per line.
///
/// Rules (also in docs/compare.md): blank lines are skipped; every other line must hold exactly one
/// JSON object. The columns are the union of the keys, in order of first appearance; a key absent from
/// a line is a missing value there, and so is `null`. Numbers are numeric candidates; strings and
/// booleans (`true` / `false`) are text. A nested object or array is an error unless its column is
/// excluded (`--exclude` / `--columns`), in which case it is skipped. A repeated key in one line keeps
/// its last value.
enum JSONLinesTokenizer {
    private static let lineFeed = UInt8(ascii: "\n")
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    /// Offsets splitting `bytes[start...]` at line starts into pieces of about `targetSize` bytes.
    static func chunkBoundaries(_ bytes: [UInt8], from start: Int, targetSize: Int) -> [Int] {
        let n = bytes.count
        var boundaries = [start]
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var target = start + targetSize
            while targetSize > 0 && target < n {
                let lineEnd = LineLocator.find(lineFeed, in: base, from: target, to: n)
                guard lineEnd + 1 < n else { break }
                boundaries.append(lineEnd + 1)
                target = lineEnd + 1 + targetSize
            }
        }
        boundaries.append(n)
        return boundaries
    }

    /// Tokenizes the lines in `[from, to)`. A nested value is an error in a column `selection` keeps,
    /// and skipped in any other.
    static func tokenize(
        path: String, bytes: [UInt8], from: Int, to: Int, selection: ColumnSelection
    ) throws(CompareError) -> TokenizedChunk {
        var chunk = TokenizedChunk()
        try bytes.withUnsafeBufferPointer { buffer throws(CompareError) in
            guard let p = buffer.baseAddress else { return }
            var scanner = LineScanner(p: p, path: path, bytes: bytes, selection: selection)
            var position = from
            while position < to {
                let lineEnd = LineLocator.find(lineFeed, in: p, from: position, to: to)
                try scanner.scanLine(from: position, to: lineEnd, into: &chunk)
                position = lineEnd + 1
            }
        }
        chunk.slots = Array(0..<chunk.stride)
        return chunk
    }

    /// Scans one line into the chunk, tracking the order of keys so that the usual case (the same keys
    /// in the same order as the previous line) needs one `memcmp` per key and no hashing.
    private struct LineScanner {
        let p: UnsafePointer<UInt8>
        let path: String
        let bytes: [UInt8]
        let selection: ColumnSelection
        var slotByKey: [[UInt8]: Int] = [:]
        var previousOrder: [Int] = []
        var order: [Int] = []

        func fail(_ offset: Int, _ reason: String) -> CompareError {
            .malformed(path: path, line: LineLocator.line(ofOffset: offset, in: bytes), reason: reason)
        }

        @inline(__always) func skipBlanks(_ i: inout Int, _ lineEnd: Int) {
            while i < lineEnd {
                let b = p[i]
                guard b == 0x20 || b == 0x09 || b == 0x0D else { return }
                i += 1
            }
        }

        mutating func scanLine(from start: Int, to lineEnd: Int, into chunk: inout TokenizedChunk) throws(CompareError) {
            var i = start
            skipBlanks(&i, lineEnd)
            if i == lineEnd { return }  // blank line
            guard p[i] == UInt8(ascii: "{") else { throw fail(i, "expected a JSON object ('{') at the start of the line") }
            i += 1
            chunk.cells.append(contentsOf: repeatElement(Cell.missing, count: chunk.stride))
            chunk.rowCount += 1
            order.removeAll(keepingCapacity: true)
            skipBlanks(&i, lineEnd)
            if i < lineEnd && p[i] == UInt8(ascii: "}") {
                i += 1
            } else {
                while true {
                    skipBlanks(&i, lineEnd)
                    guard i < lineEnd && p[i] == quote else { throw fail(i, "expected a key (a JSON string)") }
                    let key = try scanString(&i, lineEnd)
                    skipBlanks(&i, lineEnd)
                    guard i < lineEnd && p[i] == UInt8(ascii: ":") else { throw fail(i, "expected ':' after a key") }
                    i += 1
                    skipBlanks(&i, lineEnd)
                    let slot = try resolveSlot(key, position: order.count, chunk: &chunk)
                    order.append(slot)
                    let valueStart = i
                    let cell = try scanValue(&i, lineEnd)
                    if let cell {
                        chunk.cells[chunk.cells.count - chunk.stride + slot] = cell
                    } else if selection.contains(String(decoding: chunk.keys[slot], as: UTF8.self)) {
                        throw fail(
                            valueStart,
                            "nested value (object or array) for key '\(String(decoding: chunk.keys[slot], as: UTF8.self))'; compare reads flat objects (exclude the column with --exclude)"
                        )
                    }
                    skipBlanks(&i, lineEnd)
                    guard i < lineEnd else { throw fail(i, "unterminated object: expected ',' or '}'") }
                    if p[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    guard p[i] == UInt8(ascii: "}") else { throw fail(i, "expected ',' or '}' after a value") }
                    i += 1
                    break
                }
            }
            skipBlanks(&i, lineEnd)
            guard i == lineEnd else { throw fail(i, "unexpected text after the JSON object") }
            swap(&order, &previousOrder)
        }

        /// A key's slot: first try the slot the same position had on the previous line.
        mutating func resolveSlot(
            _ key: (start: Int, length: Int, escaped: Bool), position: Int, chunk: inout TokenizedChunk
        ) throws(CompareError) -> Int {
            if !key.escaped && position < previousOrder.count {
                let guess = previousOrder[position]
                let known = chunk.keys[guess]
                if known.count == key.length
                    && known.withUnsafeBufferPointer({ memcmpEqual($0.baseAddress, p + key.start, key.length) })
                {
                    return guess
                }
            }
            let name = key.escaped
                ? try JSONText.unescape(p, start: key.start, length: key.length, path: path, bytes: bytes)
                : Array(UnsafeBufferPointer(start: p + key.start, count: key.length))
            if let slot = slotByKey[name] { return slot }
            // A new column: widen every row of this chunk by one missing cell.
            let slot = chunk.stride
            slotByKey[name] = slot
            chunk.keys.append(name)
            let oldStride = chunk.stride
            chunk.stride += 1
            if oldStride == 0 {
                chunk.cells = Array(repeating: Cell.missing, count: chunk.rowCount)
            } else {
                var widened = [Cell]()
                widened.reserveCapacity(chunk.rowCount * chunk.stride)
                for row in 0..<chunk.rowCount {
                    widened.append(contentsOf: chunk.cells[(row * oldStride)..<((row + 1) * oldStride)])
                    widened.append(Cell.missing)
                }
                chunk.cells = widened
            }
            return slot
        }

        /// Scans a string starting at the opening quote; returns the content span.
        func scanString(_ i: inout Int, _ lineEnd: Int) throws(CompareError) -> (start: Int, length: Int, escaped: Bool) {
            let open = i
            var k = i + 1
            var escaped = false
            while k < lineEnd {
                let b = p[k]
                if b == quote { break }
                if b == backslash {
                    escaped = true
                    k += 2
                    continue
                }
                if b < 0x20 && b != 0x09 { throw fail(k, "control character inside a JSON string") }
                k += 1
            }
            guard k < lineEnd else { throw fail(open, "unterminated JSON string") }
            let length = k - open - 1
            guard length <= Cell.maximumLength else { throw fail(open, "string longer than 256 MiB") }
            i = k + 1
            return (open + 1, length, escaped)
        }

        /// Scans one value; returns `nil` for a nested object/array (skipped).
        func scanValue(_ i: inout Int, _ lineEnd: Int) throws(CompareError) -> Cell? {
            guard i < lineEnd else { throw fail(i, "expected a value after ':'") }
            let b = p[i]
            switch b {
            case quote:
                let s = try scanString(&i, lineEnd)
                return Cell(start: s.start, length: s.length, flags: Cell.textFlag | (s.escaped ? Cell.escapedFlag : 0))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = i
                while i < lineEnd {
                    let c = p[i]
                    let isNumberByte = (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
                        || c == UInt8(ascii: "+") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                    guard isNumberByte else { break }
                    i += 1
                }
                return Cell(start: start, length: i - start)
            case UInt8(ascii: "t"):
                try literal("true", &i, lineEnd)
                return Cell(start: i - 4, length: 4, flags: Cell.textFlag)
            case UInt8(ascii: "f"):
                try literal("false", &i, lineEnd)
                return Cell(start: i - 5, length: 5, flags: Cell.textFlag)
            case UInt8(ascii: "n"):
                try literal("null", &i, lineEnd)
                return Cell.missing
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                try skipNested(&i, lineEnd)
                return nil
            default:
                throw fail(i, "invalid JSON value")
            }
        }

        func literal(_ word: StaticString, _ i: inout Int, _ lineEnd: Int) throws(CompareError) {
            let n = word.utf8CodeUnitCount
            guard i + n <= lineEnd, memcmpEqual(word.utf8Start, p + i, n) else { throw fail(i, "invalid JSON value") }
            i += n
        }

        /// Skips a balanced nested object or array (strings inside may hold brackets).
        func skipNested(_ i: inout Int, _ lineEnd: Int) throws(CompareError) {
            let open = i
            var depth = 0
            while i < lineEnd {
                let b = p[i]
                if b == quote {
                    _ = try scanString(&i, lineEnd)
                    continue
                }
                if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
                if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 {
                        i += 1
                        return
                    }
                }
                i += 1
            }
            throw fail(open, "unterminated nested value")
        }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>?, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    guard let a else { return count == 0 }
    for k in 0..<count where a[k] != b[k] { return false }
    return true
}
