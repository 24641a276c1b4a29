// TEMPORARY placeholder until the DriftStats metrics land on main: returns no metrics.
// Replaced by the real implementation (calls into DriftStats) before the branch is finished.
enum ColumnMetrics {
    static func numeric(sortedReference reference: [Double], sortedCurrent current: [Double], options: CompareOptions) -> ColumnMetricValues {
        ColumnMetricValues()
    }

    static func categorical(
        keys: [String], referenceCounts: [Double], currentCounts: [Double], options: CompareOptions
    ) -> ColumnMetricValues {
        ColumnMetricValues()
    }
}
