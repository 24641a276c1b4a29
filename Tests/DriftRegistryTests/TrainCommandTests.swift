import DriftCompare
import DriftJSON
import DriftLearn
import DriftRegistry
import DriftTestSupport
import Foundation
import Testing

@Suite("driftwatch train and monitor --registry")
struct TrainCommandTests {
    static let binary = ChildProcess.driftwatch(besides: Bundle.module)

    @Test func trainRegistersAChampionThatMonitorRegistryFinds() throws {
        let directory = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = directory + "/registry"
        let result = try ChildProcess.run(Self.binary, ["train", "--data", RegistryTests.fixture, "--target", "income", "--model-id", "adult",
                                                        "--registry", registry, "--folds", "3", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("adult version 1: 2000 rows, 14 features, 2 classes; 3-fold accuracy"), "\(result.stderr)")
        let printed = try JSONValue.parse(result.stdout)
        #expect(printed["version"]?.stringValue == "1" && printed["model_id"]?.stringValue == "adult")
        #expect(try ModelRegistry(directory: registry).champion("adult") == "1")
        #expect(try ModelRegistry(directory: registry).championProfilePaths() == [registry + "/adult/versions/1/profile.json"])

        // The monitor refuses an empty registry with a clear message, before connecting anywhere.
        let empty = directory + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let refused = try ChildProcess.run(Self.binary, ["monitor", "--registry", empty, "--bootstrap-servers", "127.0.0.1:1"])
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("has no model with a champion"), "\(refused.stderr)")
    }

    @Test func predictScoresAFileLikeTheRegisteredClassifier() throws {
        let directory = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = directory + "/registry"
        let trained = try ChildProcess.run(Self.binary, ["train", "--data", RegistryTests.fixture, "--target", "income", "--model-id", "adult",
                                                         "--registry", registry, "--folds", "3"])
        try #require(trained.status == 0, "\(trained.stderr)")
        let csv = directory + "/predictions.csv"
        let scored = try ChildProcess.run(Self.binary, ["predict", "--registry", registry, "--model-id", "adult", "--data", RegistryTests.fixture, "--out", csv])
        #expect(scored.status == 0, "\(scored.stderr)")
        #expect(scored.stderr.contains("2,000 rows scored with adult version 1"), "\(scored.stderr)")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "row,label,p_<=50K,p_>50K")
        #expect(lines.count == 2_001)
        // The same labels as the registered classifier predicts on the same table.
        let classifier = try ModelRegistry(directory: registry).classifier("adult", "1")
        let table = try TrainingTable(try DataTable.load(path: RegistryTests.fixture), excluding: ["income"])
        let expected = try classifier.predict(table)
        let written = lines.dropFirst().map { $0.split(separator: ",")[1] }.map(String.init)
        #expect(written == expected)
        // JSON Lines, and a named version that does not exist.
        let jsonl = directory + "/predictions.jsonl"
        #expect(try ChildProcess.run(Self.binary, ["predict", "--registry", registry, "--model-id", "adult", "--data", RegistryTests.fixture, "--out", jsonl]).status == 0)
        let first = try JSONValue.parse(String(try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n")[0]))
        #expect(first["row"]?.intValue == 0 && first["label"]?.stringValue == expected[0])
        let missing = try ChildProcess.run(Self.binary, ["predict", "--registry", registry, "--model-id", "adult", "--version", "9", "--data", RegistryTests.fixture, "--out", csv])
        #expect(missing.status == 1)
    }

    @Test func usageErrorsNameTheProblem() throws {
        let unknownTarget = try ChildProcess.run(Self.binary, ["train", "--data", RegistryTests.fixture, "--target", "nope", "--model-id", "m",
                                                               "--registry", "/tmp/unused-\(UUID().uuidString)"])
        #expect(unknownTarget.status == 64 && unknownTarget.stderr.contains("no column nope"), "\(unknownTarget.stderr)")
        let badID = try ChildProcess.run(Self.binary, ["train", "--data", RegistryTests.fixture, "--target", "income", "--model-id", "../x"])
        #expect(badID.status == 64 && badID.stderr.contains("invalid model id"), "\(badID.stderr)")
    }
}

