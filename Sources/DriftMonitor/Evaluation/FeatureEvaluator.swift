import DriftStats

/// Per-feature drift metrics of a window against the reference profile: binned divergences on the reference
/// edges (or categories), the KS test from the two KLL sketches with their rank error taken off the
/// statistic, Wasserstein from the sketches' quantiles, chi-square, unseen categories and missing rates.
enum FeatureEvaluator {
    /// PSI and KL clip proportions at this floor, as `driftwatch compare` does by default.
    static let epsilon = 1e-4
    /// Quantile points for the sketch Wasserstein distance.
    static let wassersteinPoints = 512

    static func evaluate(_ profile: FeatureProfile, _ window: FeaturePartial, outOfRange: UInt64?, policy: MonitorPolicy) -> FeatureEvaluation {
        var result = FeatureEvaluation(
            name: profile.name, type: profile.typeName, severity: .normal, count: window.count, missing: window.missing,
            metrics: MetricList(), missingRate: nil, missingRateReference: nil, unseenShare: nil, unseen: [], triggers: [])
        let referenceTotal = profile.count + profile.missing
        let windowTotal = window.count + window.missing
        if referenceTotal > 0 { result.missingRateReference = Double(profile.missing) / Double(referenceTotal) }
        if windowTotal > 0 { result.missingRate = Double(window.missing) / Double(windowTotal) }
        switch (profile.summary, window) {
        case (.numeric(let reference), .numeric(let current)):
            numeric(reference, current, into: &result)
            if let outOfRange, current.count > 0 {
                result.outOfRangeShare = Double(outOfRange) / Double(current.count)
                result.metrics.set("out_of_range_share", result.outOfRangeShare)
            }
        case (.categorical(let reference), .categorical(let current)):
            categorical(reference, current, into: &result)
        default:
            break
        }
        return result
    }

    /// Applies the rules once the family's p-values are adjusted.
    static func judge(_ result: inout FeatureEvaluation, adjustedPValue: Double?, policy: MonitorPolicy) {
        var rules = TriggerSet()
        if let metric = result.pValueMetric, let adjustedPValue { result.metrics.set("\(metric)_adjusted", adjustedPValue) }
        if result.count >= UInt64(policy.minimumCount) {
            rules.graded("psi", result.metrics["psi"], warning: policy.psiWarning, critical: policy.psiCritical)
            rules.graded("js_distance", result.metrics["js_distance"], warning: policy.jsWarning, critical: policy.jsCritical)
            if let metric = result.pValueMetric { rules.test(metric, pValue: adjustedPValue, effect: result.effect, policy: policy) }
            rules.graded("unseen_share", result.unseenShare, warning: policy.unseenShareWarning, critical: policy.unseenShareCritical)
            rules.graded("out_of_range_share", result.outOfRangeShare, warning: policy.outOfRangeWarning, critical: policy.outOfRangeCritical)
        }
        if let rate = result.missingRate, let reference = result.missingRateReference, result.count + result.missing >= UInt64(policy.minimumCount) {
            rules.graded("missing_rate_increase", rate - reference, warning: policy.missingRateWarning, critical: policy.missingRateCritical)
        }
        result.triggers = rules.triggers
        result.severity = rules.severity
    }

    private static func numeric(_ reference: NumericSummary, _ current: NumericPartial, into result: inout FeatureEvaluation) {
        guard current.count > 0, reference.histogram.total > 0 else { return }
        binned(reference.histogram.counts.map { Double($0) }, current.histogram.counts.map { Double($0) }, into: &result.metrics)
        let ks = sketchKS(reference.sketch, current.sketch)
        result.metrics.set("ks_statistic", ks.statistic)
        result.metrics.set("ks_pvalue", ks.pValue)
        result.metrics.set("ks_sketch_error", ks.error)
        result.rawPValue = ks.pValue
        result.pValueMetric = "ks_pvalue"
        result.effect = max(0, ks.statistic - ks.error)
        let wasserstein = sketchWasserstein(reference.sketch, current.sketch)
        result.metrics.set("wasserstein", wasserstein)
        let spread = reference.moments.standardDeviation
        if spread > 0, spread.isFinite { result.metrics.set("wasserstein_normed", wasserstein / spread) }
        result.metrics.set("mean", current.moments.mean)
        result.metrics.set("mean_reference", reference.moments.mean)
        if spread > 0, spread.isFinite { result.metrics.set("mean_shift", (current.moments.mean - reference.moments.mean) / spread) }
        result.metrics.set("std", current.moments.standardDeviation)
        result.distribution = .numeric(current)
    }

