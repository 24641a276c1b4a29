import DriftKafka
import Foundation

/// Shared state of the Kafka benchmarks: one 3-broker dev broker, ~400-byte inference-event payloads, the
/// same payloads as a file for kcat, and a topic filled once for the consume benchmarks.
final class KafkaFixture: @unchecked Sendable {
    static let shared = KafkaFixture()

    static let recordCount = 1_000_000
    /// 128 partitions keep each under the mock's ~5 MiB per-partition limit (1M × 400 B ≈ 3.1 MB each).
    static let partitions: Int32 = 128
    static let consumeTopic = "bench-consume"

    let broker: DevBroker
    let payloads: [[UInt8]]
    let payloadFile: String
    private let lock = NSLock()
    private var topicCounter = 0
    private var consumeTopicReady = false

    private init() {
        do {
            broker = try DevBroker(brokers: 3)
        } catch {
            fatalError("benchmark set-up: \(error)")  // set-up only, never a data path
        }
        payloads = (0..<1_000).map { KafkaFixture.inferenceEvent($0) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-kafka-bench")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        payloadFile = directory.appendingPathComponent("payloads.txt").path
        var text = Data()
        text.reserveCapacity(KafkaFixture.recordCount * 420)
        for index in 0..<KafkaFixture.recordCount {
            text.append(contentsOf: payloads[index % payloads.count])
            text.append(0x0a)
        }
        FileManager.default.createFile(atPath: payloadFile, contents: text)
    }

    /// A fresh topic with `partitions` partitions.
    func freshTopic(_ prefix: String) -> String {
        let name = lock.withLock { () -> String in
            topicCounter += 1
            return "\(prefix)-\(topicCounter)"
        }
        do {
            try broker.createTopic(name, partitions: KafkaFixture.partitions)
        } catch {
            fatalError("benchmark set-up: \(error)")
        }
        return name
    }

    var producerConfiguration: KafkaConfiguration {
        KafkaConfiguration(bootstrapServers: broker.bootstrapServers, clientID: "bench-producer", properties: [
            "log_level": "3",
            // Spread unkeyed records evenly, as kcat is told to: no partition outgrows the mock's limit.
            "sticky.partitioning.linger.ms": "0",
        ])
    }

    var consumerConfiguration: KafkaConfiguration {
        KafkaConfiguration(bootstrapServers: broker.bootstrapServers, clientID: "bench-consumer", groupID: "bench", properties: ["log_level": "3"])
    }

    /// Fills the consume topic once with the benchmark's records (produced by DriftKafka).
    func prepareConsumeTopic() async throws {
        guard !lock.withLock({ consumeTopicReady }) else { return }
        try broker.createTopic(KafkaFixture.consumeTopic, partitions: KafkaFixture.partitions)
        let producer = try KafkaProducer(configuration: producerConfiguration)
        for index in 0..<KafkaFixture.recordCount {
            try await producer.enqueue(KafkaProducerMessage(topic: KafkaFixture.consumeTopic, value: payloads[index % payloads.count]))
        }
        try await producer.flush(timeout: .seconds(120))
        await producer.close()
        let stored = try await storedRecords(KafkaFixture.consumeTopic)
        guard stored == KafkaFixture.recordCount else { fatalError("consume topic holds \(stored) records, not \(KafkaFixture.recordCount)") }
        lock.withLock { consumeTopicReady = true }
    }

    /// Σ high − low watermarks over the topic's partitions: the records the broker still holds.
    func storedRecords(_ topic: String) async throws -> Int {
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, assignment: [])
        defer { Task { await consumer.close() } }
        var total: Int64 = 0
        for partition in 0..<KafkaFixture.partitions {
            let (low, high) = try await consumer.watermarks(KafkaTopicPartition(topic: topic, partition: partition))
            total += high - low
        }
        return Int(total)
    }

    /// An inference event of about 400 bytes: ids, 20 numeric and 5 categorical features, a prediction.
    static func inferenceEvent(_ index: Int) -> [UInt8] {
        var random = UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15 | 1
        func next() -> Double {
            random ^= random << 13
            random ^= random >> 7
            random ^= random << 17
            return Double(random % 1_000_000) / 1_000_00.0 - 5
        }
        var features = (0..<20).map { "\"f\($0)\":\(String(format: "%.3f", next()))" }
        let categories = ["a", "b", "c", "d", "e", "f", "g"]
        features += (0..<5).map { "\"c\($0)\":\"\(categories[Int(random % 7)])\(($0 + index) % 3)\"" }
        let text = "{\"event_id\":\"e-\(index)\",\"model_id\":\"fraud\",\"model_version\":\"3\",\"timestamp\":1767225600000,\"features\":{\(features.joined(separator: ","))},\"prediction\":{\"label\":\"ok\"}}"
        return Array(text.utf8)
    }
}

/// Runs kcat to completion; returns its exit status.
func runKcat(_ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/kcat")
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
