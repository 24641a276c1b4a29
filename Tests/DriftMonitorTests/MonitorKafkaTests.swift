import DriftContracts
import DriftJSON
import DriftKafka
import DriftMonitor
import DriftTestSupport
import Foundation
import Logging
import Testing

/// `MonitorService` on the dev broker: events produced to `inference-events`, drift events and dead letters
/// read back from their topics.
@Suite(.serialized) struct MonitorKafkaTests {
    static let window: Int64 = 10_000

    static func settings(_ broker: DevBroker, window: WindowSpec) -> MonitorSettings {
        var kafka = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
        kafka.sessionTimeoutMilliseconds = 6_000
        kafka.properties["heartbeat.interval.ms"] = "500"
        kafka.properties["log_level"] = "3"
        var settings = MonitorSettings(kafka: kafka, window: window)
        settings.completionTimeout = 5_000
        settings.domainClassifier = false
        return settings
    }

    /// Warnings and errors only: the tests' output stays readable.
    static let logger: Logger = {
        var logger = Logger(label: "driftwatch.monitor.test")
        logger.logLevel = .warning
        return logger
    }()

    static func read(_ broker: DevBroker, topic: String, count: Int, timeout: Duration) async throws -> [KafkaMessage] {
        var configuration = KafkaConfiguration(bootstrapServers: broker.bootstrapServers, groupID: "reader-\(UUID().uuidString)")
        configuration.autoOffsetReset = .earliest
        configuration.sessionTimeoutMilliseconds = 6_000
        configuration.properties["log_level"] = "3"
        let consumer = try KafkaConsumer(configuration: configuration, topics: [topic])
        let deadline = ContinuousClock.now + timeout
        let messages = try await withThrowingTaskGroup(of: [KafkaMessage].self) { group in
            group.addTask {
                var gathered: [KafkaMessage] = []
                for await batch in consumer.batches {
                    gathered += batch
                    if gathered.count >= count { break }
                }
                return gathered
            }
            group.addTask {
                try await Task.sleep(until: deadline)
                return []
            }
            let first = try await group.next() ?? []
            group.cancelAll()
            return first
        }
        await consumer.close()
        return messages
    }

