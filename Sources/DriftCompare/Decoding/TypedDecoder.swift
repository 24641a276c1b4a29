/// Decides each compared column's type and decodes both sides accordingly, in parallel.
///
/// Inference: a column is numeric when every non-missing value on *both* sides is a number (so an
/// integer-coded column such as a weekday 1–7 stays numeric; force it with `--categorical`), otherwise
/// categorical. `--numeric` makes a non-number an error; `--categorical` skips number parsing.
struct TypedDecoder: Sendable {
    var decoder: ColumnDecoder
    var numeric: Set<String>
    var categorical: Set<String>

    /// Distinct integer values at or below which a numeric column gets a note suggesting `--categorical`.
    static let lowCardinality = 20

    private enum Attempt: Sendable {
        case numeric(values: [Double], missing: Int)
        case notNumeric(value: String, offset: Int, afterNumbers: Bool)
        case categorical(values: [String], counts: [Int], missing: Int)
    }

    func decode(
        _ names: [String], reference: TableSlice, current: TableSlice, progress: (any ProgressObserver)?
    ) throws(CompareError) -> [DecodedColumn] {
        let sides = [reference, current]
        let columnIndexes = sides.map { side in names.map { side.table.columnIndex($0) ?? -1 } }
        progress?.begin(stage: "decoding", total: names.count * 2)
        // Pass 1: numbers (sorted) for every column not forced categorical; categories for the others.
        let attempts = try Parallel.map(names.count * 2) { job throws(CompareError) -> Attempt in
            let column = job / 2
            let side = job % 2
            let slice = sides[side]
            let index = columnIndexes[side][column]
            defer { progress?.advance(by: 1) }
            if categorical.contains(names[column]) {
                let decoded = try decoder.categorical(slice, column: index)
                return .categorical(values: decoded.values, counts: decoded.counts, missing: decoded.missing)
            }
            switch try decoder.numeric(slice, column: index, forced: numeric.contains(names[column])) {
            case .numeric(var values, let missing):
                values.sort()
                return .numeric(values: values, missing: missing)
            case .notNumeric(let value, let offset, let afterNumbers):
                return .notNumeric(value: value, offset: offset, afterNumbers: afterNumbers)
            }
        }
        // Pass 2: categories for the sides of inferred-categorical columns that were read as numbers.
        func isNumeric(_ column: Int) -> Bool {
            if case .numeric = attempts[2 * column], case .numeric = attempts[2 * column + 1] { return true }
            return false
        }
        let redo = (0..<(names.count * 2)).filter { job in
            if case .categorical = attempts[job] { return false }
            return !isNumeric(job / 2)
        }
        let redone = try Parallel.map(redo.count) { k throws(CompareError) -> Attempt in
            let job = redo[k]
            let decoded = try decoder.categorical(sides[job % 2], column: columnIndexes[job % 2][job / 2])
            return .categorical(values: decoded.values, counts: decoded.counts, missing: decoded.missing)
        }
        var final = attempts
        for (k, job) in redo.enumerated() { final[job] = redone[k] }

        return names.indices.map { column in
            let name = names[column]
            var notes: [String] = []
            // Explain the type only when a side had numbers before its first non-number (a mixed column).
            for side in 0..<2 {
                if case .notNumeric(let value, let offset, true) = attempts[2 * column + side] {
                    let table = sides[side].table
                    notes.append("categorical although it holds numbers: '\(value)' at \(table.path):\(table.line(ofOffset: offset)) is not a number (use --numeric to make that an error)")
                    break
                }
            }
            let decodedSides = (0..<2).map { side -> DecodedSide in
                switch final[2 * column + side] {
                case .numeric(let values, let missing): DecodedSide(values: .numeric(values), missing: missing)
                case .categorical(let values, let counts, let missing): DecodedSide(values: .categorical(values: values, counts: counts), missing: missing)
                case .notNumeric: DecodedSide(values: .categorical(values: [], counts: []), missing: 0)  // replaced in pass 2
                }
            }
            let kind: ColumnKind = isNumeric(column) ? .numeric : .categorical
            if kind == .numeric && !numeric.contains(name), case .numeric(let values) = decodedSides[0].values,
                let distinct = Self.smallIntegerCardinality(values)
            {
                notes.append("numeric with only \(distinct) distinct integer values in the reference; use --categorical \(name) to compare it as categories")
            }
            return DecodedColumn(
                name: name, kind: kind, forced: numeric.contains(name) || categorical.contains(name),
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
