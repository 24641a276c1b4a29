import DriftKafka
import Foundation
import Testing

/// Wire compatibility with a client we did not write: Python's confluent-kafka (with its own librdkafka)
/// against a `driftwatch broker` process, in both directions, bootstrapping through the fixed port.
@Suite("Python confluent-kafka against driftwatch broker", .timeLimit(.minutes(3)))
struct PythonCompatibilityTests {
    struct Summary: Decodable {
        var count: Int?
        var distinct: Int?
        var checksum: String
        var origins: [String]?
        var produced: Int?
    }

    @Test("Python produces, Swift consumes; Swift produces, Python consumes in a group; the broker stops on SIGTERM")
    func bothDirections() async throws {
        let check = try await ExternalProcess.run("python3", ["-c", "import confluent_kafka; print(confluent_kafka.version()[0])"])
        try #require(check.status == 0, "Python's confluent-kafka is missing (CI installs it with pip): \(check.stderr)")
        let script = try ExternalProcess.fixture("confluent_compat.py").path
        let port = try KafkaTestSupport.freePort()
        let broker = try await BrokerProcess(arguments: ["--brokers", "3", "--partitions", "4", "--port", "\(port)", "--topics", "py-to-swift:4,swift-to-py:4"])
        #expect(broker.bootstrapServers.hasPrefix("127.0.0.1:\(port),"))
        #expect(broker.bootstrapServers.split(separator: ",").count == 4, "the front door and three brokers")
        let frontDoor = "127.0.0.1:\(port)"
        let count = 2_000

        // Python → Swift, Python bootstrapping through the fixed port alone.
        let produced = try await ExternalProcess.run("python3", [script, "produce", frontDoor, "py-to-swift", "\(count)"])
        try #require(produced.status == 0, "python producer failed: \(produced.stderr)")
        let pythonSummary = try JSONDecoder().decode(Summary.self, from: Data(produced.stdout.utf8))
        var configuration = KafkaConfiguration(bootstrapServers: broker.bootstrapServers, groupID: "swift-reader")
        configuration.properties["log_level"] = "3"
        let consumer = try KafkaConsumer(configuration: configuration, assignment: (0..<4).map {
            KafkaTopicPartitionOffset(topic: "py-to-swift", partition: Int32($0), offset: KafkaOffset.beginning)
        })
        var values: [[UInt8]] = []
        var keysMatch = true
        var origins = Set<String>()
        var partitions = Set<Int32>()
        for await message in consumer.messages {
            values.append(message.value)
            partitions.insert(message.partition)
            if let index = Self.index(in: message.value), message.key != Array("k\(index)".utf8) { keysMatch = false }
            if let origin = message.header("origin")?.value { origins.insert(String(decoding: origin, as: UTF8.self)) }
            if values.count == count { break }
        }
        await consumer.close()
        #expect(values.count == count)
        #expect(Set(values).count == count, "every record exactly once")
        #expect(Self.checksum(values) == pythonSummary.checksum)
        #expect(keysMatch)
        #expect(origins == ["python"])
        #expect(partitions.count == 4, "keyed records spread over every partition")

        // Swift → Python, the Python consumer in a consumer group.
        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: broker.bootstrapServers, properties: ["log_level": "3"]))
        var sent: [[UInt8]] = []
        for index in 0..<count {
            let value = Array("{\"i\":\(index),\"from\":\"swift\"}".utf8)
            sent.append(value)
            try await producer.enqueue(KafkaProducerMessage(topic: "swift-to-py", key: Array("k\(index)".utf8), value: value, headers: [KafkaHeader(name: "origin", string: "swift")]))
        }
        try await producer.flush()
        await producer.close()
        let consumed = try await ExternalProcess.run("python3", [script, "consume", frontDoor, "swift-to-py", "\(count)", "python-group"])
        try #require(consumed.status == 0, "python consumer failed: \(consumed.stderr)")
        let swiftSummary = try JSONDecoder().decode(Summary.self, from: Data(consumed.stdout.utf8))
        #expect(swiftSummary.count == count)
        #expect(swiftSummary.distinct == count)
        #expect(swiftSummary.checksum == Self.checksum(sent))
        #expect(swiftSummary.origins == ["swift"])

        let status = await broker.stop()
        #expect(status == 0, "driftwatch broker exits 0 on SIGTERM")
    }

    /// Sum (mod 2^64) of FNV-1a-64 hashes, as the Python script computes it, in 16 hex digits.
    static func checksum(_ values: [[UInt8]]) -> String {
        var total: UInt64 = 0
        for value in values {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in value {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
            total &+= hash
        }
        let hex = String(total, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func index(in value: [UInt8]) -> Int? {
        let text = String(decoding: value, as: UTF8.self)
        guard let start = text.range(of: "\"i\":"), let end = text[start.upperBound...].firstIndex(of: ",") else { return nil }
        return Int(text[start.upperBound..<end])
    }
}
