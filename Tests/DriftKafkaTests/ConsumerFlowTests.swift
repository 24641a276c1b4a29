import CRdKafka
import DriftKafka
import Foundation
import Testing

@Suite("Consumer flow control, seek and rebalance events", .timeLimit(.minutes(2)))
struct ConsumerFlowTests {
    /// A 3-partition topic on a dev broker holding `values` (produced and flushed), and a consumer assigned to all
    /// of it from the beginning that nobody reads yet.
    static func unreadTopic(
        _ prefix: String, values: [[UInt8]], options: KafkaConsumerOptions
    ) async throws -> (DevBroker, KafkaProducer, KafkaConsumer) {
        let topic = KafkaTestSupport.uniqueName(prefix)
        let broker = try KafkaTestSupport.broker(topic: topic, partitions: 3)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
        for value in values { try await producer.enqueue(KafkaProducerMessage(topic: topic, value: value)) }
        try await producer.flush()
        let consumer = try KafkaConsumer(
            configuration: KafkaTestSupport.consumerConfiguration(broker, group: "unused"),
            assignment: (0..<3).map { KafkaTopicPartitionOffset(topic: topic, partition: Int32($0), offset: KafkaOffset.beginning) },
            options: options)
        return (broker, producer, consumer)
    }

    @Test("a slow reader pauses the partitions at the buffer's capacity, then gets every message once")
    func boundedBuffering() async throws {
        let total = 20_000
        let (broker, producer, consumer) = try await Self.unreadTopic(
            "pause", values: (0..<total).map(KafkaTestSupport.payload), options: KafkaConsumerOptions(bufferCapacity: 1_000, maximumBatch: 500))
        // Nobody reads yet: the buffer fills to its capacity and the consumer pauses.
        let paused = await KafkaTestSupport.waitUntil { consumer.statistics.pauses >= 1 }
        #expect(paused)
        try await Task.sleep(for: .milliseconds(300))
        let buffered = consumer.statistics.buffered
        #expect(buffered >= 1_000 && buffered < 1_000 + 500, "buffered \(buffered)")
        var seen = Set<Int>()
        var count = 0
        for await message in consumer.messages {
            if let index = KafkaTestSupport.index(of: message) { seen.insert(index) }
            count += 1
            if count == total { break }
        }
        #expect(count == total)
        #expect(seen == Set(0..<total))
        #expect(consumer.statistics.pauses >= 2, "paused again as the reader fell behind")
        #expect(consumer.statistics.received == UInt64(total), "paused partitions were re-fetched from their position, without duplicates")
        #expect(consumer.statistics.offsetGaps == 0)
        await consumer.close()
        await producer.close()
        withExtendedLifetime(broker) {}
    }

    @Test("large records pause the partitions at the buffer's byte bound, long before its message capacity")
    func boundedBufferingByBytes() async throws {
        let total = 240
        let record = [UInt8](repeating: 0x62, count: 16_384)
        let (broker, producer, consumer) = try await Self.unreadTopic(
            "pause-bytes", values: Array(repeating: record, count: total),
            options: KafkaConsumerOptions(bufferCapacity: 100_000, bufferBytes: 1 << 20, maximumBatch: 16))
        let paused = await KafkaTestSupport.waitUntil { consumer.statistics.pauses >= 1 }
        #expect(paused)
        try await Task.sleep(for: .milliseconds(300))
        let statistics = consumer.statistics
        // 1 MiB is 64 records; a batch of at most 16 (256 KiB) may land after the bound is reached.
        #expect(statistics.bufferedBytes >= 1 << 20 && statistics.bufferedBytes < (1 << 20) + 16 * 16_384 + 1, "\(statistics)")
        #expect(statistics.buffered < total / 2, "\(statistics)")
        var count = 0
        for await message in consumer.messages {
            #expect(message.valueBytes.count == record.count)
            count += 1
            if count == total { break }
        }
        #expect(count == total && consumer.statistics.received == UInt64(total))
        #expect(consumer.statistics.bufferedBytes == 0, "every byte counted in is counted out")
        await consumer.close()
        await producer.close()
        withExtendedLifetime(broker) {}
    }

