import DriftCompare
import DriftJSON
import DriftLearn
import DriftMonitor
import DriftRegistry
import DriftTestSupport
import Foundation
import Testing

@Suite("Model registry")
struct RegistryTests {
    static let fixture = Bundle.module.url(forResource: "adult-2000.csv", withExtension: "gz", subdirectory: "Fixtures")!.path

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dw-registry-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func training(_ model: String = "adult") -> InitialTraining {
        var training = InitialTraining(modelID: model, target: "income")
        training.folds = 3
        return training
    }

    @Test func theFirstVersionBecomesChampionTheSecondIsRegisteredWithLineage() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = ModelRegistry(directory: directory)
        let data = try DataTable.load(path: Self.fixture)
        let first = try Self.training().run(data, registry: registry, runID: "run-1", now: 1_800_000_000_000)
        let second = try Self.training().run(data, registry: registry, runID: "run-2", now: 1_800_000_060_000)
        #expect(first.promoted && !second.promoted)
        #expect(try registry.versions("adult") == ["1", "2"])
        #expect(try registry.champion("adult") == "1")
        #expect(registry.models() == ["adult"])

        let record = try registry.record("adult", "2")
        #expect(record.parentVersion == "1" && record.runID == "run-2" && record.trigger == "initial")
        #expect(record.trainingRows == 2_000 && record.classes == ["<=50K", ">50K"] && record.features.count == 14)
        #expect(record.crossValidation?.folds == 3)
        let accuracy = try #require(record.metric("accuracy"))
        #expect(accuracy > 0.78 && accuracy < 0.9, "cross-validated accuracy \(accuracy)")

        // The stored classifier is the one trained: same predictions as a fresh fit on the same rows.
        let features = try TrainingTable(data, excluding: ["income"])
        let labels = try TrainingTable.labels(data, target: "income").labels
        let stored = try registry.classifier("adult", "1")
        let fresh = try ClassifierTrainer().fit(features, labels: labels, target: "income")
        #expect(try stored.predict(features) == fresh.predict(features))

        // The profile's performance baseline is the pooled out-of-fold accuracy; the record's is the folds' mean.
        // The three folds of 2,000 rows hold 667, 667 and 666 rows, so the two differ by under 1e-4.
        let profile = try registry.profile("adult", "2")
        #expect(profile.modelID == "adult" && profile.modelVersion == "2" && profile.features.count == 14)
        let baseline = try #require(profile.performance?.metric("accuracy"))
        #expect(abs(baseline - accuracy) < 1e-3, "profile baseline \(baseline), cross-validated \(accuracy)")

        // The history holds a promotion (with the profile inline) and a registration; both valid events.
        let history = try registry.history("adult")
        #expect(history.map { $0["status"]?.stringValue } == ["champion", "registered"])
        #expect(history[0]["profile"]?["model_version"]?.stringValue == "1")
        #expect(history[1]["lineage"]?["parent_version"]?.stringValue == "1")
        let outcomes = try SchemaValidation.validate(documents: history.map { Array($0.serialized().utf8) }, schema: "model-version-event.schema.json")
        #expect(outcomes.allSatisfy { $0.valid }, "\(outcomes.flatMap { $0.errors })")
    }

    @Test func aFailedRegistrationLeavesNoVersionAndStagingLeftoversAreIgnored() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = ModelRegistry(directory: directory)
        let table = try TrainingTable([("x", .numeric([0, 1, 2, 3, 4, 5])), ("c", .categorical(["a", "b", "a", "b", "a", "b"]))])
        let labels = ["n", "n", "n", "y", "y", "y"]
        let classifier = try ClassifierTrainer().fit(table, labels: labels, target: "t")
        let draft = VersionRecord(modelID: "m", version: "0", runID: "r", createdAt: 0, parentVersion: nil, trigger: "manual", target: "t",
                                  classes: ["n", "y"], features: ["x", "c"], dataSource: "test", trainingRows: 6, metrics: [],
                                  crossValidation: nil, trainingSeconds: 0)
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) { try registry.register(classifier, record: draft) { _ in throw Interrupted() } }
        #expect(try registry.versions("m").isEmpty)
        // What a crash between staging and rename leaves behind is not a version, and is swept by the next one.
        let staging = directory + "/m/versions/.staging-crashed"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try Data("{".utf8).write(to: URL(fileURLWithPath: staging + "/model.json"))
        #expect(try registry.versions("m").isEmpty)
        let profile = try ReferenceProfileBuilder().build(
            modelID: "m", modelVersion: "1", createdAt: 0, source: ReferenceProfile.Source(path: "test", format: "csv", rows: 6),
            columns: [.numeric(name: "x", values: [0, 1, 2, 3, 4, 5])], outcomes: ReferenceProfileBuilder.Outcomes())
        let record = try registry.register(classifier, record: draft) { _ in profile }
        #expect(record.version == "1")
        #expect(try registry.versions("m") == ["1"])
        #expect(!FileManager.default.fileExists(atPath: staging))
        #expect(try registry.classifier("m", "1") == classifier)
    }

    @Test func damageAndBadIdsAreClearErrors() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = ModelRegistry(directory: directory)
        for bad in ["", "../etc", ".hidden", "a/b", "sp ace"] {
            #expect(throws: RegistryError.invalidModelID(bad)) { try ModelRegistry.validate(modelID: bad) }
        }
        #expect(throws: RegistryError.self) { try registry.record("nothing", "1") }
        _ = try Self.training("m").run(try DataTable.load(path: Self.fixture), registry: registry)
        try Data("{\"format\": \"driftwatch.model-version\"}".utf8).write(to: URL(fileURLWithPath: directory + "/m/versions/1/version.json"))
        #expect { try registry.record("m", "1") } throws: { error in
            guard case RegistryError.damaged(let path, _) = error else { return false }
            return path.hasSuffix("version.json")
        }
        try Data("{\"format\": \"driftwatch.classifier\", \"version\": 7}".utf8).write(to: URL(fileURLWithPath: directory + "/m/versions/1/model.json"))
        #expect { try registry.classifier("m", "1") } throws: { error in
            guard case RegistryError.damaged(_, let reason) = error else { return false }
            return reason.contains("newer")
        }
    }
}
