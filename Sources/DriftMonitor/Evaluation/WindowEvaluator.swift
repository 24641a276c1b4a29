/// Evaluates a merged window against its reference profile under a ``MonitorPolicy`` (pure): every
/// feature's metrics, the p-values adjusted across features, predictions, performance, the domain
/// classifier, and the window's severity with its reasons. Hysteresis is applied by the caller, who keeps the
/// state across windows (``apply(_:to:)``).
public struct WindowEvaluator: Sendable {
    public var policy: MonitorPolicy
    /// Whether to train the domain classifier (a few milliseconds per window).
    public var domainClassifier = true

    public init(policy: MonitorPolicy) {
        self.policy = policy
    }

    /// The drift event of `window` (severity before hysteresis: `severity == windowSeverity`).
    public func evaluate(_ window: WindowPartial, profile: ReferenceProfile, now: Int64) -> DriftEvent {
        var features: [FeatureEvaluation] = []
        for featureProfile in profile.features {
            guard let position = window.featureNames.firstIndex(of: featureProfile.name) else { continue }
            let outOfRange = position < window.outOfRange.count ? window.outOfRange[position] : nil
            features.append(FeatureEvaluator.evaluate(featureProfile, window.features[position], outOfRange: outOfRange, policy: policy))
        }
        let judged = features.map { $0.count >= UInt64(policy.minimumCount) ? ($0.rawPValue ?? .nan) : .nan }
        let adjusted = PValueAdjustment.adjust(judged, policy.correction)
        for index in features.indices {
            FeatureEvaluator.judge(&features[index], adjustedPValue: adjusted[index].isNaN ? nil : adjusted[index], policy: policy)
        }
        let prediction = OutcomeEvaluator.prediction(profile.prediction, window.outcomes, count: window.count, policy: policy)
        let performance = OutcomeEvaluator.performance(profile, window.outcomes, policy: policy)
        let operations = OperationalEvaluator.evaluate(window.operations, count: window.count, policy: policy)
        var covariate: CovariateShiftEvaluation? = nil
        if domainClassifier, let reference = profile.reservoir, reference.columns == profile.features.map(\.name) {
            let auc = DomainClassifier().heldOutAUC(
                profile: profile, reference: reference.rows, window: window.rows.rows, seed: UInt64(bitPattern: window.window.start))
            var rules = TriggerSet()
            if window.count >= UInt64(policy.minimumCount) {
                rules.graded("domain_classifier_auc", auc, warning: policy.domainClassifierWarning, critical: policy.domainClassifierCritical)
            }
            covariate = CovariateShiftEvaluation(
                severity: rules.severity, rocAUC: auc, threshold: policy.domainClassifierWarning, referenceRows: reference.rows.count,
                windowRows: window.rows.rows.count)
        }
        let ranked = features.filter { $0.severity.isAlert }.sorted { $0.driftScore > $1.driftScore }
        var reasons: [String] = []
        for feature in ranked {
            for trigger in feature.triggers { reasons.append("feature \(feature.name): \(Self.describe(trigger))") }
        }
        for (name, group) in [("class distribution", prediction.classDistribution), ("confidence", prediction.confidence), ("score", prediction.score)] {
            for trigger in group?.triggers ?? [] { reasons.append("prediction \(name): \(Self.describe(trigger))") }
        }
        for trigger in performance?.triggers ?? [] { reasons.append("performance: \(Self.describe(trigger))") }
        for trigger in operations?.triggers ?? [] { reasons.append("operations: \(Self.describe(trigger))") }
        if let covariate, covariate.severity.isAlert, let auc = covariate.rocAUC {
            reasons.append("covariate shift: domain classifier ROC-AUC \(Self.format(auc)) > \(Self.format(covariate.threshold)) (\(covariate.severity.rawValue))")
        }
        let severity = (features.map(\.severity) + [prediction.severity, performance?.severity ?? .normal, covariate?.severity ?? .normal,
                                                  operations?.severity ?? .normal]).max() ?? .normal
        let sequence: Int64? = window.kind == .count ? window.window.start : nil
        let start = window.kind == .count ? (window.earliestEventTime == .max ? 0 : window.earliestEventTime) : window.window.start
        let end = window.kind == .count ? (window.latestEventTime == .min ? 0 : window.latestEventTime + 1) : window.window.end
        return DriftEvent(
            eventID: Self.eventID(window), modelID: window.modelID, modelVersion: window.modelVersion,
            window: DriftEvent.Window(
                start: start, end: end, kind: window.kind, count: window.count, labelled: window.outcomes.labelled, late: window.late,
                sources: window.sources, sequence: sequence, closedAt: window.closedAt, coverage: window.coverage),
            severity: severity, previousSeverity: .normal, windowSeverity: severity, features: features,
            topFeatures: ranked.prefix(policy.topFeatures).map(\.name), prediction: prediction, performance: performance,
            covariateShift: covariate, operations: operations,
            dataQuality: DriftEvent.DataQuality(
                missingRateIncreased: features.filter { $0.triggers.contains { $0.metric == "missing_rate_increase" } }.map(\.name),
                newCategories: features.filter { ($0.unseenShare ?? 0) > 0 }.map(\.name),
                outOfRange: features.filter { $0.triggers.contains { $0.metric == "out_of_range_share" } }.map(\.name),
                features: features.map {
                    DriftEvent.FeatureQuality(
                        name: $0.name, missingRate: $0.missingRate, missingRateReference: $0.missingRateReference,
                        outOfRangeShare: $0.outOfRangeShare, unseenShare: $0.unseenShare)
                }),
            reasons: reasons, evaluatedAt: now, policy: policy)
    }

    /// Applies the model's hysteresis to a freshly evaluated event.
    public static func apply(_ hysteresis: inout Hysteresis, to event: inout DriftEvent) {
        let (severity, previous) = hysteresis.next(event.windowSeverity)
        event.severity = severity
        event.previousSeverity = previous
        if severity == .recovered {
            event.reasons.append("recovered: \(hysteresis.clearAfter) window(s) in a row without an alert after \(previous.rawValue)")
        } else if severity != event.windowSeverity {
            event.reasons.append("hysteresis holds \(severity.rawValue) (this window alone: \(event.windowSeverity.rawValue))")
        }
    }

    /// `model@version/start-end` (ms since the epoch), plus the partition for count windows.
    static func eventID(_ window: WindowPartial) -> String {
        var id = "\(window.modelID)@\(window.modelVersion)/\(window.window.start)-\(window.window.end)"
        if window.kind == .count, let source = window.sources.first { id += "/\(source.topic)-\(source.partition)" }
        return id
    }

    static func describe(_ trigger: Trigger) -> String {
        let comparison = trigger.metric.hasSuffix("pvalue") ? "<" : ">"
        return "\(trigger.metric) \(format(trigger.value)) \(comparison) \(format(trigger.threshold)) (\(trigger.severity.rawValue))"
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if value != 0, abs(value) < 1e-3 { return String(format: "%.2e", value) }
        return String(format: "%.4g", value)
    }
}

import Foundation
