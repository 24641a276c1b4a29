/// Builds the report of one decoded column: metrics (``ColumnMetrics``), unseen categories, status.
enum ColumnComparison {
    static func compare(_ column: DecodedColumn, options: CompareOptions) -> ColumnReport {
        var report = ColumnReport(
            name: column.name, kind: column.kind, forcedType: column.forced, status: .normal,
            countReference: column.reference.count, countCurrent: column.current.count,
            missingReference: column.reference.missing, missingCurrent: column.current.missing,
            metrics: ColumnMetricValues(), triggers: [], categories: nil, notes: column.notes)
        switch (column.reference.values, column.current.values) {
        case (.numeric(let reference), .numeric(let current)):
            if reference.isEmpty || current.isEmpty { return emptySide(report) }
            report.metrics = ColumnMetrics.numeric(sortedReference: reference, sortedCurrent: current, options: options)
        case (.categorical(let referenceValues, let referenceCounts), .categorical(let currentValues, let currentCounts)):
            let aligned = align(referenceValues, referenceCounts, currentValues, currentCounts)
            report.categories = aligned.details
            if report.countReference == 0 || report.countCurrent == 0 { return emptySide(report) }
            report.metrics = ColumnMetrics.categorical(
                keys: aligned.keys, referenceCounts: aligned.reference, currentCounts: aligned.current, options: options)
        default:
            return report  // both sides always share a type (TypedDecoder)
        }
        let evaluation = options.thresholds.evaluate(report.metrics)
        report.status = evaluation.status
        report.triggers = evaluation.triggers
        return report
    }

    /// No metric applies when a side has no value: CRITICAL if only one side is empty (the column
    /// stopped or started being filled), NORMAL if both are.
    private static func emptySide(_ report: ColumnReport) -> ColumnReport {
        var report = report
        switch (report.countReference == 0, report.countCurrent == 0) {
        case (true, true):
            report.notes.append("no values on either side; no metric computed")
        case (true, false):
            report.status = .critical
            report.notes.append("every reference value is missing; no metric computed")
        default:
            report.status = .critical
            report.notes.append("every current value is missing; no metric computed")
        }
        return report
    }

    /// Counts over the union of categories: the reference's categories (first-appearance order), then
    /// the current-only ones (most frequent first), plus the unseen-category details.
    static func align(
        _ referenceValues: [String], _ referenceCounts: [Int], _ currentValues: [String], _ currentCounts: [Int]
    ) -> (keys: [String], reference: [Double], current: [Double], details: ColumnReport.Categories) {
        var position: [String: Int] = [:]
        var keys: [String] = []
        var reference: [Double] = []
        for (value, count) in zip(referenceValues, referenceCounts) {
            if let index = position[value] {
                reference[index] += Double(count)  // two byte strings repaired to the same text
            } else {
                position[value] = keys.count
                keys.append(value)
                reference.append(Double(count))
            }
        }
        var current = Array(repeating: 0.0, count: keys.count)
        var unseen: [String: Int] = [:]
        for (value, count) in zip(currentValues, currentCounts) {
            if let index = position[value] { current[index] += Double(count) } else { unseen[value, default: 0] += count }
        }
        let unseenSorted = unseen.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        for (value, count) in unseenSorted {
            keys.append(value)
            reference.append(0)
            current.append(Double(count))
        }
        let currentTotal = currentCounts.reduce(0, +)
        let unseenTotal = unseen.values.reduce(0, +)
        let details = ColumnReport.Categories(
            referenceCount: position.count, currentCount: current.filter { $0 > 0 }.count,
            unseen: unseenSorted.prefix(ColumnReport.unseenListLimit).map { .init(value: $0.key, count: $0.value) },
            unseenTotal: unseenTotal,
            unseenShare: currentTotal > 0 ? Double(unseenTotal) / Double(currentTotal) : 0)
        return (keys, reference, current, details)
    }
}
