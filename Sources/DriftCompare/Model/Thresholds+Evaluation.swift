extension Thresholds {
    /// Applies the rules in ``Thresholds`` to one column's metrics: the column status (the worst rule)
    /// and every rule that fired. A NaN metric fires nothing.
    func evaluate(_ metrics: ColumnMetricValues) -> (status: DriftStatus, triggers: [ColumnReport.Trigger]) {
        var triggers: [ColumnReport.Trigger] = []
        func graded(_ metric: String, _ value: Double?, warning: Double, critical: Double) {
            guard let value, !value.isNaN else { return }
            if value > critical {
                triggers.append(.init(metric: metric, value: value, threshold: critical, status: .critical))
            } else if value > warning {
                triggers.append(.init(metric: metric, value: value, threshold: warning, status: .warning))
            }
        }
        func test(_ metric: String, pValue: Double?, effect: Double?) {
            guard let pValue, let effect, pValue < alpha, effect >= minimumEffect else { return }
            triggers.append(.init(metric: metric, value: pValue, threshold: alpha, status: .warning))
        }
        graded("psi", metrics.psi, warning: psiWarning, critical: psiCritical)
        graded("js_distance", metrics.jsDistance, warning: jsWarning, critical: jsCritical)
        test("ks_pvalue", pValue: metrics.ksPValue, effect: metrics.ksStatistic)
        test("chi2_pvalue", pValue: metrics.chi2PValue, effect: metrics.chi2EffectSize)
        return (triggers.map(\.status).max() ?? .normal, triggers)
    }
}

extension CompareReport.Summary {
    /// Counts drifted columns (status not NORMAL) and applies `driftShare`.
    init(columns: [ColumnReport], thresholds: Thresholds) {
        let drifted = columns.filter(\.drifted).count
        let total = columns.count
        let share = total == 0 ? 0 : Double(drifted) / Double(total)
        let datasetDrift = total > 0 && share >= thresholds.driftShare
        var byStatus: [DriftStatus: Int] = [:]
        for status in DriftStatus.allCases { byStatus[status] = columns.filter { $0.status == status }.count }
        self.init(
            status: datasetDrift ? .critical : (drifted > 0 ? .warning : .normal), datasetDrift: datasetDrift,
            driftedColumns: drifted, totalColumns: total, driftedShare: share, columnsByStatus: byStatus)
    }
}
