import DriftJSON
import DriftReport
import DriftTestSupport
import Foundation
import Testing

/// The report builder and its HTML: windows in order, features most drifted first with their panels in the
/// profile's layout, performance and versions carried through, a schema-valid document, and a page with no
/// script and no network reference.
@Suite("Reports")
struct ReportTests {
    static let profile = try! JSONValue.parse(#"""
        {"model_id":"m","model_version":"1","features":[
          {"name":"x","type":"numeric","numeric":{"edges":[0,1],"histogram":[10,80,10],"moments":{"min":-1,"max":2},"quantiles":{"p01":-0.5,"p05":0,"p25":0.3,"p50":0.5,"p75":0.7,"p95":1,"p99":1.5}}},
          {"name":"c","type":"categorical","categorical":{"counts":{"a":60,"b":40},"other":0}}],
         "prediction":{"classes":{"no":50,"yes":50},"confidence":{"edges":[0.6,0.8],"histogram":[30,40,30],"moments":{"min":0.5,"max":1},"quantiles":{"p05":0.55,"p25":0.65,"p50":0.75,"p75":0.85,"p95":0.95}}}}
        """#)

    static func event(_ index: Int, version: String, severity: String, psi: Double, histogram: [Int], accuracy: Double) -> JSONValue {
        let start = 1_795_000_000_000 + Int64(index) * 60_000
        let text = #"""
            {"schema_version":"1","event_id":"m@\#(version)/\#(index)","model_id":"m","model_version":"\#(version)",
             "window":{"start":"\#(stamp(start))","end":"\#(stamp(start + 60_000))","count":100,"labelled":80},
             "severity":"\#(severity)","previous_severity":"NORMAL","window_severity":"\#(severity)",
             "features":[{"name":"x","type":"numeric","severity":"\#(severity)","metrics":{"psi":\#(psi),"ks_pvalue":0.01},"triggers":[],
                          "distribution":{"histogram":\#(histogram),"quantiles":{"p05":0.1,"p25":0.6,"p50":0.9,"p75":1.2,"p95":1.6},"min":0,"max":2}},
                         {"name":"c","type":"categorical","severity":"NORMAL","metrics":{"psi":0.01,"chi2_pvalue":0.5},"triggers":[],"distribution":{"counts":[58,42],"other":0}}],
             "top_features":["x"],"prediction":{"severity":"NORMAL","confidence":{"severity":"NORMAL","metrics":{"mean_confidence":0.7,"mean_confidence_reference":0.75},"triggers":[],
                          "distribution":{"histogram":[35,40,25],"quantiles":{"p05":0.55,"p50":0.7,"p95":0.9},"min":0.5,"max":1}}},
             "performance":{"severity":"NORMAL","labelled":80,"metrics":{"accuracy":\#(accuracy)},"baseline":{"accuracy":0.9},"triggers":[]},
             "reasons":["r\#(index)"],"evaluated_at":"\#(stamp(start + 61_000))"}
            """#
        return try! JSONValue.parse(text)
    }

    static func stamp(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1_000))
    }

    static var input: ReportInput {
        let versionEvents = [
            try! JSONValue.parse(#"{"model_id":"m","version":"1","status":"champion","created_at":"2026-11-23T10:00:00.000Z","lineage":{"trigger":"initial"},"reasons":["first"],"metrics":{"accuracy":0.9}}"#),
            try! JSONValue.parse(#"{"model_id":"m","version":"2","status":"champion","created_at":"2026-11-23T11:00:00.000Z","lineage":{"trigger":"drift","parent_version":"1"},"reasons":["drift event","better"],"metrics":{"accuracy":0.93}}"#),
        ]
        let events = [
            event(2, version: "1", severity: "CRITICAL", psi: 0.8, histogram: [0, 20, 80], accuracy: 0.6),
            event(0, version: "1", severity: "NORMAL", psi: 0.01, histogram: [10, 80, 10], accuracy: 0.9),
            event(1, version: "1", severity: "WARNING", psi: 0.15, histogram: [5, 60, 35], accuracy: 0.8),
            event(3, version: "2", severity: "NORMAL", psi: 0.02, histogram: [10, 78, 12], accuracy: 0.92),
            event(1, version: "1", severity: "WARNING", psi: 0.15, histogram: [5, 60, 35], accuracy: 0.8),  // delivered twice
            try! JSONValue.parse(#"{"model_id":"other","event_id":"o","model_version":"1","window":{"start":"2026-11-23T10:00:00Z","end":"2026-11-23T10:01:00Z"},"severity":"CRITICAL"}"#),
        ]
        return ReportInput(modelID: "m", driftEvents: events, versionEvents: versionEvents, profiles: ["1": profile, "2": profile],
                           generatedAt: 1_795_000_500_000)
    }

    @Test func buildsTheReportInWindowOrder() throws {
        let report = try ReportBuilder.build(Self.input)
        let windows = report["windows"]?.arrayValue ?? []
        #expect(windows.compactMap { $0["event_id"]?.stringValue } == ["m@1/0", "m@1/1", "m@1/2", "m@2/3"], "ordered, duplicates and other models dropped")
        let summary = try #require(report["summary"])
        #expect(summary["windows"]?.intValue == 4)
        #expect(summary["events"]?.intValue == 400)
        #expect(summary["severities"]?["CRITICAL"]?.intValue == 1)
        #expect(summary["worst_severity"]?.stringValue == "CRITICAL")
        #expect(summary["latest_severity"]?.stringValue == "NORMAL")
        #expect(summary["promotions"]?.intValue == 1, "the first version's registration is not a promotion")
        #expect(summary["drifted_features"]?.arrayValue == [.string("x")])

        let features = report["features"]?.arrayValue ?? []
        #expect(features.first?["name"]?.stringValue == "x", "most drifted first")
        let panels = features.first?["panels"]?.arrayValue ?? []
        #expect(panels.compactMap { $0["role"]?.stringValue } == ["worst", "latest"])
        #expect(panels.first?["current"]?["histogram"]?.arrayValue == [.int(0), .int(20), .int(80)])
        #expect(panels.first?["reference"]?["edges"]?.arrayValue == [.int(0), .int(1)])
        #expect(features.last?["panels"]?.arrayValue?.first?["reference"]?["categories"]?.arrayValue == [.string("a"), .string("b")])
        #expect(report["performance"]?.arrayValue?.compactMap { $0["metrics"]?["accuracy"]?.doubleValue } == [0.9, 0.8, 0.6, 0.92])
        #expect(report["versions"]?.arrayValue?.last?["trigger"]?.stringValue == "drift")
        #expect(report["confidence"]?["panels"]?.arrayValue?.isEmpty == false)

        let outcome = try SchemaValidation.validate(documents: [Array(report.serialized().utf8)], schema: "report.schema.json")
        #expect(outcome.first?.valid == true, "\(outcome.first?.errors ?? [])")
    }

    @Test func periodBoundsTheWindows() throws {
        var input = Self.input
        input.from = 1_795_000_000_000 + 120_000  // window ends at 1:00, 2:00, 3:00, 4:00 after the start
        input.to = 1_795_000_000_000 + 180_000
        let report = try ReportBuilder.build(input)
        #expect(report["windows"]?.arrayValue?.compactMap { $0["event_id"]?.stringValue } == ["m@1/1", "m@1/2"])
        var empty = Self.input
        empty.modelID = "nobody"
        #expect(throws: ReportBuilder.Failure.self) { try ReportBuilder.build(empty) }
    }

    @Test func htmlIsSelfContained() throws {
        let html = HTMLReport.render(try ReportBuilder.build(Self.input))
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("<svg"))
        #expect(!html.contains("<script"), "no script")
        #expect(!html.contains("src=\"http"), "no network reference")
        #expect(!html.contains("href=\"http"))
        #expect(html.contains("CRITICAL"))
        #expect(html.contains("drift event"), "the promotion's reasons are shown")
        // Names are escaped.
        var input = Self.input
        input.versionEvents[1] = try JSONValue.parse(#"{"model_id":"m","version":"2","status":"champion","created_at":"2026-11-23T11:00:00.000Z","reasons":["<script>alert(1)</script>"],"metrics":{}}"#)
        #expect(!HTMLReport.render(try ReportBuilder.build(input)).contains("<script>alert"))
    }
}
