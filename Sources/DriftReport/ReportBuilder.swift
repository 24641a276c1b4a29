import DriftContracts
public import DriftJSON

/// Builds the JSON report (`schemas/report.schema.json`) of one model over a period: a summary, every window
/// with its severities and key metrics, per feature the reference against the worst and the latest window
/// (histograms in the profile's layout, quantiles) and its metrics over time, the confidence distribution,
/// performance over time, and the model-version timeline with the reasons of each change. Pure.
public enum ReportBuilder {
    public static let schemaVersion = "1"

    /// Why a report cannot be built.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The report of `input`.
    public static func build(_ input: ReportInput) throws(Failure) -> JSONValue {
        // A window delivered twice (or evaluated again after a restore) appears once: the last one read.
        var latest: [String: Window] = [:]
        for event in input.driftEvents where event["model_id"]?.stringValue == input.modelID {
            guard let window = Window(event), input.from.map({ window.end >= $0 }) ?? true, input.to.map({ window.end <= $0 }) ?? true else { continue }
            latest[window.id] = window
        }
        let ordered = latest.values.sorted { ($0.end, $0.start, $0.version, $0.id) < ($1.end, $1.start, $1.version, $1.id) }
        let versions = input.versionEvents.filter { $0["model_id"]?.stringValue == input.modelID }
        guard !ordered.isEmpty || !versions.isEmpty else {
            throw Failure(reason: "no drift events and no model-version events for \(input.modelID) in the period")
        }
        var members: [(String, JSONValue)] = [
            ("schema_version", .string(schemaVersion)),
            ("kind", .string("driftwatch.report")),
            ("model_id", .string(input.modelID)),
            ("generated_at", .string(EventTimestamp.format(input.generatedAt))),
            ("period", .object([
                ("from", .string(EventTimestamp.format(input.from ?? ordered.first?.start ?? input.generatedAt))),
                ("to", .string(EventTimestamp.format(input.to ?? ordered.last?.end ?? input.generatedAt))),
            ])),
        ]
        members.append(("summary", summary(ordered, versions)))
        members.append(("windows", .array(ordered.map(\.summaryJSON))))
        members.append(("features", .array(features(ordered, profiles: input.profiles))))
        members.append(("confidence", confidence(ordered, profiles: input.profiles)))
        members.append(("performance", .array(ordered.compactMap(\.performanceJSON))))
        members.append(("classification", .array(classification(ordered))))
        members.append(("operations", .array(ordered.compactMap(\.operationsJSON))))
        members.append(("versions", .array(versions.map(versionJSON))))
        return .object(members)
    }

    // MARK: - Summary

    static func summary(_ windows: [Window], _ versions: [JSONValue]) -> JSONValue {
        var counts: [String: Int] = [:]
        for window in windows { counts[window.severity, default: 0] += 1 }
        var drifted: [String] = []
        var driftedNames = Set<String>()
        var seen: [String] = []
        var seenVersions = Set<String>()
        for window in windows {
            if seenVersions.insert(window.version).inserted { seen.append(window.version) }
            for feature in window.features where SeverityRank.rank(feature.severity) > 0 && driftedNames.insert(feature.name).inserted {
                drifted.append(feature.name)
            }
        }
        // The first version's "champion" event is its registration, not a promotion.
        let statuses = versions.filter { $0["lineage"]?["trigger"]?.stringValue != "initial" }.compactMap { $0["status"]?.stringValue }
        return .object([
            ("windows", .int(windows.count)),
            ("events", .int(windows.reduce(0) { $0 + $1.count })),
            ("labelled", .int(windows.reduce(0) { $0 + $1.labelled })),
            ("severities", .object(SeverityRank.names.map { ($0, .int(counts[$0] ?? 0)) })),
            ("worst_severity", .string(SeverityRank.worst(windows.map(\.severity)))),
            ("latest_severity", windows.last.map { .string($0.severity) } ?? .null),
            ("model_versions", .array(seen.map(JSONValue.string))),
            ("drifted_features", .array(drifted.map(JSONValue.string))),
            ("promotions", .int(statuses.filter { $0 == "champion" }.count)),
            ("rejections", .int(statuses.filter { $0 == "rejected" }.count)),
            ("rollbacks", .int(statuses.filter { $0 == "rolled_back" }.count)),
        ])
    }

