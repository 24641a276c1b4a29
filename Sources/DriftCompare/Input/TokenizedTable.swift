/// The rows of one chunk of an input, tokenized into cells, row-major: cell `(row, slot)` is
/// `cells[row * stride + slot]`.
struct TokenizedChunk: Sendable {
    var cells: [Cell] = []
    var rowCount = 0
    var stride = 0
    /// For each column of the table, its slot in this chunk's rows, or -1 when the chunk has no such
    /// column (JSON Lines only: every value is then missing).
    var slots: [Int] = []
    /// JSON Lines: the keys in slot order (unescaped UTF-8), before the chunks are merged.
    var keys: [[UInt8]] = []
    /// CSV: a `"` inside an unquoted field was seen (the parallel split may then be wrong).
    var sawStrayQuote = false
}

/// One chunk with the text its cells point into: what the decoders read.
struct ChunkText: Sendable {
    var path: String
    var bytes: [UInt8]
    var format: InputFormat
    var chunk: TokenizedChunk
}

/// One input after tokenizing: the text, the column names and the cells of every row.
///
/// Invariants: 1. `rowCount == chunks.map(\.rowCount).sum()`. 2. every chunk's `slots.count ==
/// columnNames.count`, each slot `< stride`.
struct TokenizedTable: Sendable {
    var path: String
    var bytes: [UInt8]
    var format: InputFormat
    var wasGzip: Bool
    /// CSV only.
    var delimiter: UInt8?
    var columnNames: [String]
    var chunks: [TokenizedChunk]

    var rowCount: Int { chunks.reduce(0) { $0 + $1.rowCount } }

    func columnIndex(_ name: String) -> Int? { columnNames.firstIndex(of: name) }

    func text(chunk: Int) -> ChunkText {
        ChunkText(path: path, bytes: bytes, format: format, chunk: chunks[chunk])
    }

    /// The 1-based line of byte `offset`: one plus the number of line feeds before it. O(offset), used
    /// only to word errors.
    func line(ofOffset offset: Int) -> Int {
        LineLocator.line(ofOffset: offset, in: bytes)
    }

    func testOnly_verifyInvariants() -> Bool {
        chunks.allSatisfy { chunk in
            chunk.slots.count == columnNames.count && chunk.slots.allSatisfy { $0 < chunk.stride }
                && chunk.cells.count == chunk.rowCount * chunk.stride
        }
    }
}
