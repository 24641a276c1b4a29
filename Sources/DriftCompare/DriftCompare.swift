import DriftStats

/// Batch drift comparison of two datasets (`driftwatch compare`): loading CSV and JSON Lines
/// (gzip accepted), column type inference, per-column drift metrics and the report.
public enum DriftCompare {
    /// Runs a comparison: reads both inputs (in parallel), decides each common column's type, computes
    /// its metrics and status, and returns the report. This is what `driftwatch compare` calls; it
    /// writes nothing. Throws ``CompareError`` for every user error (missing or empty file, ragged row,
    /// no common column, …).
    public static func run(_ options: CompareOptions, progress: (any ProgressObserver)? = nil) throws(CompareError) -> CompareReport {
        try options.validate()
        let clock = ContinuousClock()
        let started = clock.now
        let selection = ColumnSelection(only: options.columns.map(Set.init), excluded: Set(options.exclude))

        let decoder = TypedDecoder(
            decoder: ColumnDecoder(missing: MissingValueMatcher(markers: options.naValues)),
            numeric: Set(options.numeric), categorical: Set(options.categorical))

        // 1. Read, then tokenize; CSV headers name the columns up front, so CSV chunks are decoded as
        //    soon as they are tokenized.
        let paths: [String]
        switch options.source {
        case .files(let reference, let current): paths = [reference, current]
        case .split(let data, _): paths = [data]
        }
        let prepared = try InputReader.prepare(paths: paths, delimiter: options.delimiter, progress: progress)
        var early: InputReader.EarlyDecode?
        let headers = prepared.compactMap(\.headerNames)
        if headers.count == prepared.count {
            let sides = [prepared[0], prepared[prepared.count - 1]]
            let names = try comparedColumns(
                reference: (sides[0].file.path, headers[0]), current: (sides[1].file.path, headers[headers.count - 1]),
                options: options, selection: selection)
            early = InputReader.EarlyDecode(
                decoder: decoder, names: names,
                columns: headers.map { header in names.map { header.firstIndex(of: $0) ?? -1 } })
        }
        let (tables, pieces) = try InputReader.tokenize(prepared, selection: selection, early: early, progress: progress)
        let reference: TableSlice
        let current: TableSlice
        switch options.source {
        case .files:
            reference = TableSlice(tables[0])
            current = TableSlice(tables[1])
        case .split(let data, let rows):
            let table = tables[0]
            guard rows < table.rowCount else {
                throw .invalidOption("--reference-rows \(rows) leaves no current rows: \(data) has \(table.rowCount) data rows")
            }
            reference = TableSlice(table, rows: 0..<rows)
            current = TableSlice(table, rows: rows..<table.rowCount)
        }

        // 2. Columns and types.
        let names: [String]
        if let early {
            names = early.names
        } else {
            names = try comparedColumns(
                reference: (reference.table.path, reference.table.columnNames),
                current: (current.table.path, current.table.columnNames), options: options, selection: selection)
        }
        let columns = try decoder.decode(
            names, reference: reference, current: current, prefetched: [pieces[0], pieces[pieces.count - 1]],
            progress: progress)
        let parsed = clock.now

        // 3. Metrics, one column per iteration.
        progress?.begin(stage: "computing", total: columns.count)
        let reports = try Parallel.map(columns.count) { index throws(CompareError) -> ColumnReport in
            let report = ColumnComparison.compare(columns[index], options: options)
            progress?.advance(by: 1)
            return report
        }
        progress?.finish()
        let finished = clock.now

        func input(_ slice: TableSlice, split: Bool) -> CompareReport.Input {
            CompareReport.Input(
                path: slice.table.path, format: slice.table.format, gzip: slice.table.wasGzip, rows: slice.rowCount,
                columns: slice.table.columnNames.count,
                rowRange: split ? (slice.rows.lowerBound + 1)...slice.rows.upperBound : nil,
                delimiter: slice.table.delimiter)
        }
        let isSplit = if case .split = options.source { true } else { false }
        return CompareReport(
            generatedAt: options.generatedAt ?? Timestamp.now(),
            reference: input(reference, split: isSplit),
            current: input(current, split: isSplit),
            options: options,
            columns: reports,
            summary: CompareReport.Summary(columns: reports, thresholds: options.thresholds),
            timing: CompareReport.Timing(
                parseSeconds: (parsed - started).inSeconds, computeSeconds: (finished - parsed).inSeconds,
                totalSeconds: (finished - started).inSeconds))
    }

    /// The common columns in reference order, after `--columns` / `--exclude`; checks that every
    /// column an option names exists.
    static func comparedColumns(
        reference: (path: String, columnNames: [String]), current: (path: String, columnNames: [String]),
        options: CompareOptions, selection: ColumnSelection
    ) throws(CompareError) -> [String] {
        let inReference = Set(reference.columnNames)
        let inCurrent = Set(current.columnNames)
        let anywhere = reference.columnNames + current.columnNames.filter { !inReference.contains($0) }
        for name in options.columns ?? [] {
            if !inReference.contains(name) {
                throw .unknownColumn(option: "--columns (reference \(reference.path))", name: name, available: reference.columnNames)
            }
            if !inCurrent.contains(name) {
                throw .unknownColumn(option: "--columns (current \(current.path))", name: name, available: current.columnNames)
            }
        }
        for (option, list) in [("--exclude", options.exclude), ("--numeric", options.numeric), ("--categorical", options.categorical)] {
            for name in list where !inReference.contains(name) && !inCurrent.contains(name) {
                throw .unknownColumn(option: option, name: name, available: anywhere)
            }
        }
        let names = reference.columnNames.filter { inCurrent.contains($0) && selection.contains($0) }
        guard !names.isEmpty else {
            throw .noCommonColumns(
                referencePath: reference.path, reference: reference.columnNames,
                currentPath: current.path, current: current.columnNames)
        }
        return names
    }
}
