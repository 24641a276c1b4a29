import Testing

@testable import DriftCompare

/// Inputs `scripts/fuzz` (docs/fuzzing.md) found in the `compare-csv` target, whose oracle decodes a file
/// tokenized in 256-byte chunks and in one chunk and expects the same columns. The "categorical although it
/// holds numbers" note depended on the chunking: a later chunk that read numbers before a non-number added
/// the note although the column's first non-number had no number before it. Now only a side's first
/// non-number decides, so the note (and the report) no longer depends on where the chunks are cut.
@Suite("Fuzz regressions: compare")
struct CompareFuzzRegressionTests {
    /// Every column of `path` decoded as the comparison decodes it (both sides the whole file), with the file
    /// tokenized in chunks of `chunkSize` bytes.
    static func decode(_ path: String, chunkSize: Int) throws -> [DecodedColumn] {
        let table = try TestFiles.table(path, chunkSize: chunkSize)
        let decoder = TypedDecoder(decoder: ColumnDecoder(missing: MissingValueMatcher(markers: MissingValueMatcher.defaultMarkers)), numeric: [], categorical: [])
        return try decoder.decode(Array(Set(table.columnNames)).sorted(), reference: TableSlice(table), current: TableSlice(table), progress: nil)
    }

    @Test("the fuzzer's inputs decode to the same columns and notes in small chunks and in one", arguments: [
        "fuzz-notes-chunking.csv", "fuzz-notes-chunking-binary.csv",
    ])
    func fuzzerInputs(_ name: String) throws {
        let path = try TestFiles.fixture(name)
        let whole = try Self.decode(path, chunkSize: 1 << 30)
        for chunkSize in [64, 256, 1_024] {
            let chunked = try Self.decode(path, chunkSize: chunkSize)
            #expect(chunked.map(\.name) == whole.map(\.name))
            #expect(chunked.map(\.kind) == whole.map(\.kind))
            #expect(chunked.map(\.notes) == whole.map(\.notes), "chunks of \(chunkSize) bytes")
        }
    }

    @Test("a column whose first value is text gets no mixed-type note, however the file is chunked")
    func firstValueText() throws {
        // "pro" first (no number before it), then numbers and text again far below, in another chunk.
        let rows = ["pro"] + Array(repeating: "free", count: 20) + ["0.5", "free"]
        let path = try TestFiles.temporary("plan.csv", "plan\n" + rows.joined(separator: "\n") + "\n")
        for chunkSize in [16, 64, 1 << 30] {
            let columns = try Self.decode(path, chunkSize: chunkSize)
            #expect(columns.count == 1)
            #expect(columns.first?.kind == .categorical)
            #expect(columns.first?.notes == [], "chunks of \(chunkSize) bytes")
        }
        // A column whose first non-number follows a number keeps its note, in any chunking.
        let mixed = try TestFiles.temporary("mixed.csv", "plan\n1.5\n" + Array(repeating: "2", count: 20).joined(separator: "\n") + "\nfree\npro\n")
        for chunkSize in [16, 64, 1 << 30] {
            let notes = try Self.decode(mixed, chunkSize: chunkSize).first?.notes ?? []
            #expect(notes.count == 1, "chunks of \(chunkSize) bytes")
            #expect(notes.first?.contains("'free'") == true)
        }
    }
}
