/// Decides each compared column's type and decodes both sides accordingly, on every core.
///
/// Inference: a column is numeric when every non-missing value on *both* sides is a number (so an
/// integer-coded column such as a weekday 1–7 stays numeric; force it with `--categorical`), otherwise
/// categorical. `--numeric` makes a non-number an error; `--categorical` skips number parsing.
///
/// The work is cut by chunk, not by column: one job decodes every compared column of one chunk
/// (~1 MiB of text), so the chunk's text stays in the core's cache across the columns instead of
/// being fetched from memory once per column. A second parallel loop merges each column's chunks
/// (and sorts the numbers).
struct TypedDecoder: Sendable {
    var decoder: ColumnDecoder
    var numeric: Set<String>
    var categorical: Set<String>

    /// Distinct integer values at or below which a numeric column gets a note suggesting `--categorical`.
    static let lowCardinality = 20

    /// One column of one chunk segment.
    private enum Piece: Sendable {
        case numeric(values: [Double], missing: Int)
        case categorical(values: [String], counts: [Int], missing: Int)
    }

    /// One chunk segment: its pieces (one per column) and, per column, the first non-number seen when
    /// the piece had to fall back to categories.
    private struct Segment: Sendable {
        var side: Int
        var chunk: Int
        var rows: Range<Int>
        var pieces: [Piece] = []
        var offenders: [(value: String, offset: Int, afterNumbers: Bool)?] = []
    }

    func decode(
        _ names: [String], reference: TableSlice, current: TableSlice, progress: (any ProgressObserver)?
    ) throws(CompareError) -> [DecodedColumn] {
        let sides = [reference, current]
        let columnIndexes = sides.map { side in names.map { side.table.columnIndex($0) ?? -1 } }
        let plan = sides.enumerated().flatMap { side, slice in
            slice.segments.map { Segment(side: side, chunk: $0.chunk, rows: $0.rows) }
        }
        progress?.begin(stage: "decoding", total: plan.count)

        // Pass 1, by chunk: numbers where they parse (else categories), categories for --categorical.
        let segments = try Parallel.map(plan.count) { job throws(CompareError) -> Segment in
            var segment = plan[job]
            let table = sides[segment.side].table
            for (column, name) in names.enumerated() {
                let index = columnIndexes[segment.side][column]
                var offender: (value: String, offset: Int, afterNumbers: Bool)?
                if !categorical.contains(name) {
                    let outcome = try decoder.numeric(
                        table, chunk: segment.chunk, rows: segment.rows, column: index, forced: numeric.contains(name))
                    switch outcome {
                    case .numeric(let values, let missing):
                        segment.pieces.append(.numeric(values: values, missing: missing))
                        segment.offenders.append(nil)
                        continue
                    case .notNumeric(let value, let offset, let afterNumbers):
                        offender = (value, offset, afterNumbers)
                    }
                }
                let decoded = try decoder.categorical(table, chunk: segment.chunk, rows: segment.rows, column: index)
                segment.pieces.append(.categorical(values: decoded.values, counts: decoded.counts, missing: decoded.missing))
                segment.offenders.append(offender)
            }
            progress?.advance(by: 1)
            return segment
        }

        progress?.begin(stage: "sorting", total: names.count)
        // Pass 2, by column: choose the type, join the pieces (re-reading as categories the pieces of a
        // categorical column that parsed as numbers), sort the numbers.
        return try Parallel.map(names.count) { column throws(CompareError) -> DecodedColumn in
            defer { progress?.advance(by: 1) }
            let name = names[column]
            let isNumeric = segments.allSatisfy { if case .numeric = $0.pieces[column] { true } else { false } }
            var notes: [String] = []
            var decodedSides: [DecodedSide] = []
            for side in 0..<2 {
                let parts = segments.filter { $0.side == side }
                if isNumeric {
                    var values: [Double] = []
                    var missing = 0
                    values.reserveCapacity(sides[side].rowCount)
                    for part in parts {
                        if case .numeric(let piece, let pieceMissing) = part.pieces[column] {
                            values.append(contentsOf: piece)
                            missing += pieceMissing
                        }
                    }
                    RadixSort.sort(&values)
                    decodedSides.append(DecodedSide(values: .numeric(values), missing: missing))
                } else {
                    var position: [String: Int] = [:]
                    var values: [String] = []
                    var counts: [Int] = []
                    var missing = 0
                    var sawNumbers = false
                    for part in parts {
                        var piece = part.pieces[column]
                        if case .numeric(let numbers, _) = piece {
                            sawNumbers = sawNumbers || !numbers.isEmpty
                            let table = sides[side].table
                            let decoded = try decoder.categorical(
                                table, chunk: part.chunk, rows: part.rows, column: columnIndexes[side][column])
                            piece = .categorical(values: decoded.values, counts: decoded.counts, missing: decoded.missing)
                        }
                        if let offender = part.offenders[column], notes.isEmpty, sawNumbers || offender.afterNumbers,
                            !categorical.contains(name)
                        {
                            // Explain the type only for a mixed column: numbers before the first non-number.
                            let table = sides[side].table
                            notes.append(
                                "categorical although it holds numbers: '\(offender.value)' at \(table.path):\(table.line(ofOffset: offender.offset)) is not a number (use --numeric to make that an error)"
                            )
                        }
                        if case .categorical(let pieceValues, let pieceCounts, let pieceMissing) = piece {
                            missing += pieceMissing
                            for (value, count) in zip(pieceValues, pieceCounts) {
                                if let index = position[value] {
                                    counts[index] += count
                                } else {
                                    position[value] = values.count
                                    values.append(value)
                                    counts.append(count)
                                }
                            }
                        }
                    }
                    decodedSides.append(DecodedSide(values: .categorical(values: values, counts: counts), missing: missing))
                }
            }
            if isNumeric && !numeric.contains(name), case .numeric(let values) = decodedSides[0].values,
                let distinct = Self.smallIntegerCardinality(values)
            {
                notes.append("numeric with only \(distinct) distinct integer values in the reference; use --categorical \(name) to compare it as categories")
            }
            return DecodedColumn(
                name: name, kind: isNumeric ? .numeric : .categorical,
                forced: numeric.contains(name) || categorical.contains(name),
                reference: decodedSides[0], current: decodedSides[1], notes: notes)
        }
    }

    /// The number of distinct values of a sorted sample when they are all integers and at most
    /// ``lowCardinality``; otherwise `nil`.
    static func smallIntegerCardinality(_ sorted: [Double]) -> Int? {
        var distinct = 0
        var previous: Double?
        for x in sorted {
            guard x == x.rounded() else { return nil }
            if x != previous {
                distinct += 1
                if distinct > lowCardinality { return nil }
                previous = x
            }
        }
        return distinct > 0 ? distinct : nil
    }
}
