import DriftStats

/// The prediction and performance parts of a window's evaluation: class-distribution drift, confidence
/// drift (KS and PSI on the top-class probability, the drop in its mean, entropy), score drift, and the
/// performance on the labels joined in the window against the profile's baseline.
enum OutcomeEvaluator {
    static func prediction(_ profile: PredictionProfile?, _ window: OutcomePartial, count: UInt64, policy: MonitorPolicy) -> PredictionEvaluation {
        var result = PredictionEvaluation(severity: .normal, classDistribution: nil, confidence: nil, score: nil)
        guard let profile else { return result }
        let judged = count >= UInt64(policy.minimumCount)
        if !profile.classes.isEmpty, window.predicted.contains(where: { $0 > 0 }) {
            var metrics = MetricList()
            var reference = profile.classes.map { Double($0.count) }
            var current = Array(repeating: 0.0, count: reference.count)
            let position = Dictionary(profile.classes.enumerated().map { ($1.value, $0) }, uniquingKeysWith: { first, _ in first })
            for (name, predicted) in zip(window.classes, window.predicted) where predicted > 0 {
                if let index = position[name] {
                    current[index] += Double(predicted)
                } else {
                    reference.append(0)
                    current.append(Double(predicted))
                }
            }
            FeatureEvaluator.binned(reference, current, into: &metrics)
            let chi2 = ChiSquare.againstReference(referenceCounts: reference, currentCounts: current, seenOnly: true)
            metrics.set("chi2_statistic", chi2.statistic)
            metrics.set("chi2_pvalue", chi2.pValue)
            metrics.set("chi2_dof", integer: chi2.degreesOfFreedom)
            let total = current.reduce(0, +)
            for (index, name) in profile.classes.enumerated() {
                metrics.set("share_\(name.value)", total > 0 ? current[index] / total : nil)
            }
            var rules = TriggerSet()
            if judged {
                rules.graded("psi", metrics["psi"], warning: policy.psiWarning, critical: policy.psiCritical)
                rules.graded("js_distance", metrics["js_distance"], warning: policy.jsWarning, critical: policy.jsCritical)
            }
            result.classDistribution = MetricGroup(severity: rules.severity, metrics: metrics, triggers: rules.triggers)
        }
        if let reference = profile.confidence, let current = window.confidence, current.count > 0 {
            var (metrics, rules) = numericDrift(reference, current, judged: judged, policy: policy)
            let drop = reference.moments.mean - current.moments.mean
            metrics.set("mean_confidence", current.moments.mean)
            metrics.set("mean_confidence_reference", reference.moments.mean)
            metrics.set("mean_confidence_drop", drop)
            metrics.set("entropy_mean", window.entropySum / Double(current.count))
            if judged { rules.graded("mean_confidence_drop", drop, warning: policy.confidenceDropWarning, critical: policy.confidenceDropCritical) }
            result.confidence = MetricGroup(severity: rules.severity, metrics: metrics, triggers: rules.triggers, distribution: .numeric(current))
        }
        if let reference = profile.score, let current = window.score, current.count > 0 {
            let (metrics, rules) = meanAndDrift(reference, current, judged: judged, policy: policy)
            result.score = MetricGroup(severity: rules.severity, metrics: metrics, triggers: rules.triggers)
        }
        result.severity = [result.classDistribution?.severity, result.confidence?.severity, result.score?.severity].compactMap { $0 }.max() ?? .normal
        return result
    }

    /// A numeric series against its reference: PSI and the other binned divergences, the sketch KS test; when
    /// judged, the PSI and KS rules under `prefix` (`residual_` for residuals).
    private static func numericDrift(_ reference: NumericSummary, _ current: NumericPartial, judged: Bool, policy: MonitorPolicy,
                                     prefix: String = "") -> (MetricList, TriggerSet) {
        var metrics = MetricList()
        FeatureEvaluator.binned(reference.histogram.counts.map { Double($0) }, current.histogram.counts.map { Double($0) }, into: &metrics)
        let ks = FeatureEvaluator.sketchKS(reference.sketch, current.sketch)
        metrics.set("ks_statistic", ks.statistic)
        metrics.set("ks_pvalue", ks.pValue)
        metrics.set("ks_sketch_error", ks.error)
        metrics.set("ks_effect", max(0, ks.statistic - ks.error))
        var rules = TriggerSet()
        if judged {
            rules.graded(prefix + "psi", metrics["psi"], warning: policy.psiWarning, critical: policy.psiCritical)
            rules.test(prefix + "ks_pvalue", pValue: metrics["ks_pvalue"], effect: metrics["ks_effect"], policy: policy)
        }
        return (metrics, rules)
    }

