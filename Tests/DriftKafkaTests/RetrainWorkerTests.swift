import DriftJSON
import DriftStats
import DriftKafka
import DriftLearn
import DriftRegistry
import DriftTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

extension ProcessHeavy {
    /// The retraining worker as a separate `driftwatch retrain` process against a `driftwatch broker` process:
    /// labelled inference events and a CRITICAL drift event in, a promoted version that beats the old one out
    /// (with its model-version event); a second drift event inside the cooldown does nothing; two windows of
    /// the new version below the old one's figure roll it back by themselves; `driftwatch rollback` by hand.
    @Suite("Retraining worker on the dev broker", .serialized)
    struct RetrainWorkerTests {
        static func rows(_ count: Int, seed: UInt64, concept: (Double, Double) -> Bool) -> [(x: Double, y: Double, c: String, label: String)] {
            var generator = SplitMix64(seed: seed)
            return (0..<count).map { _ in
                let x = Double.random(in: -1...1, using: &generator), y = Double.random(in: -1...1, using: &generator)
                return (x, y, ["a", "b", "c"][Int.random(in: 0..<3, using: &generator)], concept(x, y) ? "yes" : "no")
            }
        }

        static func driftEvent(id: String, version: String, severity: String, accuracy: Double? = nil, labelled: Int = 0) -> String {
            let performance = accuracy.map {
                #"{"severity":"CRITICAL","labelled":\#(labelled),"metrics":{"accuracy":\#($0)},"baseline":{"accuracy":0.95},"triggers":[]}"#
            } ?? "null"
            return #"""
                {"schema_version":"1","event_id":"\#(id)","model_id":"m","model_version":"\#(version)","window":{"start":"2026-11-23T10:00:00.000Z","end":"2026-11-23T10:01:00.000Z"},"severity":"\#(severity)","features":[{"name":"x","type":"numeric","severity":"\#(severity)","metrics":{},"triggers":[{"metric":"psi","value":0.4,"threshold":0.25,"severity":"\#(severity)"}]}],"prediction":null,"performance":\#(performance),"reasons":[],"evaluated_at":"2026-11-23T10:01:01.000Z"}
                """#
        }

        /// A registry whose model `m` learned x + y > 0, a broker, a `driftwatch retrain` worker with `extra`
        /// arguments, and 2,000 labelled inference events of the changed world (x − y > 0) stored by it.
        final class Scenario: @unchecked Sendable {
            let binary: String
            let directory: String
            let registry: ModelRegistry
            let broker: BrokerProcess
            let httpPort: UInt16
            let worker: MonitorProcess
            let producer: KafkaProducer
            var bootstrap: String { broker.bootstrapServers }

            /// `regression`: `m` is a ridge regressor of x + 2y (+5 for c = "a"), and the events' labels follow 3x − y instead.
            init(extra: [String] = [], environment: [String: String] = [:], regression: Bool = false) async throws {
                binary = try ExternalProcess.driftwatchBinary().path
                directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-retrain-\(UUID().uuidString)").path
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                let original = RetrainWorkerTests.rows(1_500, seed: 1) { $0 + $1 > 0 }
                let table = try TrainingTable([("x", .numeric(original.map(\.x))), ("y", .numeric(original.map(\.y))), ("c", .categorical(original.map(\.c)))])
                var initial = InitialTraining(modelID: "m", target: "label")
                initial.folds = 3
                registry = ModelRegistry(directory: directory)
                if regression {
                    _ = try initial.runRegression(features: table, labels: original.map { $0.x + 2 * $0.y + ($0.c == "a" ? 5 : 0) }, source: "synthetic", registry: registry)
                } else {
                    _ = try initial.run(features: table, labels: original.map(\.label), source: "synthetic", registry: registry)
                }
                // A second attempt if the first broker does not come up (a busy machine running every suite at once).
                do { broker = try await BrokerProcess(arguments: ["--brokers", "1", "--partitions", "3"]) } catch {
                    broker = try await BrokerProcess(arguments: ["--brokers", "1", "--partitions", "3"])
                }
                httpPort = try KafkaTestSupport.freePort()
                worker = try MonitorProcess("retrain", binary: URL(fileURLWithPath: binary), arguments: [
                    "--registry", directory, "--bootstrap-servers", broker.bootstrapServers, "--http-address", "127.0.0.1:\(httpPort)",
                    "--cooldown", "10m", "--min-new-labelled", "500", "-X", "session.timeout.ms=6000", "-X", "log_level=3",
                ] + extra, directory: URL(fileURLWithPath: directory), command: "retrain", environment: environment)
                producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: broker.bootstrapServers))
                let changed = RetrainWorkerTests.rows(2_000, seed: 2) { $0 - $1 > 0 }
                let events = changed.enumerated().map { index, row in
                    let outcome = regression ? #""prediction":{"score":\#(row.x + 2 * row.y)},"label":\#(3 * row.x - row.y + (row.c == "a" ? 5 : 0))"#
                        : #""prediction":{"label":"no"},"label":"\#(row.label)""#
                    return KafkaProducerMessage(topic: "inference-events", key: "m", value: #"""
                        {"event_id":"e\#(index)","model_id":"m","model_version":"1","timestamp":"2026-11-23T10:00:\#(String(format: "%02d", index % 60)).000Z","features":{"x":\#(row.x),"y":\#(row.y),"c":"\#(row.c)"},\#(outcome)}
                        """#)
                }
                for result in await producer.send(contentsOf: events) { _ = try result.get() }
                try await waitFor("2,000 labelled rows", 60) { $0["labelled_rows"]?.intValue == 2_000 }
            }

            func status() async -> JSONValue? { await HTTPProbe.json("http://127.0.0.1:\(httpPort)/api/retrain/status") }

            /// Waits for `condition` on the worker's status; fails with the last status and the worker's log.
            func waitFor(_ what: String, _ seconds: Int, _ condition: @escaping @Sendable (JSONValue) -> Bool) async throws {
                let met = await KafkaTestSupport.waitUntil(timeout: .seconds(seconds)) { (await self.status()).map(condition) ?? false }
                let last = await status()
                try #require(met, "\(what): \(last?.serialized() ?? "no answer")\n\(worker.stderr.suffix(3_000))")
            }

            func finish() async {
                #expect(await worker.stop(timeout: .seconds(30)) == 0, "\(worker.stderr.suffix(2_000))")
                await producer.close()
                _ = await broker.stop()
                try? FileManager.default.removeItem(atPath: directory)
            }
        }

        @Test func driftInAPromotedVersionOutThenCooldownAndRollbacks() async throws {
            let scenario = try await Scenario()
            let (binary, directory, registry, bootstrap, producer) = (scenario.binary, scenario.directory, scenario.registry, scenario.bootstrap, scenario.producer)
            let status = { @Sendable () async -> JSONValue? in await scenario.status() }
            func waitFor(_ what: String, _ seconds: Int, _ condition: @escaping @Sendable (JSONValue) -> Bool) async throws {
                try await scenario.waitFor(what, seconds, condition)
            }
            _ = try await producer.send(KafkaProducerMessage(topic: "drift-events", key: "m", value: Self.driftEvent(id: "m@1/w1", version: "1", severity: "CRITICAL")))
            try await waitFor("a promotion", 120) { $0["promotions"]?.intValue == 1 }
            #expect(try registry.champion("m") == "2")
            let record = try registry.record("m", "2")
            let challenger = try #require(record.metric("holdout_accuracy")), champion = try #require(record.metric("champion_holdout_accuracy"))
            #expect(challenger > champion + 0.2, "challenger \(challenger), champion \(champion) on the newest held-out rows")
            #expect(record.trigger == "drift" && record.triggerDetail?.contains("x psi CRITICAL") == true)

            // Inside the cooldown a second CRITICAL event is logged and skipped.
            _ = try await producer.send(KafkaProducerMessage(topic: "drift-events", key: "m", value: Self.driftEvent(id: "m@2/w2", version: "2", severity: "CRITICAL")))
            try await waitFor("a skip in cooldown", 30) { document in
                document["decisions"]?.arrayValue?.contains { $0["reason"]?.stringValue?.contains("in cooldown") == true } == true
            }
            let trainings = await status()?["trainings"]?.intValue
            #expect(trainings == 1)

            // Version 2 then does worse than version 1 did in two labelled windows: it is rolled back by itself.
            for window in 3...4 {
                _ = try await producer.send(KafkaProducerMessage(topic: "drift-events", key: "m", value: Self.driftEvent(
                    id: "m@2/w\(window)", version: "2", severity: "WARNING", accuracy: 0.3, labelled: 200)))
            }
            try await waitFor("an automatic rollback", 30) { $0["rollbacks"]?.intValue == 1 }
            #expect(try registry.champion("m") == "1")

            // By hand, back to version 2.
            let manual = try await ExternalProcess.run(binary, ["rollback", "--registry", directory, "--model-id", "m", "--to", "2", "--bootstrap-servers", bootstrap])
            #expect(manual.status == 0, "\(manual.stderr)")
            #expect(try registry.champion("m") == "2")

            // Every outcome is on model-versions, in order, each a valid event.
            let published = try await KafkaTestSupport.readAll(bootstrap: bootstrap, topic: "model-versions", expected: 5, timeout: .seconds(30))
            let documents = try published.map { try JSONValue.parse($0) }
            #expect(documents.map { "\($0["version"]?.stringValue ?? "?"):\($0["status"]?.stringValue ?? "?")" } == ["2:champion", "2:rolled_back", "1:champion", "1:rolled_back", "2:champion"])
            let outcomes = try SchemaValidation.validate(documents: published, schema: "model-version-event.schema.json")
            #expect(outcomes.allSatisfy { $0.valid }, "\(outcomes.flatMap { $0.errors })")
            await scenario.finish()
        }

        /// A regression model: numeric labels in the events, a CRITICAL drift event, and the worker trains a ridge
        /// challenger on the changed relation that beats the champion's RMSE on the held-out rows and is promoted.
        @Test func aRegressionModelIsRetrainedWithRidgeRegression() async throws {
            let scenario = try await Scenario(regression: true)
            _ = try await scenario.producer.send(KafkaProducerMessage(
                topic: "drift-events", key: "m", value: Self.driftEvent(id: "m@1/w1", version: "1", severity: "CRITICAL")))
            try await scenario.waitFor("a promotion", 120) { $0["promotions"]?.intValue == 1 }
            #expect(try scenario.registry.champion("m") == "2" && scenario.registry.isRegressor("m", "2"))
            let record = try scenario.registry.record("m", "2")
            let challenger = try #require(record.metric("holdout_rmse")), champion = try #require(record.metric("champion_holdout_rmse"))
            // Trained on the old rows and the new mixed, it is still far closer to the new relation than the champion.
            #expect(challenger < champion / 2, "challenger RMSE \(challenger), champion \(champion)")
            let published = try await KafkaTestSupport.readAll(bootstrap: scenario.bootstrap, topic: "model-versions", expected: 1, timeout: .seconds(30))
            let event = try JSONValue.parse(try #require(published.first))
            #expect(event["status"]?.stringValue == "champion" && event["profile"]?["prediction"]?["residual"] != nil)
            await scenario.finish()
        }

        /// `promotion.approval: manual`: the validated challenger waits as pending (published so); the worker's
        /// approval endpoint refuses requests without the token (401) or with a wrong one (403, through the CLI);
        /// `driftwatch approve` with the token promotes it.
        @Test func aPendingChallengerIsPromotedByAnAuthenticatedApproval() async throws {
            let token = "approval-token-\(UUID().uuidString)"
            let scenario = try await Scenario(extra: ["--approval", "manual", "--approval-timeout", "10m"], environment: ["DRIFTWATCH_API_TOKEN": token])
            _ = try await scenario.producer.send(KafkaProducerMessage(
                topic: "drift-events", key: "m", value: Self.driftEvent(id: "m@1/w1", version: "1", severity: "CRITICAL")))
            try await scenario.waitFor("a pending challenger", 120) { $0["approvals"]?["pending"]?.intValue == 1 }
            #expect(try scenario.registry.champion("m") == "1", "nothing is promoted before the approval")
            let pending = await scenario.status()?["pending"]?.arrayValue?.first
            #expect(pending?["version"]?.stringValue == "2")

            let url = "http://127.0.0.1:\(scenario.httpPort)"
            var request = URLRequest(url: try #require(URL(string: url + "/api/models/m/versions/2/approve")))
            request.httpMethod = "POST"
            let (body, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 401, "\(String(decoding: body, as: UTF8.self))")
            #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            let wrong = try await ExternalProcess.run(scenario.binary, ["approve", "m", "2", "--url", url, "--token", "not-the-token-at-all"])
            #expect(wrong.status == 3 && wrong.stderr.contains("HTTP 403"), "\(wrong.stderr)")
            #expect(!wrong.stderr.contains(token))
            #expect(try scenario.registry.champion("m") == "1")

            let approved = try await ExternalProcess.run(scenario.binary, ["approve", "m", "2", "--url", url, "--by", "alice"],
                                                         environment: ["DRIFTWATCH_API_TOKEN": token])
            #expect(approved.status == 0, "\(approved.stderr)")
            #expect(try scenario.registry.champion("m") == "2")
            try await scenario.waitFor("the approval counted", 10) { $0["approvals"]?["approved"]?.intValue == 1 && $0["approvals"]?["pending"]?.intValue == 0 }
            let again = try await ExternalProcess.run(scenario.binary, ["approve", "m", "2", "--url", url], environment: ["DRIFTWATCH_API_TOKEN": token])
            #expect(again.status == 1 && again.stderr.contains("HTTP 404"), "\(again.stderr)")

            let published = try await KafkaTestSupport.readAll(bootstrap: scenario.bootstrap, topic: "model-versions", expected: 2, timeout: .seconds(30))
            let documents = try published.map { try JSONValue.parse($0) }
            #expect(documents.map { "\($0["version"]?.stringValue ?? "?"):\($0["status"]?.stringValue ?? "?"):\($0["approval"]?["state"]?.stringValue ?? "?")" }
                    == ["2:pending:pending", "2:champion:approved"])
            #expect(documents.last?["approval"]?["by"]?.stringValue == "alice")

            // Rolling back and promoting by hand go through the same guard.
            var rollback = URLRequest(url: try #require(URL(string: url + "/api/models/m/rollback")))
            rollback.httpMethod = "POST"
            rollback.httpBody = Data(#"{"by":"bob","reason":"the new version misbehaves"}"#.utf8)
            let (_, refused) = try await URLSession.shared.data(for: rollback)
            #expect((refused as? HTTPURLResponse)?.statusCode == 401)
            #expect(try scenario.registry.champion("m") == "2")
            rollback.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            let (rolledBody, rolled) = try await URLSession.shared.data(for: rollback)
            #expect((rolled as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: rolledBody, as: UTF8.self))")
            #expect(try scenario.registry.champion("m") == "1")
            let promoted = try await ExternalProcess.run(scenario.binary, ["promote", "m", "2", "--url", url, "--by", "carol", "--reason", "fixed"],
                                                         environment: ["DRIFTWATCH_API_TOKEN": token])
            #expect(promoted.status == 0, "\(promoted.stderr)")
            #expect(try scenario.registry.champion("m") == "2")
            let all = try await KafkaTestSupport.readAll(bootstrap: scenario.bootstrap, topic: "model-versions", expected: 5, timeout: .seconds(30))
            #expect(try all.map { try JSONValue.parse($0) }.suffix(3).map { "\($0["version"]?.stringValue ?? "?"):\($0["status"]?.stringValue ?? "?")" }
                    == ["2:rolled_back", "1:champion", "2:champion"])
            #expect(!scenario.worker.stderr.contains(token), "the token never reaches the log")
            await scenario.finish()
        }
    }
}
