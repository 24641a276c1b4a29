/// Decides each compared column's type and decodes both sides accordingly, on every core.
///
/// Inference: a column is numeric when every non-missing value on *both* sides is a number (so an
/// integer-coded column such as a weekday 1–7 stays numeric; force it with `--categorical`), otherwise
/// categorical. `--numeric` makes a non-number an error; `--categorical` skips number parsing.
///
/// The work is cut by chunk, not by column: ``decodeSegment(_:rows:names:columns:)`` decodes every
/// compared column of one chunk (~128 KiB of text), so the chunk's text stays in the core's cache across
/// the columns instead of being fetched from memory once per column. For CSV it runs right after the
/// chunk is tokenized (the text is still hot); ``decode(_:reference:current:prefetched:progress:)``
/// decodes whatever is left, then merges each column's pieces and sorts the numbers.
struct TypedDecoder: Sendable {
    var decoder: ColumnDecoder
    var numeric: Set<String>
    var categorical: Set<String>

    /// Distinct integer values at or below which a numeric column gets a note suggesting `--categorical`.
    static let lowCardinality = 20

    /// One column of one chunk segment.
    enum Piece: Sendable {
        case numeric(values: [Double], missing: Int)
        case categorical(values: [String], counts: [Int], missing: Int)
    }

    /// The first non-number of a piece that fell back to categories.
    struct Offender: Sendable {
        var value: String
        var offset: Int
        var afterNumbers: Bool
    }

    /// Every compared column of one chunk segment (`pieces[i]` is column `names[i]`).
    struct SegmentPieces: Sendable {
        var pieces: [Piece] = []
        var offenders: [Offender?] = []
    }

    /// Decodes the columns `columns` (indexes in the chunk's table, parallel to `names`) of rows `rows`
    /// of one chunk: numbers where every value parses (else categories), categories for `--categorical`.
    func decodeSegment(_ text: ChunkText, rows: Range<Int>, names: [String], columns: [Int]) throws(CompareError) -> SegmentPieces {
        var segment = SegmentPieces()
        segment.pieces.reserveCapacity(names.count)
        for (name, column) in zip(names, columns) {
            var offender: Offender?
            if !categorical.contains(name) {
                switch try decoder.numeric(text, rows: rows, column: column, name: name, forced: numeric.contains(name)) {
                case .numeric(let values, let missing):
                    segment.pieces.append(.numeric(values: values, missing: missing))
                    segment.offenders.append(nil)
                    continue
                case .notNumeric(let value, let offset, let afterNumbers):
                    offender = Offender(value: value, offset: offset, afterNumbers: afterNumbers)
                }
            }
            let decoded = try decoder.categorical(text, rows: rows, column: column)
            segment.pieces.append(.categorical(values: decoded.values, counts: decoded.counts, missing: decoded.missing))
            segment.offenders.append(offender)
        }
        return segment
    }

    /// Decodes the columns `names` of both sides. `prefetched[side][chunk]`, when given, holds the
    /// pieces of that whole chunk already decoded (by ``decodeSegment(_:rows:names:columns:)`` with the
    /// same names); only a segment covering its whole chunk can use them.
    func decode(
        _ names: [String], reference: TableSlice, current: TableSlice, prefetched: [[SegmentPieces?]] = [],
        progress: (any ProgressObserver)?
    ) throws(CompareError) -> [DecodedColumn] {
        let sides = [reference, current]
        let columnIndexes = sides.map { side in names.map { side.table.columnIndex($0) ?? -1 } }
        struct Job: Sendable {
            var side: Int
            var chunk: Int
            var rows: Range<Int>
            var pieces: SegmentPieces?
        }
        var plan: [Job] = []
        for (side, slice) in sides.enumerated() {
            for segment in slice.segments {
                let whole = segment.rows == 0..<slice.table.chunks[segment.chunk].rowCount
                let known = whole && side < prefetched.count ? prefetched[side][segment.chunk] : nil
                plan.append(Job(side: side, chunk: segment.chunk, rows: segment.rows, pieces: known))
            }
        }
        let pending = plan.filter { $0.pieces == nil }
        progress?.begin(stage: "decoding", total: pending.count)
        let decodedPending = try Parallel.map(pending.count) { k throws(CompareError) -> SegmentPieces in
            let job = pending[k]
            defer { progress?.advance(by: 1) }
            return try decodeSegment(
                sides[job.side].table.text(chunk: job.chunk), rows: job.rows, names: names, columns: columnIndexes[job.side])
        }
        var next = 0
        for index in plan.indices where plan[index].pieces == nil {
            plan[index].pieces = decodedPending[next]
            next += 1
        }
        let segments = plan.map { (side: $0.side, chunk: $0.chunk, rows: $0.rows, pieces: $0.pieces ?? SegmentPieces()) }

        // By column: choose the type, join the pieces (re-reading as categories the pieces of a
        // categorical column that parsed as numbers), sort the numbers.
        progress?.begin(stage: "sorting", total: names.count)
        return try Parallel.map(names.count) { column throws(CompareError) -> DecodedColumn in
            defer { progress?.advance(by: 1) }
            let name = names[column]
            let isNumeric = segments.allSatisfy { if case .numeric = $0.pieces.pieces[column] { true } else { false } }
            var notes: [String] = []
            var decodedSides: [DecodedSide] = []
            for side in 0..<2 {
                let parts = segments.filter { $0.side == side }
                if isNumeric {
                    var values: [Double] = []
                    var missing = 0
                    values.reserveCapacity(sides[side].rowCount)
                    for part in parts {
                        if case .numeric(let piece, let pieceMissing) = part.pieces.pieces[column] {
                            values.append(contentsOf: piece)
                            missing += pieceMissing
                        }
                    }
                    RadixSort.sort(&values)
                    decodedSides.append(DecodedSide(values: .numeric(values), missing: missing))
                    continue
                }
                var position: [String: Int] = [:]
                var values: [String] = []
                var counts: [Int] = []
                var missing = 0
                var sawNumbers = false
                var sawOffender = false
                for part in parts {
                    var piece = part.pieces.pieces[column]
                    if case .numeric(let numbers, _) = piece {
                        sawNumbers = sawNumbers || !numbers.isEmpty
                        let decoded = try decoder.categorical(
                            sides[side].table.text(chunk: part.chunk), rows: part.rows, column: columnIndexes[side][column])
                        piece = .categorical(values: decoded.values, counts: decoded.counts, missing: decoded.missing)
                    }
                    if let offender = part.pieces.offenders[column] {
                        // Explain the type only for a mixed column: numbers before the first non-number. Only
                        // the side's first offender counts (a later chunk's, after numbers of its own, would make
                        // the note depend on where the chunks were cut).
                        if notes.isEmpty, !sawOffender, sawNumbers || offender.afterNumbers {
                            let table = sides[side].table
                            notes.append(
                                "categorical although it holds numbers: '\(offender.value)' at \(table.path):\(table.line(ofOffset: offender.offset)) is not a number (use --numeric to make that an error)"
                            )
                        }
                        sawOffender = true
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
