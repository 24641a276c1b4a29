import DriftContracts
import DriftJSON

extension DriftEvent {
    /// The event as JSON (`schemas/drift-event.schema.json`); non-finite numbers are `null`.
    public func json(pretty: Bool = false) -> String { jsonValue.serialized(pretty: pretty) }

    var jsonValue: JSONValue {
        var windowMembers: [(String, JSONValue)] = [
            ("start", .string(EventTimestamp.format(window.start))), ("end", .string(EventTimestamp.format(window.end))),
            ("count", .int(Int(clamping: window.count))), ("kind", .string(window.kind.rawValue)), ("labelled", .int(Int(clamping: window.labelled))),
            ("late", .int(Int(clamping: window.late))),
            ("partitions", .array(window.sources.map { .int(Int(clamping: $0.partition)) })),
            ("sources", .array(window.sources.map { .string($0.description) })),
        ]
        if let sequence = window.sequence { windowMembers.append(("sequence", .int(Int(clamping: sequence)))) }
        if let coverage = window.coverage {
            windowMembers.append(("coverage", .object([
                ("complete", .bool(coverage.complete)),
                ("partitions_reported", .int(coverage.reported.count)),
                ("partitions_expected", .int(coverage.reported.count + coverage.missing.count)),
                ("reported", .array(coverage.reported.map { .string($0.description) })),
                ("missing", .array(coverage.missing.map { .string($0.description) })),
                ("duplicate_partials", .int(Int(clamping: coverage.duplicatePartials))),
            ])))
        }
        var members: [(String, JSONValue)] = [
            ("schema_version", .string(Self.schemaVersion)),
            ("event_id", .string(eventID)),
            ("model_id", .string(modelID)),
            ("model_version", .string(modelVersion)),
            ("window", .object(windowMembers)),
            ("severity", .string(severity.rawValue)),
            ("previous_severity", .string(previousSeverity.rawValue)),
            ("window_severity", .string(windowSeverity.rawValue)),
            ("features", .array(features.map(\.jsonValue))),
            ("top_features", .array(topFeatures.map(JSONValue.string))),
            ("prediction", prediction.jsonValue),
            ("performance", performance?.jsonValue ?? .null),
        ]
        if let covariateShift {
            members.append(("covariate_shift", .object([
                ("severity", .string(covariateShift.severity.rawValue)), ("roc_auc", .optional(covariateShift.rocAUC)),
                ("threshold", .number(covariateShift.threshold)), ("reference_rows", .int(covariateShift.referenceRows)),
                ("window_rows", .int(covariateShift.windowRows)),
            ])))
        }
        if let operations {
            var group: [(String, JSONValue)] = [
                ("severity", .string(operations.severity.rawValue)), ("metrics", operations.metrics.json),
                ("triggers", .array(operations.triggers.map(\.jsonValue))),
            ]
            if let distribution = operations.distribution {
                group.append(("latency_edges_ms", .array(OperationalPartial.latencyEdges.map(JSONValue.number))))
                group.append(("latency_distribution", distribution.jsonValue))
            }
            members.append(("operations", .object(group)))
        }
        members.append(("data_quality", .object([
            ("missing_rate_increased", .array(dataQuality.missingRateIncreased.map(JSONValue.string))),
            ("new_categories", .array(dataQuality.newCategories.map(JSONValue.string))),
            ("out_of_range", .array(dataQuality.outOfRange.map(JSONValue.string))),
            ("features", .array(dataQuality.features.map { feature in
                var entry: [(String, JSONValue)] = [
                    ("name", .string(feature.name)), ("missing_rate", .optional(feature.missingRate)),
                    ("missing_rate_reference", .optional(feature.missingRateReference)),
                    ("missing_rate_change", .optional(feature.missingRateChange)),
                ]
                if let share = feature.outOfRangeShare { entry.append(("out_of_range_share", .number(share))) }
                if let share = feature.unseenShare { entry.append(("unseen_share", .number(share))) }
                return .object(entry)
            })),
        ])))
        members.append(("reasons", .array(reasons.map(JSONValue.string))))
        members.append(("evaluated_at", .string(EventTimestamp.format(evaluatedAt))))
        members.append(("policy", policy.jsonValue))
        return .object(members)
    }
}

extension Trigger {
    var jsonValue: JSONValue {
        .object([("metric", .string(metric)), ("value", .number(value)), ("threshold", .number(threshold)), ("severity", .string(severity.rawValue))])
    }
}

