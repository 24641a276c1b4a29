extension CompareReport {
    /// The report as an aligned text table with a summary below it, for the terminal.
    public func table() -> String {
        let header = ["COLUMN", "TYPE", "STATUS", "MISSING ref/cur", "PSI", "JS", "KS p", "W-NORMED", "CHI2 p", "TRIGGERS"]
        var rows: [[String]] = [header]
        for column in columns {
            let m = column.metrics
            rows.append([
                column.name,
                column.kind.rawValue + (column.forcedType ? "*" : ""),
                column.status.rawValue,
                "\(column.missingReference)/\(column.missingCurrent)",
                NumberFormatting.short(m.psi),
                NumberFormatting.short(m.jsDistance),
                NumberFormatting.short(m.ksPValue),
                NumberFormatting.short(m.wassersteinNormed),
                NumberFormatting.short(m.chi2PValue),
                column.triggers.isEmpty ? "-" : column.triggers.map(\.metric).joined(separator: ","),
            ])
        }
        let widths = header.indices.map { index in rows.map { $0[index].count }.max() ?? 0 }
        let rightAligned: Set<Int> = [3, 4, 5, 6, 7, 8]
        var out = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                if index > 0 { line += "  " }
                line += rightAligned.contains(index) ? pad + cell : (index == row.count - 1 ? cell : cell + pad)
            }
            out += line + "\n"
        }
        if columns.contains(where: \.forcedType) { out += "* type forced by --numeric / --categorical\n" }
        for column in columns where !column.notes.isEmpty {
            for note in column.notes { out += "note: \(column.name): \(note)\n" }
        }
        out += "\n"
        out += "reference: \(describe(reference))\n"
        out += "current:   \(describe(current))\n"
        out += "mode: \(options.mode.rawValue)"
        if options.mode == .standard { out += " (\(options.bins) quantile bins, epsilon \(NumberFormatting.short(options.epsilon)))" }
        out += "\n"
        let verdict = summary.datasetDrift ? "DATASET DRIFT" : "no dataset drift"
        out += "drifted columns: \(summary.driftedColumns) of \(summary.totalColumns) "
            + "(\(NumberFormatting.percent(summary.driftedShare)); dataset drift at ≥ "
            + "\(NumberFormatting.percent(options.thresholds.driftShare))) → \(verdict), status \(summary.status.rawValue)\n"
        return out
    }

    private func describe(_ input: Input) -> String {
        var text = input.path
        if let range = input.rowRange { text += " rows \(range.lowerBound)–\(range.upperBound)" }
        return text + " (\(input.rows) rows, \(input.format.rawValue)\(input.gzip ? ", gzip" : ""))"
    }
}