    /// ``numericDrift(_:_:judged:policy:prefix:)`` with the window's and the reference's means (score, residuals).
    private static func meanAndDrift(_ reference: NumericSummary, _ current: NumericPartial, judged: Bool, policy: MonitorPolicy,
                                     prefix: String = "") -> (MetricList, TriggerSet) {
        var (metrics, rules) = numericDrift(reference, current, judged: judged, policy: policy, prefix: prefix)
        metrics.set("mean", current.moments.mean)
        metrics.set("mean_reference", reference.moments.mean)
        return (metrics, rules)
    }

    /// Error metrics, whose rise (not drop) is the degradation.
    static let errorMetrics: Set<String> = ["mae", "rmse"]

    static func performance(_ profile: ReferenceProfile, _ window: OutcomePartial, policy: MonitorPolicy) -> PerformanceEvaluation? {
        guard window.labelled > 0 else { return nil }
        var metrics = MetricList()
        // Macro averages over the classes that occur as labels or predictions (scikit-learn's), so classes seen
        // only in unlabelled predictions do not dilute them: the confusion table holds just those.
        let confusion = ConfusionTable(window)
        if let confusion {
            let report = ClassificationReport(confusion: confusion.matrix)
            metrics.set("accuracy", report.accuracy)
            metrics.set("precision_macro", report.macro.precision)
            metrics.set("recall_macro", report.macro.recall)
            metrics.set("f1_macro", report.macro.f1)
            metrics.set("roc_auc", binnedAUC(positive: window.rocPositive, negative: window.rocNegative))
        }
        if window.residualCount > 0 {
            let n = Double(window.residualCount)
            metrics.set("mae", window.absoluteErrorSum / n)
            metrics.set("rmse", (window.squaredErrorSum / n).squareRoot())
            let variance = window.labelMoments.variance
            if variance > 0 { metrics.set("r2", 1 - (window.squaredErrorSum / n) / variance) }
        }
        var baselineList = MetricList()
        for entry in profile.performance?.metrics ?? [] { baselineList.set(entry.name, entry.value) }
        var rules = TriggerSet()
        let judged = window.labelled >= UInt64(policy.minimumLabelled)
        if judged {
            for name in policy.performanceMetrics {
                guard let reference = baselineList[name], reference > 0, let current = metrics[name] else { continue }
                let rise = errorMetrics.contains(name)
                rules.graded(name + (rise ? "_increase" : "_drop"), (rise ? current - reference : reference - current) / reference,
                             warning: policy.performanceDropWarning, critical: policy.performanceDropCritical)
            }
        }
        var residuals: MetricGroup? = nil
        if let reference = profile.prediction?.residual, let current = window.residual, current.count > 0, reference.histogram.total > 0 {
            let (drift, residualRules) = meanAndDrift(reference, current, judged: judged, policy: policy, prefix: "residual_")
            residuals = MetricGroup(severity: residualRules.severity, metrics: drift, triggers: residualRules.triggers, distribution: .numeric(current))
            for trigger in residualRules.triggers { rules.add(trigger) }
        }
        return PerformanceEvaluation(
            severity: rules.severity, labelled: window.labelled, metrics: metrics, baseline: baselineList, triggers: rules.triggers,
            residuals: residuals, confusion: confusion, roc: ROCBins(window))
    }

    /// ROC-AUC from binned scores: pairs in different bins are ordered by their bins, pairs in one bin count ½.
    static func binnedAUC(positive: [UInt64], negative: [UInt64]) -> Double? {
        // Summed as doubles: counts from a partial (any UInt64) must not overflow.
        let p = positive.reduce(0.0) { $0 + Double($1) }
        let n = negative.reduce(0.0) { $0 + Double($1) }
        guard p > 0, n > 0 else { return nil }
        var negativesBelow = 0.0
        var wins = 0.0
        for (pos, neg) in zip(positive, negative) {
            wins += Double(pos) * (negativesBelow + 0.5 * Double(neg))
            negativesBelow += Double(neg)
        }
        return wins / (p * n)
    }
}
