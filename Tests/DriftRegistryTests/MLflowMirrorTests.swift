import DriftCompare
import DriftJSON
import DriftLearn
import DriftRegistry
import DriftRetrain
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The registry mirrored into a real MLflow tracking server (`pip install mlflow`, started here on
/// 127.0.0.1 with a SQLite store): registered model, versions with their run's metrics and artifacts, and
/// the `champion` alias following promotions and a rollback.
@Suite("MLflow mirror against a real MLflow server", .serialized)
struct MLflowMirrorTests {
    /// A running `mlflow server`; stopped on deinit.
    final class Server {
        let process = Process()
        let uri: String
        let directory: String

        init() async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-mlflow-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let socket = try FreePort.take()
            uri = "http://127.0.0.1:\(socket)"
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            // Foundation starts the child as the leader of its own process group, and `env` execs mlflow in place,
            // so the group is the server's PID and holds its uvicorn and job-runner children: `stop` signals it.
            // (`setsid` here used to fork, as it does when called by a group leader: the group signalled was the
            // exited wrapper's, and every run left an MLflow server with its workers running.)
            process.arguments = ["mlflow", "server", "--host", "127.0.0.1", "--port", "\(socket)", "--workers", "1",
                                 "--backend-store-uri", "sqlite:///\(directory)/mlflow.db", "--artifacts-destination", "\(directory)/artifacts"]
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            FileManager.default.createFile(atPath: directory + "/server.log", contents: nil)
            process.standardError = FileHandle(forWritingAtPath: directory + "/server.log")
            try process.run()
            let deadline = ContinuousClock.now + .seconds(90)
            while ContinuousClock.now < deadline {
                if let (_, response) = try? await URLSession.shared.data(from: URL(string: uri + "/health")!),
                   (response as? HTTPURLResponse)?.statusCode == 200 { return }
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            stop()
            throw ServerFailure(description: "mlflow server did not start (is the mlflow package installed? .ci/run installs it): \(log.suffix(2_000))")
        }

        func get(_ endpoint: String) async throws -> JSONValue {
            let (data, _) = try await URLSession.shared.data(from: URL(string: "\(uri)/api/2.0/mlflow/\(endpoint)")!)
            return try JSONValue.parse([UInt8](data))
        }

        /// SIGTERM to the server's whole process group (mlflow leaves uvicorn and huey workers behind otherwise),
        /// SIGKILL to whatever of it is left after five seconds; returns once none of it runs (or 2 s more).
        func stop() {
            let group = process.processIdentifier
            guard group > 0 else { return }
            kill(-group, SIGTERM)
            let deadline = ContinuousClock.now + .seconds(5)
            while groupAlive && ContinuousClock.now < deadline { usleep(50_000) }
            guard groupAlive else { return }
            kill(-group, SIGKILL)  // its job runners outlive SIGTERM
            while groupAlive && ContinuousClock.now < deadline + .seconds(2) { usleep(50_000) }
        }

        /// Whether a process of the server's group is still running (from `/proc`: zombies waiting to be reaped
        /// do not count, though `kill(-group, 0)` would still find them).
        var groupAlive: Bool {
            let group = process.processIdentifier
            guard group > 0, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
            return entries.contains { entry in
                guard Int32(entry) != nil, let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                      let end = stat.lastIndex(of: ")") else { return false }
                // After the command name: state, parent, process group, …
                let fields = stat[stat.index(after: end)...].split(separator: " ")
                return fields.count > 2 && fields[0] != "Z" && Int32(fields[2]) == group
            }
        }

        deinit {
            stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    struct ServerFailure: Error, CustomStringConvertible { var description: String }

    @Test(.timeLimit(.minutes(3)))
    func versionsRunsMetricsArtifactsAndTheChampionAlias() async throws {
        let server = try await Server()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-mlflow-registry-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let mirror = MLflowMirror(trackingURI: server.uri)
        var registry = ModelRegistry(directory: directory, mirror: mirror)
        let failures = FailureLog()
        registry.onMirrorFailure = { failures.add($0) }

        // Version 1 from a file, then a challenger on changed data: promoted.
        var training = InitialTraining(modelID: "adult", target: "income")
        training.folds = 3
        _ = try training.run(try DataTable.load(path: RegistryTests.fixture), registry: registry)
        #expect(failures.all.isEmpty, "\(failures.all)")
        let rows = try LabelledStore(directory: directory).training(model: "adult")
        // The newest labelled rows: the same data with the label flipped where age < 30 (a concept change).
        let changed = rows.enumerated().map { index, row -> LabelledRow in
            var copy = row
            copy.time = Int64(10_000 + index)
            if case .number(let age)? = row.features["age"], age < 30 { copy.label = row.label == ">50K" ? "<=50K" : ">50K" }
            return copy
        }
        try LabelledStore(directory: directory).append(changed, model: "adult")
        var retrainer = Retrainer(registry: registry, store: LabelledStore(directory: directory))
        retrainer.folds = 3
        retrainer.promotion.guardTolerance = 1
        let outcome = try retrainer.retrain("adult", trigger: "manual", detail: "test")
        #expect(failures.all.isEmpty, "\(failures.all)")

        let model = try await server.get("registered-models/get?name=adult")
        #expect(model["registered_model"]?["name"]?.stringValue == "adult")
        let versions = try await server.get("model-versions/search?filter=name%3D%27adult%27")
        let list = versions["model_versions"]?.arrayValue ?? []
        #expect(list.count == 2)
        let champion = try #require(try mirror.champion("adult"))
        let expected = outcome.promoted ? "2" : "1"
        #expect(try mirror.mlflowVersion("adult", driftwatchVersion: expected) == champion, "champion alias")

        // The run of version 1 carries its metrics and artifacts.
        let first = try #require(list.first { version in
            version["tags"]?.arrayValue?.contains { $0["key"]?.stringValue == "driftwatch.version" && $0["value"]?.stringValue == "1" } == true
        })
        let runID = try #require(first["run_id"]?.stringValue)
        let run = try await server.get("runs/get?run_id=\(runID)")
        let metrics = run["run"]?["data"]?["metrics"]?.arrayValue ?? []
        let accuracy = try #require(metrics.first { $0["key"]?.stringValue == "accuracy" }?["value"]?.doubleValue)
        #expect(abs(accuracy - (try registry.record("adult", "1").metric("accuracy") ?? 0)) < 1e-9)
        let artifacts = try await server.get("artifacts/list?run_id=\(runID)&path=model")
        #expect(Set(artifacts["files"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []) == ["model/model.json", "model/profile.json", "model/version.json"])

        // A rollback moves the alias back.
        if outcome.promoted {
            _ = try Rollback.run(registry, model: "adult", reason: "test")
            #expect(try mirror.champion("adult") == mirror.mlflowVersion("adult", driftwatchVersion: "1"))
        }
        #expect(failures.all.isEmpty, "\(failures.all)")

        // A server that is gone is reported, and the local registration still succeeds.
        var offline = ModelRegistry(directory: directory, mirror: MLflowMirror(trackingURI: "http://127.0.0.1:1"))
        offline.onMirrorFailure = { failures.add($0) }
        _ = try training.run(try DataTable.load(path: RegistryTests.fixture), registry: offline)
        #expect(try offline.versions("adult").count == 3)
        // Two failures: the version's registration and its `registered` event; both logged beside the model.
        #expect(failures.all.count == 2 && failures.all.allSatisfy { $0.contains("127.0.0.1:1") }, "\(failures.all)")
        let logged = (try? String(contentsOfFile: directory + "/adult/mirror-failures.log", encoding: .utf8)) ?? ""
        #expect(logged.split(separator: "\n").count == 2)

        // Stopping the server stops its workers too: nothing of its process group outlives the test.
        #expect(server.groupAlive, "the server's process group is the one signalled")
        server.stop()
        #expect(!server.groupAlive, "mlflow server or one of its workers still running after stop")
    }
}

final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}

enum FreePort {
    /// A TCP port free on 127.0.0.1 at the time of asking, from 20,000–32,000: below the kernel's ephemeral
    /// range, so it cannot be one an in-process mock broker (tests of broker outages) is about to re-bind.
    static func take() throws -> Int {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let candidate = UInt16.random(in: 20_000..<32_000, using: &random)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(descriptor) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = candidate.bigEndian
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound == 0 { return Int(candidate) }
        }
        throw PortFailure()
    }

    struct PortFailure: Error {}
}
