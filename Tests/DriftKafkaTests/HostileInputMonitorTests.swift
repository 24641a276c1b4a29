import DriftContracts
import DriftJSON
import DriftKafka
import DriftMonitor
import DriftTestSupport
import Foundation
import Testing

extension ProcessHeavy {
    /// The hostile-input corpus pushed through a running `driftwatch monitor` on the dev broker, between good
    /// events on every partition: each bad event lands on the dead-letter topic once, with its class's reason and
    /// its original bytes; the counts in `/metrics` match; the monitor keeps running and evaluates every good event.
    @Suite("Hostile input through a running monitor", .timeLimit(.minutes(4)))
    struct HostileInputMonitorTests {
        @Test func everyClassIsDeadLetteredWithItsReasonAndEveryGoodEventIsEvaluated() async throws {
            let binary = try ExternalProcess.driftwatchBinary()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-hostile-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let broker = try await BrokerProcess(arguments: ["--brokers", "1", "--partitions", "3", "--port", "\(try KafkaTestSupport.freePort())"])
            let bootstrap = broker.bootstrapServers

            // Two profiles; the monitor watches at most one model version, so the second is refused by the limit.
            let stream = SyntheticStream(seed: 7)
            let profile = try stream.profile(rows: 2_000)
            var overLimit = profile
            overLimit.modelID = "over-limit"
            let profilePath = directory.appendingPathComponent("profile.json")
            let overLimitPath = directory.appendingPathComponent("over-limit.json")
            try Data(profile.json()).write(to: profilePath)
            try Data(overLimit.json()).write(to: overLimitPath)
            let maximumPayload = 256 << 10
            let config = directory.appendingPathComponent("monitor.yaml")
            try """
                window:
                  grace: 0s
                completion_timeout: 5s
                limits:
                  max_models: 1
                  max_payload_bytes: \(maximumPayload)
                kafka:
                  properties:
                    session.timeout.ms: 6000
                    heartbeat.interval.ms: 500
                    log_level: 3
                """.write(to: config, atomically: true, encoding: .utf8)

            // Three 10 s windows of good events an hour ago on 3 partitions, a hostile event after every 15th good
            // one, then a late event (its window closed) and one good event per partition 40 s on, which closes them.
            let window: Int64 = 10_000
            let now = Int64(Date().timeIntervalSince1970 * 1_000)
            let start = (now - 3_600_000) / window * window
            var context = HostileCorpus.Context(timestamp: start + 5_000, now: now)
            context.model = profile.modelID
            context.maximumPayloadBytes = maximumPayload
            var cases = HostileCorpus.cases(context)
            let goodCount = 1_800
            try #require(cases.count * 15 < goodCount)
            var messages: [KafkaProducerMessage] = []
            var hostileIndex = 0
            for index in 0..<goodCount {
                let time = start + Int64(index) * 3 * window / Int64(goodCount)
                messages.append(KafkaProducerMessage(topic: "inference-events", partition: Int32(index % 3), value: stream.record(index, timestamp: time).json()))
                if index % 15 == 7, hostileIndex < cases.count {
                    let hostile = cases[hostileIndex]
                    messages.append(KafkaProducerMessage(
                        topic: hostile.topic == "feedback" ? "feedback-events" : "inference-events", partition: Int32(hostileIndex % 3),
                        key: Array(hostile.key.utf8), value: hostile.payload))
                    hostileIndex += 1
                }
            }
            try #require(hostileIndex == cases.count)
            let late = HostileCorpus.Case(name: "late_event", topic: "inference", payload: stream.record(900_000, timestamp: start - 1_000).json(), reason: "late_event")
            cases.append(late)
            messages.append(KafkaProducerMessage(topic: "inference-events", partition: 0, key: Array(late.key.utf8), value: late.payload))
            for partition in 0..<3 {
                messages.append(KafkaProducerMessage(
                    topic: "inference-events", partition: Int32(partition), value: stream.record(800_000 + partition, timestamp: start + 4 * window).json()))
            }
            let good = goodCount + 3
            var producerConfiguration = KafkaConfiguration(bootstrapServers: bootstrap)
            producerConfiguration.properties["log_level"] = "3"
            let producer = try KafkaProducer(configuration: producerConfiguration)
            try await producer.enqueue(contentsOf: messages)
            try await producer.flush()
            await producer.close()

            let httpPort = try KafkaTestSupport.freePort()
            let monitor = try MonitorProcess("monitor", binary: binary, arguments: [
                "--config", config.path, "--bootstrap-servers", bootstrap, "--profile", profilePath.path, "--profile", overLimitPath.path,
                "--window", "10s", "--no-checkpoint", "--http-address", "127.0.0.1:\(httpPort)",
            ], directory: directory)
            let base = "http://127.0.0.1:\(httpPort)"
            let expectedLetters = cases.count
            let settled = await KafkaTestSupport.waitUntil(timeout: .seconds(90)) {
                guard let status = await HTTPProbe.json(base + "/api/status") else { return false }
                let dead = (status["dead_letters"]?.objectValue ?? []).reduce(0) { $0 + ($1.1.intValue ?? 0) }
                return status["inference_accepted"]?.intValue == good && dead == expectedLetters && (status["drift_events_produced"]?.intValue ?? 0) >= 3
            }
            let statusText = await HTTPProbe.text(base + "/api/status") ?? "no status"
            #expect(settled, "\(statusText)\n\(monitor.stderr.suffix(3_000))")
            let fetched = await HTTPProbe.json(base + "/api/status")
            let status = try #require(fetched)
            #expect(status["profiles_refused"]?["models"]?.intValue == 1)
            let scraped = await HTTPProbe.text(base + "/metrics")
            let exposition = try #require(scraped)
            func sample(_ series: String) -> Double? {
                exposition.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
            }
            let tally = Dictionary(grouping: cases, by: \.reason).mapValues(\.count)
            for (reason, count) in tally {
                #expect(sample(#"driftwatch_dead_letters_total{reason="\#(reason)"}"#) == Double(count), "\(reason)")
            }
            #expect(sample(#"driftwatch_limits_reached_total{limit="payload_bytes"}"#) == 1)
            #expect(sample(#"driftwatch_limits_reached_total{limit="features_per_event"}"#) == 1)
            #expect(sample(#"driftwatch_limits_reached_total{limit="models"}"#) == 1)
            // The binary runs on jemalloc (linked on Linux), whose counts say where resident memory goes.
            let allocated = try #require(sample(#"driftwatch_allocator_allocated_bytes{allocator="jemalloc"}"#), "\(exposition.suffix(2_000))")
            let held = try #require(sample(#"driftwatch_allocator_resident_bytes{allocator="jemalloc"}"#))
            let resident = try #require(sample("process_resident_memory_bytes"))
            #expect(allocated > 1_000_000 && held >= allocated && resident >= allocated, "allocated \(allocated), allocator resident \(held), RSS \(resident)")
            #expect((sample("process_open_fds") ?? 0) > 3 && (sample("process_threads") ?? 0) > 1)
            #expect(monitor.process.isRunning, "the monitor is still up")
            let exit = await monitor.stop()
            #expect(exit == 0, "an orderly stop: \(monitor.stderr.suffix(2_000))")

            // The dead-letter topic: each class once, with its reason and its original bytes.
            let letters = try await KafkaTestSupport.readAll(bootstrap: bootstrap, topic: "driftwatch.dead-letter", expected: cases.count, timeout: .seconds(30))
            #expect(letters.count == cases.count)
            var byKey: [String: JSONValue] = [:]
            for letter in letters {
                let record = try JSONValue.parse(letter)
                let key = record["source"]?["key_base64"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) } ?? "?"
                #expect(byKey[key] == nil, "\(key) twice")
                byKey[key] = record
            }
            var mismatches: [String] = []
            for hostile in cases {
                guard let record = byKey[hostile.key] else { mismatches.append("\(hostile.name): no dead letter"); continue }
                if record["reason"]?.stringValue != hostile.reason {
                    mismatches.append("\(hostile.name): \(record["reason"]?.stringValue ?? "?") (\(record["message"]?.stringValue ?? "")), expected \(hostile.reason)")
                }
                let kept = record["payload_base64"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map(Array.init) ?? []
                let truncated = record["truncated"]?.boolValue == true
                if truncated ? !hostile.payload.starts(with: kept) : kept != hostile.payload { mismatches.append("\(hostile.name): payload not kept") }
                if record["payload_size"]?.intValue != hostile.payload.count { mismatches.append("\(hostile.name): payload size") }
            }
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
            let validation = try SchemaValidation.validate(documents: letters, schema: "dead-letter.schema.json")
            #expect(validation.allSatisfy { $0.valid }, "\(validation.flatMap { $0.errors }.prefix(5))")

            // Every good event was evaluated: the windows' counts add up to them (the last window closed on stop).
            let events = try await KafkaTestSupport.readAll(bootstrap: bootstrap, topic: "drift-events", expected: 4, timeout: .seconds(30))
            let documents = try events.map { try JSONValue.parse($0) }
            #expect(documents.map { $0["window"]?["count"]?.intValue ?? 0 }.reduce(0, +) == good)
            #expect(Set(documents.compactMap { $0["model_id"]?.stringValue }) == [profile.modelID])
            _ = await broker.stop()
        }
    }
}
