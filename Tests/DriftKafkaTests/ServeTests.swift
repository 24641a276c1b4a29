import DriftJSON
import DriftKafka
import DriftLearn
import DriftRegistry
import DriftTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension ProcessHeavy {
    /// `driftwatch serve` as a user runs it, against `driftwatch broker`: one and batch predictions equal to the
    /// registry's classifier, each published as a schema-valid inference event (and a shadow one for the newer
    /// version), the OpenAPI document, clear 400s, and a hot swap when a promotion's model-version event arrives.
    @Suite("driftwatch serve on the dev broker", .serialized, .timeLimit(.minutes(4)))
    struct ServeTests {
        static func post(_ url: String, _ body: String) async throws -> (status: Int, json: JSONValue?) {
            var request = URLRequest(url: URL(string: url)!)
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, try? JSONValue.parse(Array(data)))
        }

        @Test func predictsPublishesShadowsAndSwaps() async throws {
            let binary = try ExternalProcess.driftwatchBinary()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-serve-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }

            // Version 1 (champion) learns x + y > 0; version 2 (registered, not promoted) learns x − y > 0.
            let registry = ModelRegistry(directory: directory.path)
            for (seed, concept) in [(UInt64(1), { (x: Double, y: Double) in x + y > 0 }), (2, { x, y in x - y > 0 })] {
                let rows = RetrainWorkerTests.rows(600, seed: seed, concept: concept)
                let table = try TrainingTable([("x", .numeric(rows.map(\.x))), ("y", .numeric(rows.map(\.y))), ("c", .categorical(rows.map(\.c)))])
                var training = InitialTraining(modelID: "m", target: "label")
                training.folds = 3
                _ = try training.run(features: table, labels: rows.map(\.label), source: "synthetic", registry: registry)
            }
            #expect(try registry.champion("m") == "1")

            let broker = try await BrokerProcess(arguments: ["--brokers", "1", "--partitions", "2"])
            let port = try KafkaTestSupport.freePort()
            let server = try MonitorProcess("serve", binary: binary, arguments: [
                "--registry", directory.path, "--model-id", "m", "--bootstrap-servers", broker.bootstrapServers,
                "--http-address", "127.0.0.1:\(port)", "--shadow", "latest", "-X", "log_level=3",
            ], directory: directory, command: "serve")
            let base = "http://127.0.0.1:\(port)"
            let up = await KafkaTestSupport.waitUntil(timeout: .seconds(60)) { await HTTPProbe.json(base + "/v1/model") != nil }
            try #require(up, "serve did not come up: \(server.stderr)")

            // One prediction: the label the registry's classifier gives, with probabilities summing to one.
            let single = try await Self.post(base + "/v1/predict", #"{"features":{"x":0.2,"y":0.9,"c":"a"},"event_id":"one"}"#)
            #expect(single.status == 200)
            #expect(single.json?["model_version"]?.stringValue == "1")
            #expect(single.json?["event_id"]?.stringValue == "one")
            #expect(single.json?["label"]?.stringValue == "yes")
            let probabilities = single.json?["probabilities"]?.objectValue?.compactMap { $0.1.doubleValue } ?? []
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-9)
            #expect(single.json?["shadow"]?["model_version"]?.stringValue == "2")
            #expect(single.json?["shadow"]?["label"]?.stringValue == "no", "version 2 learned x − y > 0: 0.2 − 0.9 < 0")

            // A batch, in order, against the classifier loaded here.
            let batch = try await Self.post(base + "/v1/predict/batch",
                #"{"instances":[{"features":{"x":-0.9,"y":-0.9,"c":"b"}},{"features":{"x":0.5,"y":0.6}},{"x":0.7,"y":-0.2,"c":"z"}]}"#)
            #expect(batch.status == 200)
            let labels = batch.json?["predictions"]?.arrayValue?.compactMap { $0["label"]?.stringValue } ?? []
            let classifier = try registry.classifier("m", "1")
            let expected = try classifier.predict(TrainingTable([("x", .numeric([-0.9, 0.5, 0.7])), ("y", .numeric([-0.9, 0.6, -0.2])), ("c", .categorical(["b", nil, "z"]))]))
            #expect(labels == expected)

            // Refusals are clear and counted.
            let broken = try await Self.post(base + "/v1/predict", #"{"features":{"x":[1]}}"#)
            #expect(broken.status == 400)
            #expect(broken.json?["error"]?.stringValue?.contains("features.x") == true)
            #expect(try await Self.post(base + "/v1/predict/batch", #"{"instances":[]}"#).status == 400)
            #expect(try await Self.post(base + "/v1/predict", "not json").status == 400)

            // The OpenAPI document names every route.
            let openAPI = await HTTPProbe.json(base + "/openapi.json")
            #expect(openAPI?["openapi"]?.stringValue == "3.0.3")
            let paths = Set(openAPI?["paths"]?.objectValue?.map(\.0) ?? [])
            #expect(paths.isSuperset(of: ["/v1/predict", "/v1/predict/batch", "/v1/model", "/healthz", "/readyz", "/metrics"]))

            // Four predictions → four champion events and four shadow events, each valid against the schema.
            var configuration = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
            configuration.clientID = "serve-test"
            let reader = configuration
            let published = await KafkaTestSupport.waitUntil(timeout: .seconds(20)) {
                ((try? await KafkaRangeReader.read(configuration: reader, topic: "inference-events", partitions: [0, 1])) ?? []).count >= 8
            }
            let messages = try await KafkaRangeReader.read(configuration: reader, topic: "inference-events", partitions: [0, 1])
            try #require(published && messages.count == 8, "\(messages.count) inference events")
            let events = messages.compactMap { try? JSONValue.parse($0.value) }
            #expect(events.filter { $0["shadow"]?.boolValue == true }.count == 4)
            #expect(events.filter { $0["shadow"]?.boolValue != true }.allSatisfy { $0["model_version"]?.stringValue == "1" })
            #expect(events.contains { $0["event_id"]?.stringValue == "one" && $0["prediction"]?["label"]?.stringValue == "yes" })
            let outcomes = try SchemaValidation.validate(documents: messages.map(\.value), schema: "inference-event.schema.json")
            #expect(outcomes.allSatisfy { $0.valid }, "\(outcomes.filter { !$0.valid }.map(\.errors))")

            // Promote version 2 and announce it: the server swaps without a restart; no shadow is left.
            let record = try registry.record("m", "2")
            let event = ModelVersionEvent.json(record, status: "champion", at: 1_800_000_000_000, reasons: ["test"])
            try registry.promote("m", "2", event: event, at: 1_800_000_000_000)
            let producer = try KafkaProducer(configuration: configuration)
            _ = try await producer.send(KafkaProducerMessage(topic: "model-versions", key: "m", value: event.serialized()))
            let swapped = await KafkaTestSupport.waitUntil(timeout: .seconds(20)) {
                await HTTPProbe.json(base + "/v1/model")?["champion"]?["version"]?.stringValue == "2"
            }
            #expect(swapped, "\(server.stderr.suffix(2_000))")
            let after = try await Self.post(base + "/v1/predict", #"{"features":{"x":0.2,"y":0.9,"c":"a"}}"#)
            #expect(after.json?["model_version"]?.stringValue == "2")
            #expect(after.json?["shadow"] == nil)
            let metrics = await HTTPProbe.text(base + "/metrics") ?? ""
            #expect(metrics.contains(#"driftwatch_serve_predictions_total{model="m",version="1",role="champion"} 4"#), "\(metrics)")
            #expect(metrics.contains("driftwatch_serve_model_swaps_total 1"))

            // A batch job: `driftwatch predict` publishes its predictions like the server, with ids and labels.
            let file = directory.appendingPathComponent("batch.csv").path
            try "id,x,y,c,truth\nb1,0.5,0.5,a,yes\nb2,-0.5,-0.4,b,no\n".write(toFile: file, atomically: true, encoding: .utf8)
            let batchJob = try await ExternalProcess.run(binary.path, [
                "predict", "--registry", directory.path, "--model-id", "m", "--data", file, "--out", directory.appendingPathComponent("out.csv").path,
                "--id-column", "id", "--label-column", "truth", "--bootstrap-servers", broker.bootstrapServers,
            ])
            #expect(batchJob.status == 0, "\(batchJob.stderr)")
            let batchEvents = try await KafkaRangeReader.read(configuration: reader, topic: "inference-events", partitions: [0, 1])
                .compactMap { try? JSONValue.parse($0.value) }.filter { $0["event_id"]?.stringValue?.hasPrefix("b") == true }
            #expect(batchEvents.count == 2)
            #expect(batchEvents.allSatisfy { $0["model_version"]?.stringValue == "2" && $0["label"] != nil })
            _ = await server.stop()
            _ = await broker.stop()

            // With a read token, every route but the probes needs it, predictions included.
            let token = "serve-read-token-\(UUID().uuidString)"
            let guardedPort = try KafkaTestSupport.freePort()
            let guarded = try MonitorProcess("serve-guarded", binary: binary, arguments: [
                "--registry", directory.path, "--model-id", "m", "--no-publish", "--http-address", "127.0.0.1:\(guardedPort)",
            ], directory: directory, command: "serve", environment: ["DRIFTWATCH_API_READ_TOKEN": token])
            let guardedBase = "http://127.0.0.1:\(guardedPort)"
            let guardedUp = await KafkaTestSupport.waitUntil(timeout: .seconds(30)) { await HTTPProbe.text(guardedBase + "/healthz") == "ok\n" }
            #expect(guardedUp, "\(guarded.stderr)")
            func status(_ path: String, _ method: String, _ bearer: String?) async throws -> Int {
                var request = URLRequest(url: try #require(URL(string: guardedBase + path)))
                request.httpMethod = method
                if method == "POST" { request.httpBody = Data(#"{"features":{"x":0.2,"y":0.9,"c":"a"}}"#.utf8) }
                if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
                let (_, response) = try await URLSession.shared.data(for: request)
                return (response as? HTTPURLResponse)?.statusCode ?? -1
            }
            for (path, method) in [("/v1/model", "GET"), ("/metrics", "GET"), ("/v1/predict", "POST")] {
                let none = try await status(path, method, nil)
                let wrong = try await status(path, method, "wrong-token-0123456789")
                let right = try await status(path, method, token)
                let statuses: [Int] = [none, wrong, right]
                #expect(statuses == [401, 403, 200], "\(method) \(path)")
            }
            let ready = try await status("/readyz", "GET", nil)
            #expect(ready == 200)
            _ = await guarded.stop()
            #expect(!guarded.stderr.contains(token))
        }
    }
}