    // MARK: - Features

    static func features(_ windows: [Window], profiles: [String: JSONValue]) -> [JSONValue] {
        // Each feature's windows, in one pass; features in the order they first appear.
        var names: [String] = []
        var seriesByName: [String: [(Window, Window.Feature)]] = [:]
        for window in windows {
            for feature in window.features {
                if seriesByName[feature.name] == nil { names.append(feature.name) }
                seriesByName[feature.name, default: []].append((window, feature))
            }
        }
        let entries = names.map { name -> (Int, Double, JSONValue) in
            let series = seriesByName[name] ?? []
            let maximumPSI = series.compactMap { $0.1.metric("psi") }.max()
            let worst = series.max { a, b in
                (SeverityRank.rank(a.1.severity), a.1.metric("psi") ?? 0) < (SeverityRank.rank(b.1.severity), b.1.metric("psi") ?? 0)
            }
            var panels: [JSONValue] = []
            if let worst, let panel = panel("worst", worst.0, worst.1, profiles: profiles) { panels.append(panel) }
            if let latest = series.last, latest.0.id != worst?.0.id, let panel = panel("latest", latest.0, latest.1, profiles: profiles) { panels.append(panel) }
            var atSeverity: [String: Int] = [:]
            for (_, feature) in series { atSeverity[feature.severity, default: 0] += 1 }
            let over: [JSONValue] = series.map { window, feature in
                .object([
                    ("window_end", .string(EventTimestamp.format(window.end))), ("model_version", .string(window.version)),
                    ("severity", .string(feature.severity)),
                    ("psi", .optional(feature.metric("psi"))), ("ks_statistic", .optional(feature.metric("ks_statistic"))),
                    ("ks_pvalue", .optional(feature.metric("ks_pvalue"))), ("chi2_pvalue", .optional(feature.metric("chi2_pvalue"))),
                    ("js_distance", .optional(feature.metric("js_distance"))), ("wasserstein", .optional(feature.metric("wasserstein"))),
                ])
            }
            let worstSeverity = SeverityRank.worst(series.map(\.1.severity))
            let json = JSONValue.object([
                ("name", .string(name)), ("type", .string(series.first?.1.type ?? "numeric")),
                ("worst_severity", .string(worstSeverity)),
                ("windows_at", .object(SeverityRank.names.map { ($0, .int(atSeverity[$0] ?? 0)) })),
                ("max_psi", .optional(maximumPSI)),
                ("panels", .array(panels)),
                ("over_time", .array(over)),
            ])
            return (SeverityRank.rank(worstSeverity), maximumPSI ?? 0, json)
        }
        return entries.enumerated().sorted { a, b in
            (a.element.0, a.element.1, -a.offset) > (b.element.0, b.element.1, -b.offset)
        }.map(\.element.2)
    }

    /// A window's distribution of a feature beside its version's reference, in the profile's layout.
    static func panel(_ role: String, _ window: Window, _ feature: Window.Feature, profiles: [String: JSONValue]) -> JSONValue? {
        guard let distribution = feature.distribution,
              let reference = profiles[window.version].flatMap({ referenceLayout(of: feature.name, in: $0) }) else { return nil }
        return .object([
            ("role", .string(role)), ("model_version", .string(window.version)),
            ("window_start", .string(EventTimestamp.format(window.start))), ("window_end", .string(EventTimestamp.format(window.end))),
            ("severity", .string(feature.severity)), ("psi", .optional(feature.metric("psi"))),
            ("ks_pvalue", .optional(feature.metric("ks_pvalue"))), ("chi2_pvalue", .optional(feature.metric("chi2_pvalue"))),
            ("reference", reference), ("current", distribution),
        ])
    }

