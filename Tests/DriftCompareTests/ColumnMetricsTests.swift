import Testing
import DriftStats
import DriftTestSupport

@testable import DriftCompare

/// The metrics `compare` reports are the `DriftStats` functions applied to the decoded columns.
@Suite struct ColumnMetricsTests {
    /// Counting sorted values by binary search per edge gives exactly `FixedEdgeHistogram`'s counts,
    /// including ties on the edges and values outside the reference range.
    @Test func binCountsMatchTheHistogram() throws {
        var spec = GoldenGeneratorSpec(distribution: "discrete", count: 5_000, seed: 5)
        spec.k = 12
        let values = spec.generate().map { $0 - 1 }.sorted()  // ties everywhere, some below the edges
        let reference = GoldenGeneratorSpec(distribution: "uniform", count: 1_000, seed: 6).generate().map { $0 * 10 }
        let edges = FixedEdgeHistogram.referenceEdges(sortedReference: reference.sorted(), bins: 10)
        var histogram = try FixedEdgeHistogram(innerEdges: edges)
        for x in values { histogram.update(x) }
        #expect(ColumnMetrics.binCounts(sorted: values, innerEdges: edges) == histogram.counts.map { Double($0) })
        #expect(ColumnMetrics.binCounts(sorted: [], innerEdges: edges) == Array(repeating: 0, count: edges.count + 1))
    }

    /// End to end on the fixtures: every numeric and categorical metric equals a direct computation from
    /// the values Python's csv module reads (the oracle). Tolerance: exact (same inputs, same functions).
    @Test func reportedMetricsEqualDirectComputation() throws {
        let oracle = try Oracle.load()
        let options = try EndToEndTests.options()
        let report = try DriftCompare.run(options)
        var checkedNumeric = 0
        var checkedCategorical = 0
        for column in report.columns {
            let reference = try #require(oracle.reference.columns[column.name])
            let current = try #require(oracle.current.columns[column.name])
            let m = column.metrics
            if let referenceValues = reference.values, let currentValues = current.values {
                let r = referenceValues.filter(\.isFinite).sorted()
                let c = currentValues.filter(\.isFinite).sorted()
                guard !r.isEmpty, !c.isEmpty else { continue }
                let ks = KolmogorovSmirnov.twoSample(sortedA: r, sortedB: c)
                #expect(m.ksStatistic == ks.statistic && m.ksPValue == ks.pValue, "\(column.name) KS")
                #expect(m.wasserstein == Wasserstein.distance(sortedU: r, sortedV: c), "\(column.name) W1")
                #expect(m.wassersteinNormed == Wasserstein.normed(sortedReference: r, sortedCurrent: c))
                var refHistogram = try FixedEdgeHistogram(reference: r, bins: options.bins)
                var curHistogram = try FixedEdgeHistogram(innerEdges: refHistogram.innerEdges)
                for x in r { refHistogram.update(x) }
                for x in c { curHistogram.update(x) }
                let p = refHistogram.counts.map { Double($0) }
                let q = curHistogram.counts.map { Double($0) }
                #expect(m.psi == PopulationStabilityIndex.psi(reference: p, current: q, smoothing: .clip(options.epsilon)))
                #expect(m.jsDistance == JensenShannon.distance(p, q), "\(column.name) JS")
                #expect(m.klDivergence == KullbackLeibler.divergence(p, q, clip: options.epsilon))
                #expect(m.hellinger == Hellinger.distance(p, q))
                #expect(m.chi2PValue == nil)
                checkedNumeric += 1
            } else if let referenceCounts = reference.counts, let currentCounts = current.counts {
                let keys = Array(Set(referenceCounts.keys).union(currentCounts.keys))
                let p = keys.map { Double(referenceCounts[$0] ?? 0) }
                let q = keys.map { Double(currentCounts[$0] ?? 0) }
                let chi2 = ChiSquare.againstReference(referenceCounts: p, currentCounts: q, seenOnly: true)
                #expect(isNear(m.chi2Statistic, chi2.statistic) && isNear(m.chi2PValue, chi2.pValue), "\(column.name) chi2")
                // Category order differs (report: reference first-appearance order), so sums may differ in the last ulps.
                #expect(isNear(m.psi, PopulationStabilityIndex.psi(reference: p, current: q, smoothing: .clip(options.epsilon))))
                #expect(isNear(m.jsDistance, JensenShannon.distance(p, q)), "\(column.name) JS")
                #expect(isNear(m.hellinger, Hellinger.distance(p, q)))
                #expect(m.ksStatistic == nil)
                checkedCategorical += 1
            }
        }
        #expect(checkedNumeric >= 2 && checkedCategorical >= 2)
    }

    /// Equal within 1e-12 relative (sums over categories taken in another order).
    private func isNear(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a.isInfinite || b.isInfinite { return a == b }
        return abs(a - b) <= 1e-12 * max(abs(a), abs(b), 1e-300)
    }

    /// Evidently mode reproduces Evidently's PSI binning: Sturges bins over reference + current.
    @Test func evidentlyModeUsesEvidentlyBinning() throws {
        var options = try EndToEndTests.options()
        options.mode = .evidently
        let report = try DriftCompare.run(options)
        let oracle = try Oracle.load()
        let column = try #require(report.columns.first { $0.kind == .numeric && $0.metrics.psi != nil })
        let r = try #require(oracle.reference.columns[column.name]?.values).filter(\.isFinite)
        let c = try #require(oracle.current.columns[column.name]?.values).filter(\.isFinite)
        let percents = EvidentlyBinning.numericPercents(reference: r, current: c)
        let expected = PopulationStabilityIndex.psi(
            referenceProportions: EvidentlyBinning.fillZeros(percents.reference),
            currentProportions: EvidentlyBinning.fillZeros(percents.current))
        #expect(isNear(column.metrics.psi, expected))
    }
}