extension FeatureEvaluation {
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(name)), ("type", .string(type)), ("severity", .string(severity.rawValue)),
            ("count", .int(Int(clamping: count))), ("missing", .int(Int(clamping: missing))), ("metrics", metrics.json),
            ("missing_rate", .optional(missingRate)), ("missing_rate_reference", .optional(missingRateReference)),
        ]
        if type == "numeric", let outOfRangeShare { members.append(("out_of_range_share", .number(outOfRangeShare))) }
        if type == "categorical" {
            members.append(("unseen_share", .optional(unseenShare)))
            members.append(("unseen", .array(unseen.map { .object([("value", .string($0.value)), ("count", .int(Int(clamping: $0.count)))]) })))
        }
        members.append(("triggers", .array(triggers.map(\.jsonValue))))
        if let distribution { members.append(("distribution", distribution.jsonValue)) }
        return .object(members)
    }
}

extension MetricGroup {
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [("severity", .string(severity.rawValue)), ("metrics", metrics.json), ("triggers", .array(triggers.map(\.jsonValue)))]
        if let distribution { members.append(("distribution", distribution.jsonValue)) }
        return .object(members)
    }
}

extension FeatureDistribution {
    var jsonValue: JSONValue {
        switch self {
        case .numeric(let histogram, let quantiles, let minimum, let maximum):
            .object([
                ("histogram", .array(histogram.map { .int(Int(clamping: $0)) })),
                ("quantiles", .object(quantiles.map { ($0.0, .number($0.1)) })),
                ("min", .number(minimum)), ("max", .number(maximum)),
            ])
        case .categorical(let counts, let other):
            .object([("counts", .array(counts.map { .int(Int(clamping: $0)) })), ("other", .int(Int(clamping: other)))])
        }
    }
}

extension PredictionEvaluation {
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [("severity", .string(severity.rawValue))]
        if let classDistribution { members.append(("class_distribution", classDistribution.jsonValue)) }
        if let confidence { members.append(("confidence", confidence.jsonValue)) }
        if let score { members.append(("score", score.jsonValue)) }
        return .object(members)
    }
}

extension PerformanceEvaluation {
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [
            ("severity", .string(severity.rawValue)), ("labelled", .int(Int(clamping: labelled))), ("metrics", metrics.json),
            ("baseline", baseline.json), ("triggers", .array(triggers.map(\.jsonValue))),
        ]
        if let residuals { members.append(("residuals", residuals.jsonValue)) }
        if let confusion {
            members.append(("confusion_matrix", .object([
                ("classes", .array(confusion.classes.map(JSONValue.string))),
                ("counts", .array(confusion.counts.map { .array($0.map { .int(Int(clamping: $0)) }) })),
            ])))
        }
        if let roc {
            members.append(("roc_bins", .object([
                ("positive_class", .string(roc.positiveClass)),
                ("positive", .array(roc.positive.map { .int(Int(clamping: $0)) })),
                ("negative", .array(roc.negative.map { .int(Int(clamping: $0)) })),
            ])))
        }
        return .object(members)
    }
}

extension MonitorPolicy {
    var jsonValue: JSONValue {
        func pair(_ warning: Double, _ critical: Double) -> JSONValue { .object([("warning", .number(warning)), ("critical", .number(critical))]) }
        return .object([
            ("psi", pair(psiWarning, psiCritical)),
            ("js_distance", pair(jsWarning, jsCritical)),
            ("alpha", .number(alpha)),
            ("min_effect", .number(minimumEffect)),
            ("correction", .string(correction.rawValue)),
            ("unseen_share", pair(unseenShareWarning, unseenShareCritical)),
            ("missing_rate_increase", pair(missingRateWarning, missingRateCritical)),
            ("out_of_range_share", pair(outOfRangeWarning, outOfRangeCritical)),
            ("latency_p99_ms", pair(latencyP99Warning, latencyP99Critical)),
            ("error_rate", pair(errorRateWarning, errorRateCritical)),
            ("mean_confidence_drop", pair(confidenceDropWarning, confidenceDropCritical)),
            ("performance_drop", pair(performanceDropWarning, performanceDropCritical)),
            ("performance_metrics", .array(performanceMetrics.map(JSONValue.string))),
            ("min_labelled", .int(minimumLabelled)),
            ("min_count", .int(minimumCount)),
            ("domain_classifier_auc", pair(domainClassifierWarning, domainClassifierCritical)),
            ("raise_after", .int(raiseAfter)),
            ("clear_after", .int(clearAfter)),
        ])
    }
}