    /// The reference's layout of `name` in a profile: numeric `{edges, histogram, quantiles, min, max}`,
    /// categorical `{categories, counts, other}`.
    static func referenceLayout(of name: String, in profile: JSONValue) -> JSONValue? {
        guard let feature = profile["features"]?.arrayValue?.first(where: { $0["name"]?.stringValue == name }) else { return nil }
        if let numeric = feature["numeric"] { return numericLayout(numeric) }
        if let categorical = feature["categorical"], let counts = categorical["counts"]?.objectValue {
            return .object([
                ("categories", .array(counts.map { .string($0.0) })), ("counts", .array(counts.map { $0.1 })),
                ("other", categorical["other"] ?? .int(0)),
            ])
        }
        return nil
    }

    static func numericLayout(_ numeric: JSONValue) -> JSONValue {
        .object([
            ("edges", numeric["edges"] ?? .array([])), ("histogram", numeric["histogram"] ?? .array([])),
            ("quantiles", numeric["quantiles"] ?? .object([])),
            ("min", numeric["moments"]?["min"] ?? .null), ("max", numeric["moments"]?["max"] ?? .null),
        ])
    }

    // MARK: - Confidence and performance

    static func confidence(_ windows: [Window], profiles: [String: JSONValue]) -> JSONValue {
        let series: [JSONValue] = windows.compactMap { window in
            guard let mean = window.confidence?["metrics"]?["mean_confidence"]?.doubleValue else { return nil }
            return .object([
                ("window_end", .string(EventTimestamp.format(window.end))), ("model_version", .string(window.version)),
                ("mean_confidence", .number(mean)),
                ("mean_confidence_reference", .optional(window.confidence?["metrics"]?["mean_confidence_reference"]?.doubleValue)),
                ("severity", window.confidence?["severity"] ?? .null),
            ])
        }
        var panels: [JSONValue] = []
        let candidates = windows.filter { $0.confidence?["distribution"] != nil }
        let worst = candidates.max { SeverityRank.rank($0.confidence?["severity"]?.stringValue) < SeverityRank.rank($1.confidence?["severity"]?.stringValue) }
        for (role, window) in [("worst", worst), ("latest", candidates.last)] {
            guard let window, let distribution = window.confidence?["distribution"],
                  let reference = profiles[window.version]?["prediction"]?["confidence"] else { continue }
            if role == "latest", window.id == worst?.id { continue }
            panels.append(.object([
                ("role", .string(role)), ("model_version", .string(window.version)),
                ("window_end", .string(EventTimestamp.format(window.end))), ("severity", window.confidence?["severity"] ?? .null),
                ("reference", numericLayout(reference)), ("current", distribution),
            ]))
        }
        return .object([("panels", .array(panels)), ("over_time", .array(series))])
    }

    // MARK: - Classification quality