    @Test(.timeLimit(.minutes(2)))
    func meanShiftMalformedAndLateEventsThroughKafka() async throws {
        let topics = [
            KafkaTopicSpecification(name: "inference-events", partitions: 4), KafkaTopicSpecification(name: "feedback-events", partitions: 4),
            KafkaTopicSpecification(name: "driftwatch.partials", partitions: 2), KafkaTopicSpecification(name: "drift-events", partitions: 1),
            KafkaTopicSpecification(name: "driftwatch.dead-letter", partitions: 1),
        ]
        let broker = try DevBroker(brokers: 1, topics: topics)
        let profile = try SyntheticStream(seed: 7).profile(rows: 10_000)
        let start = (Int64(Date().timeIntervalSince1970 * 1_000) - 3_600_000) / Self.window * Self.window
        var drift = SyntheticStream.Drift(onset: start + 5 * Self.window)
        drift.meanShifts = [4: 1.2, 17: 1.2]
        let stream = SyntheticStream(seed: 8, drift: drift)
        let perWindow = 800

        var producerConfiguration = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
        producerConfiguration.properties["log_level"] = "3"
        let producer = try KafkaProducer(configuration: producerConfiguration)
        var messages: [KafkaProducerMessage] = []
        for index in 0..<(8 * perWindow) {
            let time = start + Int64(index) * Self.window / Int64(perWindow)
            messages.append(KafkaProducerMessage(topic: "inference-events", partition: Int32(index % 4), value: stream.record(index, timestamp: time).json()))
            if index == 3_000 {
                messages.append(KafkaProducerMessage(topic: "inference-events", partition: 1, value: Array(#"{"event_id": "e1", "model_id": "#.utf8)))
                messages.append(KafkaProducerMessage(topic: "inference-events", partition: 1, value: stream.record(999_999, timestamp: start + 100).json()))
            }
        }
        try await producer.enqueue(contentsOf: messages)
        try await producer.flush()

        // Without checkpoints a stopping monitor closes its open windows (with them it hands them over).
        var settings = Self.settings(broker, window: .tumbling(Self.window))
        settings.checkpointing = false
        let service = MonitorService(settings: settings, profiles: [profile], logger: Self.logger)
        let running = Task { try await service.run() }
        var events: [DriftEvent] = []
        for await event in service.driftEvents {
            events.append(event)
            if events.count == 7 { break }  // the eighth window closes on shutdown
        }
        service.stop()
        try await running.value

        let published = try await Self.read(broker, topic: "drift-events", count: 8, timeout: .seconds(30))
        let documents = published.map(\.value)
        #expect(documents.count == 8)
        let parsed = try documents.map { try JSONValue.parse($0) }
        #expect(parsed.map { $0["window"]?["count"]?.intValue ?? -1 }.reduce(0, +) == 8 * perWindow)
        #expect(Set(parsed.compactMap { $0["event_id"]?.stringValue }).count == 8)
        for document in parsed {
            let windowStart = try #require(document["window"]?["start"]?.stringValue.flatMap(EventTimestamp.parse))
            let critical = Set((document["features"]?.arrayValue ?? []).filter { $0["severity"]?.stringValue == "CRITICAL" }.compactMap { $0["name"]?.stringValue })
            #expect(critical == (windowStart >= drift.onset ? ["f04", "f17"] : []), "window \(windowStart - start): \(critical)")
        }
        #expect(published.allSatisfy { $0.key == Array("credit-risk".utf8) })
        let validation = try SchemaValidation.validate(documents: documents, schema: "drift-event.schema.json")
        #expect(validation.allSatisfy { $0.valid })

        let deadLetters = try await Self.read(broker, topic: "driftwatch.dead-letter", count: 2, timeout: .seconds(20))
        let reasons = try deadLetters.map { try JSONValue.parse($0.value)["reason"]?.stringValue ?? "" }
        #expect(reasons.sorted() == ["late_event", "malformed_json"])
        let letterValidation = try SchemaValidation.validate(documents: deadLetters.map(\.value), schema: "dead-letter.schema.json")
        #expect(letterValidation.allSatisfy { $0.valid })
        let status = service.status
        #expect(status.stage1.inferenceAccepted == UInt64(8 * perWindow))
        #expect(status.stage1.deadLetteredTotal == 2)
        #expect(status.messagesConsumed == UInt64(8 * perWindow + 2))
        await producer.close()
        broker.shutdown()
    }

    @Test(.timeLimit(.minutes(2)))
    func profilesArriveAsModelVersionEvents() async throws {
        let topics = [
            KafkaTopicSpecification(name: "inference-events", partitions: 2), KafkaTopicSpecification(name: "feedback-events", partitions: 1),
            KafkaTopicSpecification(name: "driftwatch.partials", partitions: 1), KafkaTopicSpecification(name: "drift-events", partitions: 1),
            KafkaTopicSpecification(name: "driftwatch.dead-letter", partitions: 1), KafkaTopicSpecification(name: "model-versions", partitions: 2),
        ]
        let broker = try DevBroker(brokers: 1, topics: topics)
        let profile = try SyntheticStream(seed: 7).profile(rows: 5_000)
        var producerConfiguration = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
        producerConfiguration.properties["log_level"] = "3"
        let producer = try KafkaProducer(configuration: producerConfiguration)
        let versionEvent = #"{"schema_version":"1","event_id":"mv-1","model_id":"credit-risk","version":"1","status":"champion","created_at":"2026-11-23T10:00:00Z","profile":"#
            + String(decoding: profile.json(), as: UTF8.self) + "}"
        try await producer.enqueue(contentsOf: [
            KafkaProducerMessage(topic: "model-versions", key: Array("credit-risk".utf8), value: Array(#"{"schema_version":"1","model_id":"x"}"#.utf8)),
            KafkaProducerMessage(topic: "model-versions", key: Array("credit-risk".utf8), value: Array(versionEvent.utf8)),
        ])
        try await producer.flush()

        // No profile file: the version's profile comes from the topic.
        let service = MonitorService(settings: Self.settings(broker, window: .tumbling(Self.window)), profiles: [], logger: Self.logger)
        let running = Task { try await service.run() }
        let deadline = ContinuousClock.now + .seconds(30)
        while service.profileKeys.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(service.profileKeys == ["credit-risk@1"])

        let start = (Int64(Date().timeIntervalSince1970 * 1_000) - 3_600_000) / Self.window * Self.window
        let stream = SyntheticStream(seed: 8)
        var messages: [KafkaProducerMessage] = []
        for index in 0..<1_000 {
            let time = start + Int64(index) * Self.window / 500
            messages.append(KafkaProducerMessage(topic: "inference-events", partition: Int32(index % 2), value: stream.record(index, timestamp: time).json()))
        }
        try await producer.enqueue(contentsOf: messages)
        try await producer.flush()
        var events: [DriftEvent] = []
        for await event in service.driftEvents {
            events.append(event)
            break  // the first window; the second closes on shutdown
        }
        service.stop()
        try await running.value
        #expect(events.first?.window.count == 500)
        let status = service.status
        #expect(status.stage1.inferenceAccepted == 1_000)
        #expect(status.stage1.deadLetteredTotal == 0)
        #expect(status.profilesFromEvents == 1)
        #expect(status.invalidModelVersionEvents == 1)
        await producer.close()
        broker.shutdown()
    }
}
