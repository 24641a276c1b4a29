import DriftJSON
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

    @Test func usageErrorsNameTheProblem() throws {
        let unknownTarget = try ChildProcess.run(Self.binary, ["train", "--data", RegistryTests.fixture, "--target", "nope", "--model-id", "m",
                                                               "--registry", "/tmp/unused-\(UUID().uuidString)"])
        #expect(unknownTarget.status == 64 && unknownTarget.stderr.contains("no column nope"), "\(unknownTarget.stderr)")
        let badID = try ChildProcess.run(Self.binary, ["train", "--data", RegistryTests.fixture, "--target", "income", "--model-id", "../x"])
        #expect(badID.status == 64 && badID.stderr.contains("invalid model id"), "\(badID.stderr)")
    }
}

