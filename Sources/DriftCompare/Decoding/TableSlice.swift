/// A range of rows of a tokenized input: the whole file, or one side of `--reference-rows`.
struct TableSlice: Sendable {
    var table: TokenizedTable
    var rows: Range<Int>

    init(_ table: TokenizedTable, rows: Range<Int>? = nil) {
        self.table = table
        self.rows = rows ?? 0..<table.rowCount
    }

    var rowCount: Int { rows.count }

    /// Calls `body` with the base address of the text and each chunk's cells for `column`, restricted
    /// to this slice's rows: `(cells, stride, slot, rowRange)` with `slot == -1` for a chunk where the
    /// column is absent (every value missing).
    @inline(__always)
    func forEachChunk<E: Error>(
        column: Int,
        _ body: (UnsafePointer<UInt8>, UnsafeBufferPointer<Cell>, _ stride: Int, _ slot: Int, Range<Int>) throws(E) -> Void
    ) throws(E) {
        try table.bytes.withUnsafeBufferPointer { text throws(E) in
            guard let base = text.baseAddress else { return }
            var firstRow = 0
            for chunk in table.chunks {
                let chunkRows = firstRow..<(firstRow + chunk.rowCount)
                firstRow += chunk.rowCount
                let overlap = chunkRows.clamped(to: rows)
                guard !overlap.isEmpty else { continue }
                let local = (overlap.lowerBound - chunkRows.lowerBound)..<(overlap.upperBound - chunkRows.lowerBound)
                try chunk.cells.withUnsafeBufferPointer { cells throws(E) in
                    try body(base, cells, chunk.stride, chunk.slots[column], local)
                }
            }
        }
    }
}
