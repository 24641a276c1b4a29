import Testing

@testable import DriftCompare

@Suite struct ThresholdsTests {
    static func metrics(
        psi: Double? = nil, js: Double? = nil, ksD: Double? = nil, ksP: Double? = nil, w: Double? = nil, chi2P: Double? = nil
    ) -> ColumnMetricValues {
        var m = ColumnMetricValues()
        m.psi = psi
        m.jsDistance = js
        m.ksStatistic = ksD
        m.ksPValue = ksP
        m.chi2EffectSize = w
        m.chi2PValue = chi2P
        return m
    }

    @Test func gradedRulesAreStrict() {
        let t = Thresholds()
        #expect(t.evaluate(Self.metrics(psi: 0.1)).status == .normal)
        #expect(t.evaluate(Self.metrics(psi: 0.1000001)).status == .warning)
        #expect(t.evaluate(Self.metrics(psi: 0.25)).status == .warning)
        #expect(t.evaluate(Self.metrics(psi: 0.2500001)).status == .critical)
        #expect(t.evaluate(Self.metrics(js: 0.15)).status == .warning)
        #expect(t.evaluate(Self.metrics(js: 0.21)).status == .critical)
        #expect(t.evaluate(Self.metrics(psi: .nan, js: .nan)).status == .normal)
        #expect(t.evaluate(Self.metrics(psi: .infinity)).status == .critical)
    }

    @Test func testsNeedSignificanceAndEffect() {
        var t = Thresholds()
        #expect(t.evaluate(Self.metrics(ksD: 0.05, ksP: 1e-10)).status == .normal)  // significant but tiny
        #expect(t.evaluate(Self.metrics(ksD: 0.1, ksP: 0.049)).status == .warning)
        #expect(t.evaluate(Self.metrics(ksD: 0.5, ksP: 0.05)).status == .normal)  // p must be < alpha
        #expect(t.evaluate(Self.metrics(w: 0.3, chi2P: 0.001)).status == .warning)
        #expect(t.evaluate(Self.metrics(w: 0.09, chi2P: 0.001)).status == .normal)
        #expect(t.evaluate(Self.metrics(w: .infinity, chi2P: 0)).status == .warning)
        t.minimumEffect = 0
        #expect(t.evaluate(Self.metrics(ksD: 0.01, ksP: 0.01)).status == .warning)
        t.alpha = 0.001
        #expect(t.evaluate(Self.metrics(ksD: 0.01, ksP: 0.01)).status == .normal)
    }

    @Test func worstRuleWinsAndEveryRuleIsListed() {
        let result = Thresholds().evaluate(Self.metrics(psi: 0.3, js: 0.15, ksD: 0.2, ksP: 0.001))
        #expect(result.status == .critical)
        #expect(result.triggers == [
            .init(metric: "psi", value: 0.3, threshold: 0.25, status: .critical),
            .init(metric: "js_distance", value: 0.15, threshold: 0.1, status: .warning),
            .init(metric: "ks_pvalue", value: 0.001, threshold: 0.05, status: .warning),
        ])
    }

    static func column(_ status: DriftStatus) -> ColumnReport {
        ColumnReport(
            name: "c", kind: .numeric, forcedType: false, status: status, countReference: 1, countCurrent: 1,
            missingReference: 0, missingCurrent: 0, metrics: ColumnMetricValues(), triggers: [], categories: nil, notes: [])
    }

    @Test func summaryAppliesDriftShare() {
        let t = Thresholds()
        let none = CompareReport.Summary(columns: [Self.column(.normal), Self.column(.normal)], thresholds: t)
        #expect(none.status == .normal && !none.datasetDrift && none.driftedShare == 0)
        let some = CompareReport.Summary(columns: [Self.column(.critical), Self.column(.normal), Self.column(.normal)], thresholds: t)
        #expect(some.status == .warning && !some.datasetDrift && some.driftedColumns == 1)
        let half = CompareReport.Summary(columns: [Self.column(.warning), Self.column(.normal)], thresholds: t)
        #expect(half.status == .critical && half.datasetDrift && half.driftedShare == 0.5)
        #expect(half.columnsByStatus == [.normal: 1, .warning: 1, .critical: 0])
        var strict = t
        strict.driftShare = 0.75
        #expect(!CompareReport.Summary(columns: [Self.column(.warning), Self.column(.normal)], thresholds: strict).datasetDrift)
    }
}