    /// Per model version, over its labelled windows in the period: the confusion matrix, the per-class error
    /// table, and (binary models) the ROC and precision-recall curves from the summed probability bins.
    static func classification(_ windows: [Window]) -> [JSONValue] {
        var order: [String] = []
        var matrices: [String: [String: [String: UInt64]]] = [:]
        var labelledWindows: [String: Int] = [:]
        var rocBins: [String: (positiveClass: String, positive: [UInt64], negative: [UInt64])] = [:]
        for window in windows {
            guard let performance = window.event["performance"], let matrix = performance["confusion_matrix"],
                  let classes = matrix["classes"]?.arrayValue?.compactMap(\.stringValue), let rows = matrix["counts"]?.arrayValue else { continue }
            if matrices[window.version] == nil { order.append(window.version) }
            labelledWindows[window.version, default: 0] += 1
            var merged = matrices[window.version] ?? [:]
            for (truth, row) in zip(classes, rows) {
                for (predicted, count) in zip(classes, row.arrayValue ?? []) {
                    merged[truth, default: [:]][predicted, default: 0] += UInt64(max(0, count.intValue ?? 0))
                }
            }
            matrices[window.version] = merged
            if let bins = performance["roc_bins"], let name = bins["positive_class"]?.stringValue {
                let positive = (bins["positive"]?.arrayValue ?? []).map { UInt64(max(0, $0.intValue ?? 0)) }
                let negative = (bins["negative"]?.arrayValue ?? []).map { UInt64(max(0, $0.intValue ?? 0)) }
                guard positive.count == negative.count else { continue }
                if let sum = rocBins[window.version] {
                    guard sum.positiveClass == name, sum.positive.count == positive.count else { continue }
                    rocBins[window.version] = (name, zip(sum.positive, positive).map { $0 + $1 }, zip(sum.negative, negative).map { $0 + $1 })
                } else {
                    rocBins[window.version] = (name, positive, negative)
                }
            }
        }
        return order.compactMap { version in
            guard let matrix = matrices[version] else { return nil }
            let classes = Set(matrix.keys).union(matrix.values.flatMap(\.keys)).sorted()
            let counts = classes.map { truth in classes.map { matrix[truth]?[$0] ?? 0 } }
            let total = counts.joined().reduce(0, +)
            let correct = classes.indices.reduce(UInt64(0)) { $0 + counts[$1][$1] }
            var members: [(String, JSONValue)] = [
                ("model_version", .string(version)), ("windows", .int(labelledWindows[version] ?? 0)), ("labelled", .int(Int(total))),
                ("accuracy", .optional(total > 0 ? Double(correct) / Double(total) : nil)),
                ("confusion_matrix", .object([
                    ("classes", .array(classes.map(JSONValue.string))),
                    ("counts", .array(counts.map { .array($0.map { .int(Int($0)) }) })),
                ])),
                ("per_class", .array(ClassificationQuality.classRows(classes: classes, counts: counts).map { row in
                    .object([
                        ("class", .string(row.name)), ("support", .int(Int(row.support))), ("predicted", .int(Int(row.predicted))),
                        ("precision", .number(row.precision)), ("recall", .number(row.recall)), ("f1", .number(row.f1)),
                        ("error_rate", .number(row.errorRate)),
                        ("confused_with", row.confusedWith.map { .string($0.name) } ?? .null),
                        ("confused_count", .int(Int(row.confusedWith?.count ?? 0))),
                    ])
                })),
            ]
            if let bins = rocBins[version], let roc = ClassificationQuality.roc(positive: bins.positive, negative: bins.negative),
               let pr = ClassificationQuality.precisionRecall(positive: bins.positive, negative: bins.negative) {
                func threshold(_ value: Double) -> JSONValue { value.isFinite ? .number(value) : .null }
                members.append(("roc", .object([
                    ("positive_class", .string(bins.positiveClass)), ("auc", .number(ClassificationQuality.area(roc))),
                    ("points", .array(roc.map { .object([("threshold", threshold($0.threshold)), ("fpr", .number($0.x)), ("tpr", .number($0.y))]) })),
                ])))
                members.append(("precision_recall", .object([
                    ("positive_class", .string(bins.positiveClass)),
                    ("average_precision", .number(ClassificationQuality.averagePrecision(pr))),
                    ("points", .array(pr.map { .object([("threshold", .number($0.threshold)), ("recall", .number($0.x)), ("precision", .number($0.y))]) })),
                ])))
            }
            return .object(members)
        }
    }