    private static func categorical(_ reference: CategoricalSummary, _ current: CategoricalPartial, into result: inout FeatureEvaluation) {
        let total = current.count
        guard total > 0 else { return }
        let unseen = current.unseenTotal
        result.unseenShare = Double(unseen) / Double(total)
        result.unseen = current.unseen.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
        // Buckets: the reference's categories, its `other`, and every unseen value together.
        let referenceCounts = reference.counts.map { Double($0.count) } + [Double(reference.other), 0]
        let currentCounts = current.counts.map { Double($0) } + [Double(unseen)]
        guard referenceCounts.count == currentCounts.count, reference.total > 0 else { return }
        result.distribution = .categorical(counts: Array(current.counts.dropLast()), other: current.counts.last ?? 0)
        binned(referenceCounts, currentCounts, into: &result.metrics)
        let pooled = pooledForChiSquare(referenceCounts, currentCounts)
        let chi2 = ChiSquare.againstReference(referenceCounts: pooled.reference, currentCounts: pooled.current, seenOnly: true)
        result.metrics.set("chi2_statistic", chi2.statistic)
        result.metrics.set("chi2_pvalue", chi2.pValue)
        result.metrics.set("chi2_dof", integer: chi2.degreesOfFreedom)
        let seen = Double(total - unseen)
        var effect: Double? = nil
        if seen > 0, chi2.statistic.isFinite {
            effect = (chi2.statistic / seen).squareRoot()
            result.metrics.set("chi2_effect_size", effect)
        }
        result.rawPValue = chi2.pValue
        result.pValueMetric = "chi2_pvalue"
        result.effect = effect
        result.metrics.set("unseen_share", result.unseenShare)
    }

    /// Cochran's rule for the chi-square test: the seen buckets whose expected count in the window (reference
    /// share × seen values) is under 5 are pooled into one, so rare categories (a country seen twice) cannot make
    /// the test significant on sampling noise alone. The last bucket (unseen values) is kept apart.
    static func pooledForChiSquare(_ reference: [Double], _ current: [Double]) -> (reference: [Double], current: [Double]) {
        guard reference.count == current.count, reference.count > 2 else { return (reference, current) }
        let seen = reference.count - 1
        let referenceTotal = reference[..<seen].reduce(0, +)
        let currentTotal = current[..<seen].reduce(0, +)
        guard referenceTotal > 0, currentTotal > 0 else { return (reference, current) }
        var pooledReference: [Double] = []
        var pooledCurrent: [Double] = []
        var rareReference = 0.0
        var rareCurrent = 0.0
        for index in 0..<seen {
            if reference[index] / referenceTotal * currentTotal < 5 {
                rareReference += reference[index]
                rareCurrent += current[index]
            } else {
                pooledReference.append(reference[index])
                pooledCurrent.append(current[index])
            }
        }
        if rareReference > 0 || rareCurrent > 0 {
            pooledReference.append(rareReference)
            pooledCurrent.append(rareCurrent)
        }
        return (pooledReference + [reference[seen]], pooledCurrent + [current[seen]])
    }

    /// PSI, JS distance, KL(reference ‖ current) and Hellinger on aligned counts.
    static func binned(_ reference: [Double], _ current: [Double], into metrics: inout MetricList) {
        let binned = BinnedDivergences(reference: reference, current: current, epsilon: epsilon)
        metrics.set("psi", binned.psi)
        metrics.set("js_distance", binned.jsDistance)
        metrics.set("kl_divergence", binned.klDivergence)
        metrics.set("hellinger", binned.hellinger)
        metrics.set("bin_count", integer: reference.count)
    }

    /// The two-sample KS test between sketches: the statistic over the retained items, its sketch error (the
    /// two rank errors; zero for a sketch that still holds every value), and scipy's asymptotic p-value
    /// (`kstwo.sf(D, round(n₁n₂/(n₁+n₂)))`) of the statistic less that error, so sketch noise never raises an alarm.
    static func sketchKS(_ reference: KLLSketch, _ current: KLLSketch) -> (statistic: Double, pValue: Double, error: Double) {
        guard !reference.isEmpty, !current.isEmpty else { return (.nan, .nan, .nan) }
        let statistic = SketchKolmogorovSmirnov.statistic(reference, current)
        let error = rankError(reference) + rankError(current)
        let n1 = Double(reference.count)
        let n2 = Double(current.count)
        let effective = max(1, Int((n1 * n2 / (n1 + n2)).rounded()))
        let pValue = SpecialFunctions.kstwoSurvival(max(0, statistic - error), n: effective)
        return (statistic, pValue, error)
    }

    static func rankError(_ sketch: KLLSketch) -> Double {
        sketch.isEstimationMode ? sketch.normalizedRankError(pmf: false) : 0
    }

    /// W₁ = ∫₀¹ |F⁻¹(u) − G⁻¹(u)| du, by the midpoint rule over the sketches' quantiles.
    static func sketchWasserstein(_ reference: KLLSketch, _ current: KLLSketch) -> Double {
        guard !reference.isEmpty, !current.isEmpty else { return .nan }
        let ranks = (0..<wassersteinPoints).map { (Double($0) + 0.5) / Double(wassersteinPoints) }
        let a = reference.sortedView()
        let b = current.sortedView()
        var sum = 0.0
        for rank in ranks { sum += abs(a.quantile(rank) - b.quantile(rank)) }
        return sum / Double(wassersteinPoints)
    }
}
