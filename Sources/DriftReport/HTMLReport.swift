public import DriftJSON
import Foundation

/// Renders a JSON report (``ReportBuilder``) as one self-contained HTML page: inline CSS and SVG, no script
/// and no network, so it opens offline, in a mail attachment or a CI artifact alike.
public enum HTMLReport {
    static let colors = ["NORMAL": "#2e7d32", "WARNING": "#f9a825", "CRITICAL": "#c62828", "RECOVERED": "#1565c0"]
    static let reference = "#78909c"
    static let worst = "#c62828"
    static let latest = "#1565c0"

    /// The page for `report`.
    public static func render(_ report: JSONValue) -> String {
        let model = report["model_id"]?.stringValue ?? "?"
        let summary = report["summary"] ?? .object([])
        var body = ""
        body += "<header><h1>Driftwatch report — \(e(model))</h1><p>\(e(report["period"]?["from"]?.stringValue ?? "")) → \(e(report["period"]?["to"]?.stringValue ?? "")) · generated \(e(report["generated_at"]?.stringValue ?? ""))</p></header>"
        body += summaryCards(summary)
        body += timeline(report)
        body += versions(report["versions"]?.arrayValue ?? [])
        body += performance(report["performance"]?.arrayValue ?? [])
        body += classification(report["classification"]?.arrayValue ?? [])
        body += operations(report["operations"]?.arrayValue ?? [])
        body += confidence(report["confidence"] ?? .object([]))
        body += features(report["features"]?.arrayValue ?? [])
        body += windowsTable(report["windows"]?.arrayValue ?? [])
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Driftwatch report — \(e(model))</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0 auto;max-width:1320px;padding:16px 24px;color:#1d2329;background:#fafbfc}
            h1{font-size:22px;margin:0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde1e5;padding-bottom:4px}h3{font-size:14px;margin:12px 0 4px}
            header p{color:#5f6b76;margin:4px 0 0}
            .cards{display:flex;gap:10px;flex-wrap:wrap;margin-top:14px}.card{background:#fff;border:1px solid #dde1e5;border-radius:6px;padding:8px 12px;min-width:110px}
            .card b{display:block;font-size:20px}.card span{color:#5f6b76;font-size:12px}
            .sev{display:inline-block;padding:1px 7px;border-radius:9px;color:#fff;font-size:11px;font-weight:600}
            .sev.NORMAL{background:#2e7d32}.sev.WARNING{background:#f9a825;color:#222}.sev.CRITICAL{background:#c62828}.sev.RECOVERED{background:#1565c0}
            table{border-collapse:collapse;font-size:12px;background:#fff}td,th{border:1px solid #e3e6ea;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f1f3f5}
            .feature{background:#fff;border:1px solid #dde1e5;border-radius:6px;padding:8px 12px;margin:10px 0}
            .charts{display:flex;flex-wrap:wrap;gap:8px}.muted{color:#5f6b76;font-size:12px}
            svg text{font-family:inherit;fill:#333}
            </style></head><body>
            \(body)
            <footer class="muted"><p>Driftwatch report, schema \(e(report["schema_version"]?.stringValue ?? "?")). Histograms use the reference profile's bins; shares, not counts. PSI thresholds dashed.</p></footer>
            </body></html>

            """
    }

    static func summaryCards(_ summary: JSONValue) -> String {
        let severities = summary["severities"]
        var cards: [(String, String)] = [
            ("\(summary["windows"]?.intValue ?? 0)", "windows"), ("\(summary["events"]?.intValue ?? 0)", "events"),
            ("\(summary["labelled"]?.intValue ?? 0)", "labelled"),
            ("\(severities?["WARNING"]?.intValue ?? 0) / \(severities?["CRITICAL"]?.intValue ?? 0)", "WARNING / CRITICAL windows"),
            ("\(summary["promotions"]?.intValue ?? 0)", "versions promoted"), ("\(summary["rollbacks"]?.intValue ?? 0)", "rollbacks"),
        ]
        let worstSeverity = summary["worst_severity"]?.stringValue ?? "NORMAL"
        let latestSeverity = summary["latest_severity"]?.stringValue ?? "NORMAL"
        cards.insert(("<span class=\"sev \(e(worstSeverity))\">\(e(worstSeverity))</span>", "worst severity"), at: 0)
        cards.insert(("<span class=\"sev \(e(latestSeverity))\">\(e(latestSeverity))</span>", "latest severity"), at: 1)
        let drifted = (summary["drifted_features"]?.arrayValue ?? []).compactMap(\.stringValue)
        return "<section class=\"cards\">" + cards.map { "<div class=\"card\"><b>\($0.0)</b><span>\(e($0.1))</span></div>" }.joined()
            + "</section><p class=\"muted\">Drifted features: \(drifted.isEmpty ? "none" : e(drifted.joined(separator: ", "))) · model versions in the period: \(e((summary["model_versions"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")))</p>"
    }

    static func timeline(_ report: JSONValue) -> String {
        let windows = report["windows"]?.arrayValue ?? []
        guard !windows.isEmpty else { return "" }
        let cells = windows.map { window -> (color: String, tip: String) in
            let severity = window["severity"]?.stringValue ?? "NORMAL"
            let top = (window["top_features"]?.arrayValue ?? []).compactMap(\.stringValue).prefix(3).joined(separator: ", ")
            return (colors[severity] ?? "#999", "v\(window["model_version"]?.stringValue ?? "?") \(window["end"]?.stringValue ?? ""): \(severity)\(top.isEmpty ? "" : " — " + top)")
        }
        return "<h2>Severity by window</h2>" + SVGChart.strip(cells, title: "model severity per window")
            + "<p class=\"muted\">One cell per window, oldest first; hover for the version and the most drifted features.</p>"
    }

    static func versions(_ events: [JSONValue]) -> String {
        guard !events.isEmpty else { return "<h2>Model versions</h2><p class=\"muted\">No model-version events in the registry.</p>" }
        let rows = events.map { event -> String in
            let status = event["status"]?.stringValue ?? ""
            let metrics = (event["metrics"]?.objectValue ?? []).prefix(6).map { "\($0.0) \(fmt($0.1.doubleValue))" }.joined(separator: ", ")
            let reasons = (event["reasons"]?.arrayValue ?? []).compactMap(\.stringValue).map(e).joined(separator: "<br>")
            return "<tr><td>\(e(event["at"]?.stringValue ?? ""))</td><td>\(e(event["version"]?.stringValue ?? ""))</td><td><b>\(e(status))</b></td><td>\(e(event["trigger"]?.stringValue ?? ""))</td><td>\(e(metrics))</td><td>\(reasons)</td></tr>"
        }
        return "<h2>Model versions</h2><table><tr><th>time</th><th>version</th><th>status</th><th>trigger</th><th>metrics</th><th>reasons</th></tr>\(rows.joined())</table>"
    }

    static func performance(_ windows: [JSONValue]) -> String {
        guard !windows.isEmpty else { return "<h2>Performance</h2><p class=\"muted\">No labelled windows in the period.</p>" }
        let labels = windows.map { shortTime($0["window_end"]?.stringValue) }
        var series: [SVGChart.Series] = []
        let palette = ["accuracy": "#1565c0", "f1_macro": "#6a1b9a", "roc_auc": "#00838f", "r2": "#1565c0"]
        for name in ["accuracy", "f1_macro", "roc_auc", "r2"] {
            let values = windows.map { $0["metrics"]?[name]?.doubleValue }
            guard values.contains(where: { $0 != nil }) else { continue }
            series.append(.init(name: name, color: palette[name] ?? "#333", values: values))
            let baseline = windows.map { $0["baseline"]?[name]?.doubleValue }
            if baseline.contains(where: { $0 != nil }) { series.append(.init(name: name + " baseline", color: palette[name] ?? "#333", values: baseline, dashed: true)) }
        }
        var charts = SVGChart.lines(labels, series, title: "labelled windows: metric and its reference baseline", fixedMaximum: 1.0)
        var errors: [SVGChart.Series] = []
        for (name, color) in [("mae", "#ef6c00"), ("rmse", "#c62828")] {
            let values = windows.map { $0["metrics"]?[name]?.doubleValue }
            guard values.contains(where: { $0 != nil }) else { continue }
            errors.append(.init(name: name, color: color, values: values))
            let baseline = windows.map { $0["baseline"]?[name]?.doubleValue }
            if baseline.contains(where: { $0 != nil }) { errors.append(.init(name: name + " baseline", color: color, values: baseline, dashed: true)) }
        }
        if !errors.isEmpty { charts += SVGChart.lines(labels, errors, title: "regression: error per labelled window and its baseline", format: SVGChart.short) }
        return "<h2>Performance over time</h2><div class=\"charts\">" + charts + "</div>"
    }

    /// Per model version: the confusion matrix, the per-class error table, and the ROC and precision-recall curves.
    static func classification(_ versions: [JSONValue]) -> String {
        guard !versions.isEmpty else { return "" }
        var out = "<h2>Classification quality</h2><p class=\"muted\">Over each version's labelled windows in the period. Rows of the confusion matrix are the true classes, columns the predicted ones; the curves come from the positive-class probability in 200 bins.</p>"
        for version in versions {
            let classes = (version["confusion_matrix"]?["classes"]?.arrayValue ?? []).compactMap(\.stringValue)
            let counts = (version["confusion_matrix"]?["counts"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).map { $0.intValue ?? 0 } }
            let maximum = max(counts.joined().max() ?? 1, 1)
            var matrix = "<table class=\"confusion\"><tr><th>true \\ predicted</th>" + classes.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
            for (index, row) in counts.enumerated() where index < classes.count {
                matrix += "<tr><th>\(e(classes[index]))</th>"
                for (column, count) in row.enumerated() {
                    let shade = Double(count) / Double(maximum)
                    let color = column == index ? "rgba(46,125,50,\(SVGChart.f(0.15 + 0.6 * shade)))" : "rgba(198,40,40,\(SVGChart.f(0.08 + 0.6 * shade)))"
                    matrix += "<td style=\"background:\(color);text-align:right\">\(count)</td>"
                }
                matrix += "</tr>"
            }
            matrix += "</table>"
            var table = "<table><tr><th>class</th><th>support</th><th>predicted</th><th>precision</th><th>recall</th><th>F1</th><th>error rate</th><th>most often mistaken for</th></tr>"
            for row in version["per_class"]?.arrayValue ?? [] {
                let confused = row["confused_with"]?.stringValue.map { "\(e($0)) (\(row["confused_count"]?.intValue ?? 0))" } ?? "–"
                table += "<tr><td>\(e(row["class"]?.stringValue ?? ""))</td><td>\(row["support"]?.intValue ?? 0)</td><td>\(row["predicted"]?.intValue ?? 0)</td>"
                    + "<td>\(fmt(row["precision"]?.doubleValue))</td><td>\(fmt(row["recall"]?.doubleValue))</td><td>\(fmt(row["f1"]?.doubleValue))</td>"
                    + "<td>\(row["error_rate"]?.doubleValue.map(SVGChart.percent) ?? "–")</td><td>\(confused)</td></tr>"
            }
            table += "</table>"
            var charts = ""
            if let roc = version["roc"] {
                let points = (roc["points"]?.arrayValue ?? []).compactMap { point -> (x: Double, y: Double)? in
                    guard let x = point["fpr"]?.doubleValue, let y = point["tpr"]?.doubleValue else { return nil }
                    return (x, y)
                }
                charts += SVGChart.unitCurve([("ROC-AUC \(fmt(roc["auc"]?.doubleValue))", latest, points)],
                                             title: "ROC curve (positive class \(roc["positive_class"]?.stringValue ?? "?"))",
                                             xLabel: "false-positive rate", yLabel: "true-positive rate", diagonal: true)
            }
            if let pr = version["precision_recall"] {
                let points = (pr["points"]?.arrayValue ?? []).compactMap { point -> (x: Double, y: Double)? in
                    guard let x = point["recall"]?.doubleValue, let y = point["precision"]?.doubleValue else { return nil }
                    return (x, y)
                }
                charts += SVGChart.unitCurve([("average precision \(fmt(pr["average_precision"]?.doubleValue))", "#6a1b9a", points)],
                                             title: "precision-recall curve", xLabel: "recall", yLabel: "precision", diagonal: false)
            }
            out += "<div class=\"feature\"><h3>version \(e(version["model_version"]?.stringValue ?? "?")) · \(version["labelled"]?.intValue ?? 0) labelled events in \(version["windows"]?.intValue ?? 0) windows · accuracy \(fmt(version["accuracy"]?.doubleValue))</h3>"
                + "<div class=\"charts\"><div>\(matrix)</div>\(charts)</div>\(table)</div>"
        }
        return out
    }

    /// The model server's latency quantiles and error rate per window.
    static func operations(_ windows: [JSONValue]) -> String {
        guard !windows.isEmpty else { return "" }
        let labels = windows.map { shortTime($0["window_end"]?.stringValue) }
        let latency = SVGChart.lines(labels, [
            .init(name: "p50", color: "#2e7d32", values: windows.map { $0["metrics"]?["latency_p50_ms"]?.doubleValue }),
            .init(name: "p95", color: "#f9a825", values: windows.map { $0["metrics"]?["latency_p95_ms"]?.doubleValue }),
            .init(name: "p99", color: "#c62828", values: windows.map { $0["metrics"]?["latency_p99_ms"]?.doubleValue }),
        ], title: "model server latency per window (ms)", format: SVGChart.short)
        let errors = SVGChart.lines(labels, [
            .init(name: "error rate", color: "#c62828", values: windows.map { $0["metrics"]?["error_rate"]?.doubleValue }),
        ], title: "failed requests per window", format: SVGChart.percent)
        return "<h2>Model server</h2><div class=\"charts\">\(latency)\(errors)</div>"
    }

    static func confidence(_ confidence: JSONValue) -> String {
        let panels = confidence["panels"]?.arrayValue ?? []
        let over = confidence["over_time"]?.arrayValue ?? []
        guard !panels.isEmpty || !over.isEmpty else { return "" }
        var charts = panels.map { numericPanel($0, name: "confidence") }.joined()
        if !over.isEmpty {
            charts += SVGChart.lines(over.map { shortTime($0["window_end"]?.stringValue) }, [
                .init(name: "mean confidence", color: latest, values: over.map { $0["mean_confidence"]?.doubleValue }),
                .init(name: "reference", color: reference, values: over.map { $0["mean_confidence_reference"]?.doubleValue }, dashed: true),
            ], title: "mean top-class probability per window", fixedMaximum: 1.0)
        }
        return "<h2>Prediction confidence</h2><div class=\"charts\">\(charts)</div>"
    }

    static func features(_ features: [JSONValue]) -> String {
        var out = "<h2>Features</h2><p class=\"muted\">Most drifted first. For each: the reference against its worst window (and the latest, when another), the CDFs, box plots from quantiles, and PSI and the test p-value over time.</p>"
        for feature in features {
            let name = feature["name"]?.stringValue ?? "?"
            let severity = feature["worst_severity"]?.stringValue ?? "NORMAL"
            var charts = ""
            let panels = feature["panels"]?.arrayValue ?? []
            if feature["type"]?.stringValue == "categorical" {
                charts += panels.map { categoricalPanel($0, name: name) }.joined()
            } else {
                charts += panels.map { numericPanel($0, name: name) }.joined()
                let boxes = boxSeries(panels)
                if !boxes.isEmpty { charts += SVGChart.boxes(boxes, title: "\(name): quantiles (p05–p95 whiskers)") }
            }
            let over = feature["over_time"]?.arrayValue ?? []
            if !over.isEmpty {
                let labels = over.map { shortTime($0["window_end"]?.stringValue) }
                charts += SVGChart.lines(labels, [.init(name: "PSI", color: worst, values: over.map { $0["psi"]?.doubleValue })],
                                         title: "\(name): PSI per window", thresholds: [0.1, 0.25])
                let pValues = over.map { $0["ks_pvalue"]?.doubleValue ?? $0["chi2_pvalue"]?.doubleValue }
                if pValues.contains(where: { $0 != nil }) {
                    charts += SVGChart.lines(labels, [.init(name: feature["type"]?.stringValue == "categorical" ? "chi² p-value" : "KS p-value", color: latest, values: pValues)],
                                             title: "\(name): test p-value per window (−log₁₀)", thresholds: [0.05], logScale: true)
                }
            }
            let atSeverity = feature["windows_at"]
            out += """
                <div class="feature"><h3>\(e(name)) <span class="sev \(e(severity))">\(e(severity))</span> <span class="muted">\(e(feature["type"]?.stringValue ?? "")) · max PSI \(fmt(feature["max_psi"]?.doubleValue)) · windows WARNING \(atSeverity?["WARNING"]?.intValue ?? 0), CRITICAL \(atSeverity?["CRITICAL"]?.intValue ?? 0)</span></h3>
                <div class="charts">\(charts)</div></div>
                """
        }
        return out
    }

    static func numericPanel(_ panel: JSONValue, name: String) -> String {
        guard let edges = panel["reference"]?["edges"]?.arrayValue?.compactMap(\.doubleValue),
              let referenceCounts = panel["reference"]?["histogram"]?.arrayValue?.compactMap(\.doubleValue),
              let currentCounts = panel["current"]?["histogram"]?.arrayValue?.compactMap(\.doubleValue),
              referenceCounts.count == currentCounts.count, referenceCounts.count == edges.count + 1 else { return "" }
        var labels = ["< " + SVGChart.short(edges.first ?? 0)]
        for (low, high) in zip(edges, edges.dropFirst()) { labels.append(SVGChart.short(low) + "–" + SVGChart.short(high)) }
        labels.append("≥ " + SVGChart.short(edges.last ?? 0))
        let role = panel["role"]?.stringValue ?? "window"
        let current = "\(role) window (v\(panel["model_version"]?.stringValue ?? "?"))"
        let color = role == "worst" ? worst : latest
        let referenceShares = shares(referenceCounts)
        let currentShares = shares(currentCounts)
        let title = "\(name): \(role) window \(shortTime(panel["window_end"]?.stringValue)), PSI \(fmt(panel["psi"]?.doubleValue))"
        var out = SVGChart.bars(labels, [.init(name: "reference v\(panel["model_version"]?.stringValue ?? "?")", color: reference, values: referenceShares),
                                         .init(name: current, color: color, values: currentShares)], title: title)
        out += SVGChart.lines(labels, [.init(name: "reference", color: reference, values: cumulative(referenceShares)),
                                       .init(name: current, color: color, values: cumulative(currentShares))],
                              title: "\(name): CDF over the reference bins", fixedMaximum: 1.0)
        return out
    }

    static func categoricalPanel(_ panel: JSONValue, name: String) -> String {
        guard let categories = panel["reference"]?["categories"]?.arrayValue?.compactMap(\.stringValue),
              let referenceCounts = panel["reference"]?["counts"]?.arrayValue?.compactMap(\.doubleValue),
              let currentCounts = panel["current"]?["counts"]?.arrayValue?.compactMap(\.doubleValue),
              referenceCounts.count == categories.count, currentCounts.count == categories.count else { return "" }
        let referenceAll = referenceCounts + [panel["reference"]?["other"]?.doubleValue ?? 0]
        let currentAll = currentCounts + [panel["current"]?["other"]?.doubleValue ?? 0]
        // The 12 largest categories by either share; the rest together.
        let referenceShares = shares(referenceAll)
        let currentShares = shares(currentAll)
        let order = referenceShares.indices.sorted { max(referenceShares[$0] ?? 0, currentShares[$0] ?? 0) > max(referenceShares[$1] ?? 0, currentShares[$1] ?? 0) }
        let kept = Array(order.prefix(12))
        let labels = kept.map { $0 < categories.count ? categories[$0] : "other" }
        let role = panel["role"]?.stringValue ?? "window"
        return SVGChart.bars(labels, [
            .init(name: "reference v\(panel["model_version"]?.stringValue ?? "?")", color: reference, values: kept.map { referenceShares[$0] }),
            .init(name: "\(role) window", color: role == "worst" ? worst : latest, values: kept.map { currentShares[$0] }),
        ], title: "\(name): \(role) window \(shortTime(panel["window_end"]?.stringValue)), PSI \(fmt(panel["psi"]?.doubleValue))")
    }

    static func boxSeries(_ panels: [JSONValue]) -> [(name: String, color: String, quantiles: [String: Double])] {
        var boxes: [(name: String, color: String, quantiles: [String: Double])] = []
        func quantiles(_ value: JSONValue?) -> [String: Double] {
            Dictionary((value?.objectValue ?? []).compactMap { key, v in v.doubleValue.map { (key, $0) } }, uniquingKeysWith: { a, _ in a })
        }
        if let first = panels.first { boxes.append(("reference v\(first["model_version"]?.stringValue ?? "?")", reference, quantiles(first["reference"]?["quantiles"]))) }
        for panel in panels {
            let role = panel["role"]?.stringValue ?? "window"
            boxes.append(("\(role) (v\(panel["model_version"]?.stringValue ?? "?"))", role == "worst" ? worst : latest, quantiles(panel["current"]?["quantiles"])))
        }
        return boxes.filter { !$0.quantiles.isEmpty }
    }

    static func windowsTable(_ windows: [JSONValue]) -> String {
        guard !windows.isEmpty else { return "" }
        let rows = windows.suffix(200).map { window -> String in
            let severity = window["severity"]?.stringValue ?? "NORMAL"
            let top = (window["top_features"]?.arrayValue ?? []).compactMap(\.stringValue).prefix(4).joined(separator: ", ")
            let reasons = (window["reasons"]?.arrayValue ?? []).compactMap(\.stringValue).prefix(3).joined(separator: "; ")
            return "<tr><td>\(e(window["end"]?.stringValue ?? ""))</td><td>\(e(window["model_version"]?.stringValue ?? ""))</td><td>\(window["count"]?.intValue ?? 0)</td><td>\(window["labelled"]?.intValue ?? 0)</td><td><span class=\"sev \(e(severity))\">\(e(severity))</span></td><td>\(e(top))</td><td>\(e(reasons))</td></tr>"
        }
        return "<h2>Windows</h2><table><tr><th>window end</th><th>version</th><th>events</th><th>labelled</th><th>severity</th><th>top features</th><th>reasons</th></tr>\(rows.joined())</table>"
    }

    static func shares(_ counts: [Double]) -> [Double?] {
        let total = counts.reduce(0, +)
        return counts.map { total > 0 ? $0 / total : nil }
    }

    static func cumulative(_ shares: [Double?]) -> [Double?] {
        var running = 0.0
        return shares.map { share in
            guard let share else { return nil }
            running += share
            return running
        }
    }

    static func shortTime(_ text: String?) -> String {
        guard let text, let t = text.firstIndex(of: "T") else { return text ?? "" }
        return String(text[text.index(after: t)...].prefix(8))
    }

    static func fmt(_ value: Double?) -> String { value.map(SVGChart.short) ?? "–" }
    static func e(_ text: String) -> String { SVGChart.escape(text) }
}
