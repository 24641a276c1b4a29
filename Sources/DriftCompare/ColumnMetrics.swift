import DriftStats

/// Every drift metric that applies to one column, computed with `DriftStats`.
///
/// Numeric columns (both sides sorted, finite): the two-sample KS test (scipy `ks_2samp`, method auto),
/// Wasserstein-1 and Evidently's normed variant on the raw values, and PSI / JS distance / KL / Hellinger on
/// bins. In the standard mode the bins are frozen at the reference: quantile edges of the reference
/// (`--bins`, ties collapsed), open outer bins, proportions floored at `--epsilon` for PSI and KL. In the
/// `evidently` mode they are Evidently 0.7.23's: Sturges bins over reference + current (or value counts
/// when the reference has ≤ 20 distinct values) with its zero fill, so its numbers can be reproduced.
///
/// Categorical columns (counts aligned over the union of categories): chi-square of the current counts
/// against the reference proportions over the categories the reference has (new categories are reported
/// apart, in the column's `categories`, and still weigh in PSI / JS / KL / Hellinger), with Cohen's w
/// `√(χ² / n)` as its effect size, and the binned metrics on category proportions.
enum ColumnMetrics {
    static func numeric(sortedReference reference: [Double], sortedCurrent current: [Double], options: CompareOptions) -> ColumnMetricValues {
        var metrics = ColumnMetricValues()
        let ks = KolmogorovSmirnov.twoSample(sortedA: reference, sortedB: current)
        metrics.ksStatistic = ks.statistic
        metrics.ksPValue = ks.pValue
        metrics.ksMethod = ks.method == .exact ? "exact" : "asymptotic"
        metrics.wasserstein = Wasserstein.distance(sortedU: reference, sortedV: current)
        metrics.wassersteinNormed = Wasserstein.normed(sortedReference: reference, sortedCurrent: current)

        switch options.mode {
        case .standard:
            let edges = FixedEdgeHistogram.referenceEdges(sortedReference: reference, bins: max(options.bins, 1))
            let referenceCounts = binCounts(sorted: reference, innerEdges: edges)
            let currentCounts = binCounts(sorted: current, innerEdges: edges)
            setBinned(&metrics, referenceCounts, currentCounts, epsilon: options.epsilon)
        case .evidently:
            let percents = EvidentlyBinning.numericPercents(reference: reference, current: current)
            setEvidently(&metrics, percents.reference, percents.current)
        }
        return metrics
    }

    static func categorical(
        keys: [String], referenceCounts: [Double], currentCounts: [Double], options: CompareOptions
    ) -> ColumnMetricValues {
        var metrics = ColumnMetricValues()
        let chi2 = ChiSquare.againstReference(referenceCounts: referenceCounts, currentCounts: currentCounts, seenOnly: true)
        metrics.chi2Statistic = chi2.statistic
        metrics.chi2PValue = chi2.pValue
        metrics.chi2DegreesOfFreedom = chi2.degreesOfFreedom
        let seenCurrentTotal = zip(referenceCounts, currentCounts).reduce(0.0) { $0 + ($1.0 > 0 ? $1.1 : 0) }
        if seenCurrentTotal > 0, chi2.statistic.isFinite {
            metrics.chi2EffectSize = (chi2.statistic / seenCurrentTotal).squareRoot()
        }
        switch options.mode {
        case .standard:
            setBinned(&metrics, referenceCounts, currentCounts, epsilon: options.epsilon)
        case .evidently:
            var referenceByKey: [String: Int] = [:]
            var currentByKey: [String: Int] = [:]
            for (index, key) in keys.enumerated() {
                if referenceCounts[index] > 0 { referenceByKey[key] = Int(referenceCounts[index]) }
                if currentCounts[index] > 0 { currentByKey[key] = Int(currentCounts[index]) }
            }
            let percents = EvidentlyBinning.categoricalPercents(referenceCounts: referenceByKey, currentCounts: currentByKey)
            setEvidently(&metrics, percents.reference, percents.current)
        }
        return metrics
    }

    /// PSI, JS distance (natural log), KL(reference ‖ current) and Hellinger on frozen bins.
    private static func setBinned(_ metrics: inout ColumnMetricValues, _ reference: [Double], _ current: [Double], epsilon: Double) {
        let binned = BinnedDivergences(reference: reference, current: current, epsilon: epsilon)
        metrics.binCount = reference.count
        metrics.psi = binned.psi
        metrics.jsDistance = binned.jsDistance
        metrics.klDivergence = binned.klDivergence
        metrics.hellinger = binned.hellinger
    }

    /// The same metrics as Evidently computes them: PSI and KL after its zero fill, JS and Hellinger raw.
    private static func setEvidently(_ metrics: inout ColumnMetricValues, _ reference: [Double], _ current: [Double]) {
        metrics.binCount = reference.count
        let filledReference = EvidentlyBinning.fillZeros(reference)
        let filledCurrent = EvidentlyBinning.fillZeros(current)
        metrics.psi = PopulationStabilityIndex.psi(referenceProportions: filledReference, currentProportions: filledCurrent)
        metrics.klDivergence = KullbackLeibler.divergence(filledReference, filledCurrent)
        metrics.jsDistance = JensenShannon.distance(reference, current)
        metrics.hellinger = Hellinger.distance(reference, current)
    }

    /// Counts of sorted values per bin (bin i = [eᵢ₋₁, eᵢ), open outer bins), by one binary search per
    /// edge: O(B log n) instead of O(n log B) — the same counts `FixedEdgeHistogram.update` gives.
    static func binCounts(sorted values: [Double], innerEdges: [Double]) -> [Double] {
        var counts = [Double]()
        counts.reserveCapacity(innerEdges.count + 1)
        var previous = 0
        for edge in innerEdges {
            let below = lowerBound(values, edge)  // values < edge
            counts.append(Double(below - previous))
            previous = below
        }
        counts.append(Double(values.count - previous))
        return counts
    }

    private static func lowerBound(_ values: [Double], _ x: Double) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let mid = (low + high) >> 1
            if values[mid] < x { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
