import DriftJSON
extension CompareReport {
    /// The report as JSON text, in the format of `schemas/compare-report.schema.json`
    /// (`schema_version` ``CompareReport/schemaVersion``). Non-finite numbers are `null`.
    public func json(pretty: Bool = true) -> String {
        jsonValue.serialized(pretty: pretty) + (pretty ? "\n" : "")
    }

    var jsonValue: JSONValue {
        var inputs: [(String, JSONValue)] = [("reference", reference.jsonValue), ("current", current.jsonValue)]
        if case .split(let data, let rows) = options.source {
            inputs.append(("split", .object([("data", .string(data)), ("reference_rows", .int(rows))])))
        }
        return .object([
            ("schema_version", .string(Self.schemaVersion)),
            ("tool", .object([("name", .string("driftwatch")), ("command", .string("compare")), ("version", .string(Self.toolVersion))])),
            ("generated_at", .string(generatedAt)),
            ("inputs", .object(inputs)),
            ("options", options.jsonValue),
            ("thresholds", options.thresholds.jsonValue),
            ("columns", .array(columns.map(\.jsonValue))),
            ("summary", summary.jsonValue(driftShare: options.thresholds.driftShare)),
            ("timing", .object([
                ("parse_seconds", .number(timing.parseSeconds)),
                ("compute_seconds", .number(timing.computeSeconds)),
                ("total_seconds", .number(timing.totalSeconds)),
            ])),
        ])
    }
}

extension CompareReport.Input {
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [
            ("path", .string(path)), ("format", .string(format.rawValue)), ("gzip", .bool(gzip)),
            ("rows", .int(rows)), ("columns", .int(columns)),
        ]
        if let delimiter {
            members.append(("delimiter", .string(String(decoding: [delimiter], as: UTF8.self))))
        }
        if let rowRange {
            members.append(("row_range", .array([.int(rowRange.lowerBound), .int(rowRange.upperBound)])))
        }
        return .object(members)
    }
}

extension CompareOptions {
    var jsonValue: JSONValue {
        .object([
            ("mode", .string(mode.rawValue)),
            ("bins", .int(bins)),
            ("epsilon", .number(epsilon)),
            ("columns", columns.map { .array($0.map(JSONValue.string)) } ?? .null),
            ("exclude", .array(exclude.map(JSONValue.string))),
            ("numeric", .array(numeric.map(JSONValue.string))),
            ("categorical", .array(categorical.map(JSONValue.string))),
            ("na_values", .array(naValues.map(JSONValue.string))),
            ("delimiter", delimiter.map { .string(String(decoding: [$0], as: UTF8.self)) } ?? .null),
        ])
    }
}

extension Thresholds {
    var jsonValue: JSONValue {
        .object([
            ("psi", .object([("warning", .number(psiWarning)), ("critical", .number(psiCritical))])),
            ("js_distance", .object([("warning", .number(jsWarning)), ("critical", .number(jsCritical))])),
            ("ks_pvalue", .object([
                ("warning", .number(alpha)), ("min_effect", .number(minimumEffect)), ("effect", .string("ks_statistic")),
            ])),
            ("chi2_pvalue", .object([
                ("warning", .number(alpha)), ("min_effect", .number(minimumEffect)), ("effect", .string("chi2_effect_size")),
            ])),
            ("drift_share", .number(driftShare)),
        ])
    }
}

extension ColumnReport {
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(name)),
            ("type", .string(kind.rawValue)),
            ("type_source", .string(forcedType ? "forced" : "inferred")),
            ("status", .string(status.rawValue)),
            ("drifted", .bool(drifted)),
            ("count_reference", .int(countReference)),
            ("count_current", .int(countCurrent)),
            ("missing_reference", .int(missingReference)),
            ("missing_current", .int(missingCurrent)),
            ("metrics", metrics.jsonValue),
            ("triggers", .array(triggers.map { trigger in
                .object([
                    ("metric", .string(trigger.metric)), ("value", .number(trigger.value)),
                    ("threshold", .number(trigger.threshold)), ("status", .string(trigger.status.rawValue)),
                ])
            })),
        ]
        if let categories {
            members.append(("categories", .object([
                ("reference", .int(categories.referenceCount)),
                ("current", .int(categories.currentCount)),
                ("unseen", .array(categories.unseen.map { .object([("value", .string($0.value)), ("count", .int($0.count))]) })),
                ("unseen_total", .int(categories.unseenTotal)),
                ("unseen_share", .number(categories.unseenShare)),
            ])))
        }
        members.append(("notes", .array(notes.map(JSONValue.string))))
        return .object(members)
    }
}

extension ColumnMetricValues {
    /// Only the metrics that apply; each a number or `null` when not finite.
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = []
        func add(_ key: String, _ value: Double?) {
            if let value { members.append((key, .number(value))) }
        }
        add("psi", psi)
        add("ks_statistic", ksStatistic)
        add("ks_pvalue", ksPValue)
        if let ksMethod { members.append(("ks_method", .string(ksMethod))) }
        add("js_distance", jsDistance)
        add("kl_divergence", klDivergence)
        add("chi2_statistic", chi2Statistic)
        add("chi2_pvalue", chi2PValue)
        if let chi2DegreesOfFreedom { members.append(("chi2_dof", .int(chi2DegreesOfFreedom))) }
        add("chi2_effect_size", chi2EffectSize)
        add("wasserstein", wasserstein)
        add("wasserstein_normed", wassersteinNormed)
        add("hellinger", hellinger)
        if let binCount { members.append(("bin_count", .int(binCount))) }
        return .object(members)
    }
}

extension CompareReport.Summary {
    func jsonValue(driftShare: Double) -> JSONValue {
        .object([
            ("status", .string(status.rawValue)),
            ("dataset_drift", .bool(datasetDrift)),
            ("drifted_columns", .int(driftedColumns)),
            ("total_columns", .int(totalColumns)),
            ("drifted_share", .number(driftedShare)),
            ("drift_share_threshold", .number(driftShare)),
            ("columns_by_status", .object(DriftStatus.allCases.map { ($0.rawValue, .int(columnsByStatus[$0] ?? 0)) })),
        ])
    }
}
