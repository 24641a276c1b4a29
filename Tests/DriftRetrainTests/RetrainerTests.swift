import DriftJSON
import DriftStats
import DriftLearn
import DriftMonitor
import DriftRegistry
import DriftRetrain
import DriftTestSupport
import Foundation
import Testing

/// Retraining end to end on the file system: a concept change, a challenger that is not better, and
/// rollbacks by hand and by policy.
@Suite("Retrainer")
struct RetrainerTests {
    /// Rows of two numeric features and a categorical one; `concept` decides the label.
    static func rows(_ count: Int, seed: UInt64, from time: Int64, concept: (Double, Double, String) -> Bool) -> [LabelledRow] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let x = Double.random(in: -1...1, using: &generator), y = Double.random(in: -1...1, using: &generator)
            let c = ["a", "b", "c"][Int.random(in: 0..<3, using: &generator)]
            return LabelledRow(time: time + Int64(index), features: ["x": .number(x), "y": .number(y), "c": .text(c)],
                               label: concept(x, y, c) ? "yes" : "no")
        }
    }

    static let original: @Sendable (Double, Double, String) -> Bool = { x, y, _ in x + y > 0 }
    static let changed: @Sendable (Double, Double, String) -> Bool = { x, y, _ in x - y > 0 }

    /// A registry whose model `m` has a first version trained on the original concept.
    static func registry() throws -> (ModelRegistry, LabelledStore, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-retrain-\(UUID().uuidString)").path
        let registry = ModelRegistry(directory: directory)
        let rows = Self.rows(1_500, seed: 1, from: 0, concept: original)
        let table = try LabelledRow.table(rows, features: [("x", true), ("y", true), ("c", false)])
        var training = InitialTraining(modelID: "m", target: "label")
        training.folds = 3
        _ = try training.run(features: table, labels: rows.map(\.label), source: "synthetic", registry: registry, now: 1_000)
        return (registry, LabelledStore(directory: directory), directory)
    }

    /// `reference: .recent` profiles the new rows only, and `maximumOldRows` caps the old rows mixed in: after a
    /// covariate shift (x moved by +3) the new version's reference describes the shifted x, not the mixture.
    @Test func recentReferenceAndCappedOldRows() throws {
        let (registry, store, directory) = try Self.registry()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let shifted = Self.rows(1_000, seed: 3, from: 10_000, concept: Self.changed).map { row -> LabelledRow in
            var row = row
            if case .number(let x)? = row.features["x"] { row.features["x"] = .number(x + 3) }
            return row
        }
        try store.append(shifted, model: "m")
        var retrainer = Retrainer(registry: registry, store: store)
        retrainer.folds = 3
        retrainer.reference = .recent
        retrainer.maximumOldRows = 300
        let outcome = try retrainer.retrain("m", trigger: "drift", detail: "test", runID: "r-recent", now: 50_000)
        // 300 old rows + 800 new ones trained on; 200 held out.
        #expect(outcome.record.trainingRows == 300 + 800)
        let profile = try registry.profile("m", outcome.record.version)
        #expect(profile.rows == 1_000, "the reference covers the new rows only (trained-on and held out)")
        guard case .numeric(let x)? = profile.features.first(where: { $0.name == "x" })?.summary else {
            Issue.record("x is numeric in the profile")
            return
        }
        // New x is uniform on [2, 4]: its mean is 3 (the mixture's would be about 2.2).
        #expect(abs(x.moments.mean - 3) < 0.1, "reference mean of x \(x.moments.mean)")
        #expect(profile.performance?.labelled == 1_000)
    }

    @Test func aConceptChangeYieldsAPromotedVersionThatBeatsTheOldOneOnTheNewData() throws {
        let (registry, store, directory) = try Self.registry()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try store.training(model: "m").count == 1_500)
        try store.append(Self.rows(2_000, seed: 2, from: 10_000, concept: Self.changed), model: "m")
        var retrainer = Retrainer(registry: registry, store: store)
        retrainer.folds = 3
        let outcome = try retrainer.retrain("m", trigger: "drift", detail: "drift event m@1/w: x psi CRITICAL", runID: "r2", now: 50_000)
        #expect(outcome.promoted, "\(outcome.reasons)")
        #expect(try registry.champion("m") == "2")
        let champion = try #require(outcome.champion)
        let challenger = try #require(outcome.challenger)
        #expect(challenger.accuracy > champion.accuracy + 0.2, "challenger \(challenger.accuracy), champion \(champion.accuracy)")
        let record = try registry.record("m", "2")
        #expect(record.parentVersion == "1" && record.trigger == "drift" && record.triggerDetail?.contains("psi CRITICAL") == true)
        #expect(record.trainingRows == 1_500 + 1_600 && record.metric("cv_all_accuracy") != nil && record.metric("cv_new_accuracy") != nil)
        #expect(outcome.event["status"]?.stringValue == "champion" && outcome.event["profile"]?["model_version"]?.stringValue == "2")
        // The recent rows moved into the training data.
        #expect(try store.recent(model: "m").isEmpty && store.training(model: "m").count == 3_500)
        let outcomes = try SchemaValidation.validate(documents: [Array(outcome.event.serialized().utf8)], schema: "model-version-event.schema.json")
        #expect(outcomes.allSatisfy { $0.valid }, "\(outcomes.flatMap { $0.errors })")
    }

    @Test func aChallengerThatIsNotBetterByTheMarginIsRejectedWithReasons() throws {
        let (registry, store, directory) = try Self.registry()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try store.append(Self.rows(600, seed: 3, from: 10_000, concept: Self.original), model: "m")
        var retrainer = Retrainer(registry: registry, store: store)
        retrainer.folds = 3
        retrainer.promotion.margin = 0.05
        let outcome = try retrainer.retrain("m", trigger: "schedule", detail: "scheduled", runID: "r2", now: 50_000)
        #expect(!outcome.promoted)
        #expect(outcome.reasons.first?.contains("not enough") == true, "\(outcome.reasons)")
        #expect(try registry.champion("m") == "1" && registry.versions("m") == ["1", "2"])
        #expect(try registry.history("m").map { $0["status"]?.stringValue } == ["champion", "rejected"])
        #expect(try store.recent(model: "m").count == 600)  // kept for the next attempt
    }

    @Test func tooLittleDataIsARefusalNotAVersion() throws {
        let (registry, store, directory) = try Self.registry()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try store.append(Self.rows(60, seed: 4, from: 10_000, concept: Self.changed), model: "m")
        #expect(throws: Retrainer.Refusal.self) { try Retrainer(registry: registry, store: store).retrain("m", trigger: "manual", detail: "") }
        #expect(try registry.versions("m") == ["1"])
    }

    @Test func rollbackRestoresThePreviousChampionByHandAndByPolicy() throws {
        let (registry, store, directory) = try Self.registry()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try store.append(Self.rows(2_000, seed: 2, from: 10_000, concept: Self.changed), model: "m")
        var retrainer = Retrainer(registry: registry, store: store)
        retrainer.folds = 3
        _ = try retrainer.retrain("m", trigger: "drift", detail: "d", now: 50_000)
        #expect(try registry.champion("m") == "2" && registry.previousChampion("m") == "1")

        // By policy: version 2 does worse than version 1's figure in two windows in a row.
        let policy = RollbackPolicy()
        var watch = RollbackPolicy.Watch(version: "2", previous: "1", previousFigure: 0.9)
        _ = policy.observe(&watch, version: "2", labelled: 100, value: 0.6)
        guard case .rollBack(let reason) = policy.observe(&watch, version: "2", labelled: 100, value: 0.6) else {
            Issue.record("the policy did not roll back")
            return
        }
        let events = try Rollback.run(registry, model: "m", reason: reason, now: 60_000)
        #expect(events.map { $0["status"]?.stringValue } == ["rolled_back", "champion"])
        #expect(events.map { $0["version"]?.stringValue } == ["2", "1"])
        #expect(try registry.champion("m") == "1")
        // Nothing earlier to go back to now: version 2 was rolled back, version 1 is the champion.
        #expect(throws: Rollback.Refusal.self) { try Rollback.run(registry, model: "m", reason: "again") }
        // By hand, to a named version.
        _ = try Rollback.run(registry, model: "m", to: "2", reason: "operator", now: 70_000)
        #expect(try registry.champion("m") == "2")
        let outcomes = try SchemaValidation.validate(documents: try registry.history("m").map { Array($0.serialized().utf8) }, schema: "model-version-event.schema.json")
        #expect(outcomes.allSatisfy { $0.valid }, "\(outcomes.flatMap { $0.errors })")
    }
}