    @Test("records that retention removed before they were read are reported as an offset gap")
    func retentionGapIsReported() async throws {
        let topic = KafkaTestSupport.uniqueName("gap")
        let broker = try KafkaTestSupport.broker(topic: topic, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
        let kilobyte = [UInt8](repeating: 0x61, count: 1_024)
        for _ in 0..<10 { try await producer.enqueue(KafkaProducerMessage(topic: topic, partition: 0, value: kilobyte)) }
        try await producer.flush()
        let consumer = try KafkaConsumer(
            configuration: KafkaTestSupport.consumerConfiguration(broker, group: "unused"),
            assignment: [KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: KafkaOffset.beginning)],
            options: KafkaConsumerOptions(bufferCapacity: 2_000, maximumBatch: 500))
        var iterator = consumer.messages.makeAsyncIterator()
        for _ in 0..<10 { _ = try #require(await iterator.next()) }
        // 12 MiB more while the reader is away (the consumer pauses at 2,000 buffered): the mock keeps
        // ~5 MiB per partition, so the records after the paused position vanish unread.
        let more = 12_000
        for _ in 0..<more { try await producer.enqueue(KafkaProducerMessage(topic: topic, partition: 0, value: kilobyte)) }
        try await producer.flush()
        var last: Int64 = 0
        while last < Int64(10 + more - 1) {
            let message = try #require(await iterator.next())
            last = message.offset
        }
        let statistics = consumer.statistics
        #expect(statistics.offsetGaps >= 1)
        #expect(statistics.offsetsSkipped >= 1_000, "skipped \(statistics.offsetsSkipped)")
        #expect(statistics.received + statistics.offsetsSkipped >= UInt64(10 + more), "every offset either received or counted as skipped")
        await consumer.close()
        await producer.close()
    }

    @Test("seek moves the read position and drops buffered messages of that partition")
    func seekRewinds() async throws {
        let topic = KafkaTestSupport.uniqueName("seek")
        let broker = try KafkaTestSupport.broker(topic: topic, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
        for index in 0..<100 { try await producer.enqueue(KafkaProducerMessage(topic: topic, partition: 0, value: KafkaTestSupport.payload(index))) }
        try await producer.flush()
        let consumer = try KafkaConsumer(
            configuration: KafkaTestSupport.consumerConfiguration(broker, group: "unused"),
            assignment: [KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: KafkaOffset.beginning)])
        var iterator = consumer.messages.makeAsyncIterator()
        let first = try #require(await iterator.next())
        #expect(first.offset == 0)
        try await Task.sleep(for: .milliseconds(200))  // let the rest arrive in the buffer
        try await consumer.seek([KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: 42)])
        let after = try #require(await iterator.next())
        #expect(after.offset == 42, "the rest of the batch the iterator held was dropped")
        #expect(KafkaTestSupport.index(of: after) == 42)
        let next = try #require(await iterator.next())
        #expect(next.offset == 43)
        let position = try consumer.position([KafkaTopicPartition(topic: topic, partition: 0)])
        #expect((position.values.first ?? 0) > 43)
        await consumer.close()
        await producer.close()
    }

    @Test("rebalance events arrive in order with messages; assigned can choose starting offsets")
    func assignedChoosesStartingOffsets() async throws {
        let topic = KafkaTestSupport.uniqueName("start")
        let broker = try KafkaTestSupport.broker(topic: topic, partitions: 2)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
        for index in 0..<200 { try await producer.enqueue(KafkaProducerMessage(topic: topic, partition: Int32(index % 2), value: KafkaTestSupport.payload(index))) }
        try await producer.flush()
        let consumer = try KafkaConsumer(configuration: KafkaTestSupport.consumerConfiguration(broker, group: KafkaTestSupport.uniqueName("g")), topics: [topic])
        var firstOffsets: [Int32: Int64] = [:]
        var sawAssignmentFirst = false
        var eventsSeen = 0
        for await event in consumer.events {
            eventsSeen += 1
            switch event {
            case .rebalance(let rebalance):
                #expect(rebalance.kind == .assigned)
                #expect(Set(rebalance.partitions.map(\.partition)) == [0, 1])
                sawAssignmentFirst = eventsSeen == 1
                // As a worker restoring a checkpoint would: resume partition 0 at 70, partition 1 at 30.
                rebalance.acknowledge(startingOffsets: [
                    KafkaTopicPartition(topic: topic, partition: 0): 70,
                    KafkaTopicPartition(topic: topic, partition: 1): 30,
                ])
            case .messages(let batch):
                for message in batch where firstOffsets[message.partition] == nil { firstOffsets[message.partition] = message.offset }
            }
            if firstOffsets.count == 2 { break }
        }
        #expect(sawAssignmentFirst)
        #expect(firstOffsets == [0: 70, 1: 30])
        await consumer.close()
        await producer.close()
    }

    @Test("a consumer reading a closed consumer's sequence ends; calls after close fail clearly")
    func closeEndsSequences() async throws {
        let topic = KafkaTestSupport.uniqueName("close")
        let broker = try KafkaTestSupport.broker(topic: topic, partitions: 1)
        let consumer = try KafkaConsumer(
            configuration: KafkaTestSupport.consumerConfiguration(broker, group: "unused"),
            assignment: [KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: KafkaOffset.beginning)])
        let reader = Task { () -> Int in
            var count = 0
            for await _ in consumer.messages { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(200))
        await consumer.close()
        #expect(await reader.value == 0)
        let error = await #expect(throws: KafkaError.self) { try await consumer.commit([KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: 1)]) }
        #expect(error?.name == "_DESTROY")
        await consumer.close()
    }
}

@Suite("Lost partitions", .timeLimit(.minutes(2)))
struct LostPartitionTests {
    @Test("a member the coordinator forgets sees its partitions lost, then assigned again")
    func heartbeatErrorsLosePartitions() async throws {
        let topic = KafkaTestSupport.uniqueName("lost")
        let broker = try KafkaTestSupport.broker(topic: topic, partitions: 2)
        // The rejoin waits for the forgotten member's session (6 s) to end.
        let configuration = KafkaTestSupport.consumerConfiguration(broker, group: KafkaTestSupport.uniqueName("g"))
        let consumer = try KafkaConsumer(configuration: configuration, topics: [topic])
        let clock = ContinuousClock()
        var lostAt: ContinuousClock.Instant? = nil
        var kinds: [KafkaRebalance.Kind] = []
        var injected = false
        for await event in consumer.events {
            guard case .rebalance(let rebalance) = event else { continue }
            kinds.append(rebalance.kind)
            if rebalance.kind == .lost { lostAt = clock.now }
            rebalance.acknowledge()
            if rebalance.kind == .assigned && !injected {
                injected = true
                // The coordinator no longer knows the member: librdkafka treats the assignment as lost.
                broker.pushRequestErrors([RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID.rawValue], for: .heartbeat)
            } else if rebalance.kind == .assigned {
                break
            }
        }
        #expect(kinds == [.assigned, .lost, .assigned])
        if let lostAt { print("lost → assigned in \(clock.now - lostAt)") }
        await consumer.close()
    }
}
