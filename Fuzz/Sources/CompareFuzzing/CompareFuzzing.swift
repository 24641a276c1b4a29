@testable import DriftCompare
import Glibc
import FuzzSupport

/// The body of the compare targets (see `fuzz-compare-csv`).
public enum CompareFuzzing {
    public static func run(path: String) {
        let parts = getenv("FUZZ_PARTS").map { String(cString: $0) } ?? "123"
        if parts.contains("1") {
        // 1. The whole comparison, the file split into reference (first row) and current (the rest).
        var options = CompareOptions(source: .split(data: path, referenceRows: 1))
        options.generatedAt = "2026-01-01T00:00:00Z"
        do {
            let report = try DriftCompare.run(options)
            _ = report.json(pretty: false)
            _ = report.table()
        } catch {
            _ = error.description
        }
        }
        if parts.contains("2") {
        // 2. Small chunks against one chunk: the chunked scan must not change the outcome.
        let selection = ColumnSelection(only: nil, excluded: [])
        let small = Result { () throws(CompareError) in
            try InputReader.load(paths: [path], delimiter: nil, selection: selection, progress: nil, chunkSize: FuzzChunk.size)[0]
        }
        let whole = Result { () throws(CompareError) in
            try InputReader.load(paths: [path], delimiter: nil, selection: selection, progress: nil)[0]
        }
        switch (small, whole) {
        case (.success(let a), .success(let b)):
            guard a.columnNames == b.columnNames, a.rowCount == b.rowCount else {
                FuzzInput.fail("64-byte chunks read \(a.columnNames) × \(a.rowCount), one chunk \(b.columnNames) × \(b.rowCount)")
            }
            guard a.testOnly_verifyInvariants(), b.testOnly_verifyInvariants() else { FuzzInput.fail("tokenized table invariants") }
            // Every column decoded as the comparison decodes it, from both tables: the same values.
            let decoder = TypedDecoder(
                decoder: ColumnDecoder(missing: MissingValueMatcher(markers: MissingValueMatcher.defaultMarkers)),
                numeric: [], categorical: [])
            let names = Array(Set(a.columnNames)).sorted()
            let fromSmall = Result { () throws(CompareError) in
                try decoder.decode(names, reference: TableSlice(a), current: TableSlice(a), progress: nil)
            }
            let fromWhole = Result { () throws(CompareError) in
                try decoder.decode(names, reference: TableSlice(b), current: TableSlice(b), progress: nil)
            }
            switch (fromSmall, fromWhole) {
            case (.success(let x), .success(let y)):
                guard x.count == y.count, zip(x, y).allSatisfy(same) else {
                    let first = zip(x, y).first { !same($0, $1) }.map { "\($0.0) / \($0.1)" } ?? "\(x.count) / \(y.count) columns"
                    FuzzInput.fail("decoded columns differ between chunkings: \(first)")
                }
            case (.failure(let x), .failure(let y)):
                guard x == y else { FuzzInput.fail("decoding errors differ between chunkings: \(x) / \(y)") }
            default:
                FuzzInput.fail("decoding succeeds with one chunking only: \(fromSmall) / \(fromWhole)")
            }
        case (.failure, .failure):
            break
        default:
            FuzzInput.fail("64-byte chunks and one chunk disagree: \(small) / \(whole)")
        }

        }
        if !parts.contains("3") { return }
        // 3. `driftwatch profile`'s reader.
        guard let table = try? DataTable.load(path: path) else { return }
        // A cell is unescaped only when read, so a bad escape is a `CompareError` here, not at load.
        for name in table.columnNames {
            if let strings = try? table.strings(name), strings.count != table.rowCount {
                FuzzInput.fail("DataTable.strings(\(name)) does not give one value per row")
            }
            if let numbers = try? table.numbers(name), numbers.count != table.rowCount {
                FuzzInput.fail("DataTable.numbers(\(name)) does not give one value per row")
            }
        }
    }
}

enum FuzzChunk {
    static let size = getenv("FUZZ_CHUNK").map { Int(atoi($0)) } ?? 256
}

/// Whether two decodings of a column agree (names, kinds, notes, values, missing counts).
private func same(_ a: DecodedColumn, _ b: DecodedColumn) -> Bool {
    func side(_ x: DecodedSide, _ y: DecodedSide) -> Bool {
        guard x.missing == y.missing else { return false }
        switch (x.values, y.values) {
        case (.numeric(let p), .numeric(let q)): return p == q
        case (.categorical(let p, let c), .categorical(let q, let d)): return p == q && c == d
        default: return false
        }
    }
    return a.name == b.name && a.kind == b.kind && a.forced == b.forced && a.notes == b.notes
        && side(a.reference, b.reference) && side(a.current, b.current)
}
