/// A range of rows of a tokenized input: the whole file, or one side of `--reference-rows`.
struct TableSlice: Sendable {
    var table: TokenizedTable
    var rows: Range<Int>

    init(_ table: TokenizedTable, rows: Range<Int>? = nil) {
        self.table = table
        self.rows = rows ?? 0..<table.rowCount
    }

    var rowCount: Int { rows.count }

    /// The part of each chunk inside this slice: `(chunk index, rows local to the chunk)`, in file order.
    var segments: [(chunk: Int, rows: Range<Int>)] {
        var result: [(chunk: Int, rows: Range<Int>)] = []
        var firstRow = 0
        for (index, chunk) in table.chunks.enumerated() {
            let chunkRows = firstRow..<(firstRow + chunk.rowCount)
            firstRow += chunk.rowCount
            let overlap = chunkRows.clamped(to: rows)
            guard !overlap.isEmpty else { continue }
            result.append((index, (overlap.lowerBound - chunkRows.lowerBound)..<(overlap.upperBound - chunkRows.lowerBound)))
        }
        return result
    }
}
