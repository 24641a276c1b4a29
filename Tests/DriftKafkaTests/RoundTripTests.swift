import DriftKafka
import Foundation
import Testing

@Suite("Produce and consume round trip", .timeLimit(.minutes(2)))
struct RoundTripTests {
    @Test("100,000 messages come back exactly once, in order within each partition")
    func hundredThousandExactlyOnce() async throws {
        let topic = KafkaTestSupport.uniqueName("roundtrip")
        let broker = try KafkaTestSupport.broker(brokers: 3, topic: topic, partitions: 6)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
        let total = 100_000
        var expectedChecksum: UInt64 = 0
        for index in 0..<total {
            let payload = KafkaTestSupport.payload(index)
            expectedChecksum &+= Self.checksum(payload)
            try await producer.enqueue(KafkaProducerMessage(topic: topic, key: Array("k\(index)".utf8), value: payload))
        }
        try await producer.flush()
        #expect(producer.statistics.delivered == UInt64(total))
        #expect(producer.statistics.failed == 0)

        let consumer = try KafkaConsumer(
            configuration: KafkaTestSupport.consumerConfiguration(broker, group: KafkaTestSupport.uniqueName("g")),
            topics: [topic])
        var seen = [Bool](repeating: false, count: total)
        var duplicates = 0
        var checksum: UInt64 = 0
        var received = 0
        var lastOffset: [Int32: Int64] = [:]
        var outOfOrder = 0
        var lastIndexPerKeyPartition: [Int32: Int] = [:]
        _ = lastIndexPerKeyPartition
        for await batch in consumer.batches {
            for message in batch {
                guard let index = KafkaTestSupport.index(of: message) else { continue }
                if seen[index] { duplicates += 1 } else { seen[index] = true }
                checksum &+= Self.checksum(message.value)
                if let last = lastOffset[message.partition], message.offset <= last { outOfOrder += 1 }
                lastOffset[message.partition] = message.offset
                received += 1
            }
            if received >= total { break }
        }
        #expect(received == total)
        #expect(duplicates == 0)
        #expect(seen.allSatisfy { $0 })
        #expect(checksum == expectedChecksum)
        #expect(outOfOrder == 0)
        #expect(lastOffset.count == 6)
        await consumer.close()
        await producer.close()
    }

    @Test("send returns the partition and offset; keys, headers and timestamps survive the trip")
    func sendReportsDelivery() async throws {
        let topic = KafkaTestSupport.uniqueName("send")
        let broker = try KafkaTestSupport.broker(topic: topic, partitions: 2)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
        let first = try await producer.send(KafkaProducerMessage(
            topic: topic, partition: 1, key: "model-a", value: "hello",
            headers: [KafkaHeader(name: "source", string: "test"), KafkaHeader(name: "empty", value: nil)],
            timestampMilliseconds: 1_700_000_000_123))
        let second = try await producer.send(KafkaProducerMessage(topic: topic, partition: 1, value: "world"))
        #expect(first.partition == 1)
        #expect(first.offset == 0)
        #expect(second.offset == 1)
        #expect(first.topic == topic)
        #expect(first.timestampIsLogAppendTime || first.timestampMilliseconds == 1_700_000_000_123)

        let consumer = try KafkaConsumer(
            configuration: KafkaTestSupport.consumerConfiguration(broker, group: KafkaTestSupport.uniqueName("g")),
            assignment: [KafkaTopicPartitionOffset(topic: topic, partition: 1, offset: KafkaOffset.beginning)])
        var messages: [KafkaMessage] = []
        for await message in consumer.messages {
            messages.append(message)
            if messages.count == 2 { break }
        }
        try #require(messages.count == 2)
        #expect(messages[0].key == Array("model-a".utf8))
        #expect(String(decoding: messages[0].value, as: UTF8.self) == "hello")
        #expect(messages[0].timestampMilliseconds == 1_700_000_000_123)
        #expect(messages[0].header("source")?.value == Array("test".utf8))
        #expect(messages[0].headers.contains(KafkaHeader(name: "empty", value: nil)))
        #expect(messages[1].key == nil)
        #expect(messages[1].headers.isEmpty)
        await consumer.close()
        await producer.close()
    }

    @Test("a consumer given its partitions needs no group id; commits then go to its private group")
    func assignmentWithoutGroup() async throws {
        let topic = KafkaTestSupport.uniqueName("nogroup")
        let broker = try KafkaTestSupport.broker(topic: topic, partitions: 2)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
        for index in 0..<10 { _ = try await producer.send(KafkaProducerMessage(topic: topic, partition: Int32(index % 2), value: KafkaTestSupport.payload(index))) }
        var configuration = KafkaTestSupport.consumerConfiguration(broker, group: "ignored")
        configuration.groupID = nil
        let consumer = try KafkaConsumer(configuration: configuration, assignment: (0..<2).map {
            KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.beginning)
        })
        var seen = Set<Int>()
        for await message in consumer.messages {
            if let index = KafkaTestSupport.index(of: message) { seen.insert(index) }
            if seen.count == 10 { break }
        }
        #expect(seen == Set(0..<10))
        try await consumer.commit([KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: 5)])
        let committed = try await consumer.committed([KafkaTopicPartition(topic: topic, partition: 0)])
        #expect(committed[KafkaTopicPartition(topic: topic, partition: 0)] == 5)
        await consumer.close()
        await producer.close()
    }

    @Test("send(contentsOf:) returns every delivery in input order; a closed producer refuses to send")
    func sendManyThenClose() async throws {
        let topic = KafkaTestSupport.uniqueName("many")
        let broker = try KafkaTestSupport.broker(topic: topic, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
        let messages = (0..<500).map { KafkaProducerMessage(topic: topic, partition: 0, value: KafkaTestSupport.payload($0)) }
        let results = await producer.send(contentsOf: messages)
        let offsets = try results.map { try $0.get().offset }
        #expect(offsets == (0..<500).map { Int64($0) })
        let unknown = await producer.send(contentsOf: [KafkaProducerMessage(topic: topic, partition: 7, value: "no such partition")])
        #expect(throws: KafkaError.self) { try unknown[0].get() }
        await producer.close()
        let error = await #expect(throws: KafkaError.self) { _ = try await producer.send(KafkaProducerMessage(topic: topic, value: "late")) }
        #expect(error?.name == "_DESTROY")
        #expect(producer.statistics.delivered == 500)
    }

    @Test("records still queued when the broker is unreachable fail at close, through send's error")
    func closeFailsWhatCannotBeDelivered() async throws {
        let topic = KafkaTestSupport.uniqueName("unreachable")
        let broker = try KafkaTestSupport.broker(topic: topic, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
        _ = try await producer.send(KafkaProducerMessage(topic: topic, value: "warm-up"))
        try broker.setAllBrokersDown()
        let pending = Task { try await producer.send(KafkaProducerMessage(topic: topic, value: "stuck")) }
        try await Task.sleep(for: .milliseconds(200))
        await producer.close(timeout: .milliseconds(500))
        let result = await pending.result
        #expect(throws: KafkaError.self) { try result.get() }
        #expect(producer.statistics.failed == 1)
        try broker.setAllBrokersUp()
    }

    /// FNV-1a of the payload.
    static func checksum(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }
}
