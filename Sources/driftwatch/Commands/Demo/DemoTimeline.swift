import DriftContracts
import DriftJSON
import DriftStats
import Foundation
import Synchronization

/// The demo's live view: drift events and model-version events as they arrive on their topics, one line
/// each, and the story so far (drift detected, version promoted, drift subsided) that decides when the demo ends.
final class DemoTimeline: Sendable {
    struct Story: Sendable {
        var windows: [JSONValue] = []
        var driftOnset: ContinuousClock.Instant?
        var firstAlert: ContinuousClock.Instant?
        var promotion: (version: String, at: ContinuousClock.Instant)?
        var subsided: ContinuousClock.Instant?
        /// Full windows of the promoted version in a row, up to the latest, below CRITICAL.
        var calmInARow = 0
    }

    let modelID: String
    /// Events in a full window (rate × window).
    let fullWindow: Int
    let began: ContinuousClock.Instant
    let story = Mutex(Story())
    let print: @Sendable (String) -> Void

    init(modelID: String, fullWindow: Int, began: ContinuousClock.Instant, print: @escaping @Sendable (String) -> Void) {
        self.modelID = modelID
        self.fullWindow = fullWindow
        self.began = began
        self.print = print
    }

    func elapsed(_ instant: ContinuousClock.Instant = .now) -> String {
        let seconds = Int((instant - began).components.seconds)
        return String(format: "+%02d:%02d", seconds / 60, seconds % 60)
    }

    static let header = "  time    window (UTC)          ver  events  labels  severity   most drifted (PSI)                           accuracy"

    /// A drift event from `drift-events`.
    func driftEvent(_ event: JSONValue) {
        guard event["model_id"]?.stringValue == modelID else { return }
        let now = ContinuousClock.now
        let severity = event["severity"]?.stringValue ?? "?"
        let version = event["model_version"]?.stringValue ?? "?"
        let line = Self.describe(event)
        let notes: [String] = story.withLock { story in
            story.windows.append(event)
            var notes: [String] = []
            if story.driftOnset != nil, story.firstAlert == nil, severity == "CRITICAL" {
                story.firstAlert = now
                notes.append("drift detected \(Self.seconds(now - (story.driftOnset ?? now))) after it began")
            }
            // Partial windows (the swap happened inside them) say little: only windows at least half full count.
            if let promotion = story.promotion, version == promotion.version, (event["window"]?["count"]?.intValue ?? 0) * 2 >= fullWindow {
                story.calmInARow = severity == "CRITICAL" ? 0 : story.calmInARow + 1
                if story.calmInARow >= 3, story.subsided == nil {
                    story.subsided = now
                    notes.append("drift subsided: version \(version)'s windows are below CRITICAL against its new reference")
                }
            }
            return notes
        }
        print("  \(elapsed(now))  \(line)")
        for note in notes { print("  \(elapsed(now))  ● \(note)") }
    }

    /// A model-version event from `model-versions`.
    func versionEvent(_ event: JSONValue) {
        guard event["model_id"]?.stringValue == modelID else { return }
        let now = ContinuousClock.now
        let status = event["status"]?.stringValue ?? "?"
        let version = event["version"]?.stringValue ?? "?"
        let metrics = event["metrics"]
        let challenger = metrics?["holdout_accuracy"]?.doubleValue
        let champion = metrics?["champion_holdout_accuracy"]?.doubleValue
        let trigger = event["lineage"]?["trigger"]?.stringValue ?? "?"
        // The first version's registration is the demo's own starting point, not news.
        guard trigger != "initial" else { return }
        if status == "champion" { story.withLock { $0.promotion = (version, now) } }
        var text = "▶ version \(version) \(status == "champion" ? "PROMOTED" : status.uppercased()) (trigger: \(trigger))"
        if let challenger, let champion {
            text += String(format: " — held-out accuracy %.3f against the champion's %.3f", challenger, champion)
        } else if let reason = (event["reasons"]?.arrayValue ?? []).compactMap(\.stringValue).first {
            text += " — " + reason
        }
        print("  \(elapsed(now))  \(text)")
    }

    /// Marks the drift's start on the timeline.
    func driftStarted(row: Int, scenario: String) {
        let now = ContinuousClock.now
        story.withLock { $0.driftOnset = now }
        print("  \(elapsed(now))  ● drift injected from row \(row.formatted()) on (\(scenario))")
    }

    /// The story is complete: drift detected, a version promoted, and its windows calm.
    var complete: Bool { story.withLock { $0.subsided != nil } }

    static func describe(_ event: JSONValue) -> String {
        let window = event["window"]
        func clock(_ text: String?) -> String {
            guard let text, let t = text.firstIndex(of: "T") else { return "?" }
            return String(text[text.index(after: t)...].prefix(8))
        }
        let span = "\(clock(window?["start"]?.stringValue))–\(clock(window?["end"]?.stringValue))"
        let severity = event["severity"]?.stringValue ?? "?"
        let top = (event["features"]?.arrayValue ?? [])
            .filter { $0["severity"]?.stringValue == "CRITICAL" || $0["severity"]?.stringValue == "WARNING" }
            .sorted { ($0["metrics"]?["psi"]?.doubleValue ?? 0) > ($1["metrics"]?["psi"]?.doubleValue ?? 0) }
            .prefix(3)
            .map { feature in
                let psi = feature["metrics"]?["psi"]?.doubleValue
                return (feature["name"]?.stringValue ?? "?") + (psi.map { String(format: " %.2f", $0) } ?? "")
            }
            .joined(separator: ", ")
        var accuracy = ""
        if let performance = event["performance"], let value = performance["metrics"]?["accuracy"]?.doubleValue {
            accuracy = String(format: "%.3f", value)
            if let baseline = performance["baseline"]?["accuracy"]?.doubleValue { accuracy += String(format: " (ref %.3f)", baseline) }
        }
        return "\(span.padding(toLength: 20, withPad: " ", startingAt: 0))  v\((event["model_version"]?.stringValue ?? "?").padding(toLength: 3, withPad: " ", startingAt: 0))"
            + " \(String(window?["count"]?.intValue ?? 0).leftPadded(6))  \(String(window?["labelled"]?.intValue ?? 0).leftPadded(6))"
            + "  \(severity.padding(toLength: 9, withPad: " ", startingAt: 0))  \((top.isEmpty ? "—" : top).padding(toLength: 44, withPad: " ", startingAt: 0)) \(accuracy)"
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.0f s", duration.inSeconds)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