    static func versionJSON(_ event: JSONValue) -> JSONValue {
        .object([
            ("version", event["version"] ?? .null), ("status", event["status"] ?? .null), ("at", event["created_at"] ?? .null),
            ("run_id", event["run_id"] ?? .null),
            ("trigger", event["lineage"]?["trigger"] ?? .null), ("parent_version", event["lineage"]?["parent_version"] ?? .null),
            ("training_rows", event["lineage"]?["training_rows"] ?? .null),
            ("reasons", event["reasons"] ?? .array([])), ("metrics", event["metrics"] ?? .object([])),
        ])
    }
}

/// One drift event, read for the report.
struct Window {
    struct Feature {
        var name: String
        var type: String
        var severity: String
        var metrics: JSONValue
        var distribution: JSONValue?
        func metric(_ name: String) -> Double? { metrics[name]?.doubleValue }
    }

    var id: String
    var version: String
    var start: Int64
    var end: Int64
    var count: Int
    var labelled: Int
    var severity: String
    var windowSeverity: String
    var features: [Feature]
    var event: JSONValue
    var confidence: JSONValue? { event["prediction"]?["confidence"] }

    init?(_ event: JSONValue) {
        guard let id = event["event_id"]?.stringValue, let version = event["model_version"]?.stringValue,
              let window = event["window"], let start = window["start"]?.stringValue.flatMap(EventTimestamp.parse),
              let end = window["end"]?.stringValue.flatMap(EventTimestamp.parse), let severity = event["severity"]?.stringValue else { return nil }
        self.id = id
        self.version = version
        self.start = start
        self.end = end
        count = window["count"]?.intValue ?? 0
        labelled = window["labelled"]?.intValue ?? 0
        self.severity = severity
        windowSeverity = event["window_severity"]?.stringValue ?? severity
        features = (event["features"]?.arrayValue ?? []).compactMap { feature in
            guard let name = feature["name"]?.stringValue else { return nil }
            return Feature(name: name, type: feature["type"]?.stringValue ?? "numeric", severity: feature["severity"]?.stringValue ?? "NORMAL",
                           metrics: feature["metrics"] ?? .object([]), distribution: feature["distribution"])
        }
        self.event = event
    }

    var summaryJSON: JSONValue {
        .object([
            ("event_id", .string(id)), ("model_version", .string(version)),
            ("start", .string(EventTimestamp.format(start))), ("end", .string(EventTimestamp.format(end))),
            ("count", .int(count)), ("labelled", .int(labelled)),
            ("severity", .string(severity)), ("window_severity", .string(windowSeverity)),
            ("top_features", event["top_features"] ?? .array([])),
            ("prediction_severity", event["prediction"]?["severity"] ?? .null),
            ("mean_confidence", confidence?["metrics"]?["mean_confidence"] ?? .null),
            ("performance_severity", event["performance"]?["severity"] ?? .null),
            ("reasons", event["reasons"] ?? .array([])),
            ("features", .object(features.map { feature in
                (feature.name, .object([
                    ("severity", .string(feature.severity)), ("psi", .optional(feature.metric("psi"))),
                    ("ks_pvalue", .optional(feature.metric("ks_pvalue"))), ("chi2_pvalue", .optional(feature.metric("chi2_pvalue"))),
                ]))
            })),
        ])
    }

    var operationsJSON: JSONValue? {
        guard let operations = event["operations"], operations != .null else { return nil }
        return .object([
            ("window_end", .string(EventTimestamp.format(end))), ("model_version", .string(version)),
            ("severity", operations["severity"] ?? .null), ("metrics", operations["metrics"] ?? .object([])),
        ])
    }

    var performanceJSON: JSONValue? {
        guard let performance = event["performance"], performance != .null else { return nil }
        return .object([
            ("window_end", .string(EventTimestamp.format(end))), ("model_version", .string(version)),
            ("labelled", performance["labelled"] ?? .int(0)), ("severity", performance["severity"] ?? .null),
            ("metrics", performance["metrics"] ?? .object([])), ("baseline", performance["baseline"] ?? .object([])),
        ])
    }
}
