import DriftRegistry
import DriftServer
import Foundation
import Testing

/// Drift scenarios: the shipped files parse, changes apply from the start share on, the concept rule and the
/// label prior do what they say, and bad files are refused with the key at fault.
@Suite("Demo scenarios")
struct DemoScenarioTests {
    static func rows(_ count: Int) -> [LabelledRow] {
        (0..<count).map { index in
            let age = LabelledRow.Value.number(Double(20 + index % 40))
            let hours = LabelledRow.Value.number(Double(30 + index % 30))
            let education = LabelledRow.Value.text(index % 2 == 0 ? "HS-grad" : "Masters")
            let label = index % 4 == 0 ? ">50K" : "<=50K"
            return LabelledRow(time: Int64(index), features: ["age": age, "hours": hours, "education": education], label: label)
        }
    }

    @Test func shippedScenariosParse() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data/scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == ["concept-drift.yaml", "covariate-shift.yaml", "label-shift.yaml"])
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let scenario = try DemoScenario(yaml: text, path: file)
            #expect(scenario.name + ".yaml" == file)
        }
    }

    @Test func changesApplyFromTheStart() throws {
        let scenario = try DemoScenario(yaml: """
            name: t
            start: 0.5
            features:
              age: {shift: 10}
              hours: {scale: 2}
              education: {replace: HS-grad, with: Bachelors, share: 1}
            label:
              rule: {feature: hours, at_least: 100, then: ">50K", else: "<=50K", share: 1}
            """, path: "t.yaml")
        let input = Self.rows(100)
        let (rows, start) = scenario.apply(input)
        #expect(start == 50)
        #expect(rows.count == 100)
        #expect(rows.prefix(50).elementsEqual(input.prefix(50)), "rows before the start are untouched")
        for (before, after) in zip(input.dropFirst(50), rows.dropFirst(50)) {
            guard case .number(let age)? = before.features["age"], case .number(let hours)? = before.features["hours"] else { Issue.record("numbers"); continue }
            #expect(after.features["age"] == .number(age + 10))
            #expect(after.features["hours"] == .number(hours * 2))
            #expect(after.features["education"] != .text("HS-grad"))
            #expect(after.label == (hours * 2 >= 100 ? ">50K" : "<=50K"), "the rule reads the changed value")
        }
    }

    @Test func priorReachesTheWantedBalance() throws {
        let scenario = try DemoScenario(yaml: "name: p\nstart: 0\nlabel:\n  prior: {\">50K\": 0.5, \"<=50K\": 0.5}\n", path: "p.yaml")
        let (rows, _) = scenario.apply(Self.rows(20_000))
        let share = Double(rows.filter { $0.label == ">50K" }.count) / Double(rows.count)
        #expect(abs(share - 0.5) < 0.02, "share \(share)")
    }

    @Test func refusals() {
        for (text, fragment) in [("name: x\nstart: 2\n", "start"), ("name: x\nfeatures:\n  age: {double: 2}\n", "features.age"),
                                 ("name: x\nbogus: 1\n", "unknown key bogus"), ("name: x\nlabel:\n  rule: {feature: a}\n", "label.rule"),
                                 ("- a\n- b\n", "mapping")] {
            #expect { try DemoScenario(yaml: text, path: "s.yaml") } throws: { error in
                "\(error)".contains(fragment)
            }
        }
    }
}
