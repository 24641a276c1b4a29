import CRdKafka
import DriftKafka
import Foundation
import Testing

@Suite("Faults: brokers down, injected request errors", .timeLimit(.minutes(3)))
struct FaultInjectionTests {
    @Test("every broker down for three seconds mid-stream: the producer retries, the consumer recovers, nothing is lost or duplicated")
    func brokersDownAndBack() async throws {
        let topic = KafkaTestSupport.uniqueName("outage")
        let broker = try KafkaTestSupport.broker(brokers: 3, topic: topic, partitions: 6)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
        let assignment = (0..<6).map { KafkaTopicPartitionOffset(topic: topic, partition: Int32($0), offset: KafkaOffset.beginning) }
        let consumer = try KafkaConsumer(configuration: KafkaTestSupport.consumerConfiguration(broker, group: "unused"), assignment: assignment)
        let log = ConsumedLog()
        let reader = Task {
            for await batch in consumer.batches { log.append(batch) }
        }
        let total = 30_000
        for index in 0..<10_000 { try await producer.enqueue(KafkaProducerMessage(topic: topic, value: KafkaTestSupport.payload(index))) }
        try await producer.flush()
        try broker.setAllBrokersDown()
        for index in 10_000..<20_000 { try await producer.enqueue(KafkaProducerMessage(topic: topic, value: KafkaTestSupport.payload(index))) }
        try await Task.sleep(for: .seconds(3))
        #expect(producer.statistics.delivered == 10_000, "nothing can be acknowledged while every broker is down")
        try broker.setAllBrokersUp()
        for index in 20_000..<total { try await producer.enqueue(KafkaProducerMessage(topic: topic, value: KafkaTestSupport.payload(index))) }
        try await producer.flush(timeout: .seconds(60))
        #expect(producer.statistics.delivered == UInt64(total))
        #expect(producer.statistics.failed == 0)

        let complete = await KafkaTestSupport.waitUntil(timeout: .seconds(60)) { log.count >= total }
        try? await Task.sleep(for: .milliseconds(200))
        #expect(complete)
        let indices = log.messages.compactMap(KafkaTestSupport.index(of:))
        #expect(indices.count == total, "no duplicates from the producer's retries (idempotence)")
        #expect(Set(indices) == Set(0..<total))
        await consumer.close()
        reader.cancel()
        await producer.close()
    }

    @Test("retriable produce errors are retried inside librdkafka and the record is stored once")
    func retriableProduceErrors() async throws {
        let topic = KafkaTestSupport.uniqueName("retriable")
        let broker = try KafkaTestSupport.broker(topic: topic, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
        _ = try await producer.send(KafkaProducerMessage(topic: topic, value: "first"))
        broker.pushRequestErrors(
            [RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS].map(\.rawValue),
            for: .produce)
        let report = try await producer.send(KafkaProducerMessage(topic: topic, value: "second"))
        #expect(report.offset == 1)
        let consumer = try KafkaConsumer(
            configuration: KafkaTestSupport.consumerConfiguration(broker, group: "unused"),
            assignment: [KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: KafkaOffset.beginning)])
        var values: [String] = []
        for await message in consumer.messages {
            values.append(String(decoding: message.value, as: UTF8.self))
            if values.count == 2 { break }
        }
        #expect(values == ["first", "second"])
        let (_, high) = try await consumer.watermarks(KafkaTopicPartition(topic: topic, partition: 0))
        #expect(high == 2, "stored once despite three failed attempts")
        await consumer.close()
        await producer.close()
    }

    @Test("a permanent produce error surfaces as a KafkaError naming it, not retriable")
    func permanentProduceError() async throws {
        let (topic, broker, producer) = try await Self.warmedUpProducer("permanent")
        broker.pushRequestErrors([RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED.rawValue], for: .produce)
        let error = await #expect(throws: KafkaError.self) {
            _ = try await producer.send(KafkaProducerMessage(topic: topic, value: "denied"))
        }
        #expect(error?.name == "TOPIC_AUTHORIZATION_FAILED")
        #expect(error?.isRetriable == false)
        #expect(error?.operation == "delivery")
        await producer.close(timeout: .seconds(2))
    }

    @Test("a fatal idempotence error surfaces as a fatal KafkaError on the record, on events, and on later sends")
    func fatalProducerError() async throws {
        let (topic, broker, producer) = try await Self.warmedUpProducer("fatal")
        broker.pushRequestErrors([RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER.rawValue], for: .produce)
        let first = await #expect(throws: KafkaError.self) {
            _ = try await producer.send(KafkaProducerMessage(topic: topic, value: "desynchronized"))
        }
        #expect(first?.isFatal == true)
        let later = await #expect(throws: KafkaError.self) {
            _ = try await producer.send(KafkaProducerMessage(topic: topic, value: "after"))
        }
        #expect(later?.isFatal == true)
        var fatalEvent: KafkaError? = nil
        for await event in producer.events {
            if case .error(let error) = event, error.isFatal {
                fatalEvent = error
                break
            }
        }
        #expect(fatalEvent?.name == "OUT_OF_ORDER_SEQUENCE_NUMBER")
        await producer.close(timeout: .seconds(2))
    }

    @Test("a batch-path record that fails is reported on events and counted, never dropped silently")
    func batchFailureIsReported() async throws {
        let (topic, broker, producer) = try await Self.warmedUpProducer("batchfail")
        broker.pushRequestErrors([RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED.rawValue], for: .produce)
        try await producer.enqueue(KafkaProducerMessage(topic: topic, key: "k", value: "lost?"))
        try await producer.flush()
        #expect(producer.statistics.failed == 1)
        var failure: KafkaDeliveryFailure? = nil
        for await event in producer.events {
            if case .deliveryFailed(let reported) = event {
                failure = reported
                break
            }
        }
        #expect(failure?.value == Array("lost?".utf8))
        #expect(failure?.key == Array("k".utf8))
        #expect(failure?.error.name == "TOPIC_AUTHORIZATION_FAILED")
        await producer.close(timeout: .seconds(2))
    }

    @Test("commits: a retriable coordinator error is retried; an authorization error surfaces as KafkaError")
    func commitErrors() async throws {
        let topic = KafkaTestSupport.uniqueName("commits")
        let broker = try KafkaTestSupport.broker(topic: topic, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
        for index in 0..<3 { _ = try await producer.send(KafkaProducerMessage(topic: topic, value: KafkaTestSupport.payload(index))) }
        let consumer = try KafkaConsumer(configuration: KafkaTestSupport.consumerConfiguration(broker, group: KafkaTestSupport.uniqueName("g")), topics: [topic])
        var iterator = consumer.messages.makeAsyncIterator()
        let first = try #require(await iterator.next())
        let second = try #require(await iterator.next())
        let partition = first.topicPartition

        broker.pushRequestErrors([RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE.rawValue], for: .offsetCommit)
        try await consumer.commit([first.nextOffset])
        #expect(try await consumer.committed([partition])[partition] == 1)

        broker.pushRequestErrors([RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED.rawValue], for: .offsetCommit)
        let error = await #expect(throws: KafkaError.self) { try await consumer.commit([second.nextOffset]) }
        #expect(error?.name == "GROUP_AUTHORIZATION_FAILED")
        #expect(try await consumer.committed([partition])[partition] == 1, "the failed commit changed nothing")

        broker.pushRequestErrors([RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED.rawValue], for: .offsetCommit)
        try consumer.commitAsync([second.nextOffset])
        var notice: KafkaConsumerNotice? = nil
        for await reported in consumer.notices {
            if case .commitFailed = reported {
                notice = reported
                break
            }
        }
        guard case .commitFailed(let asyncError, let offsets) = notice else {
            Issue.record("no commitFailed notice")
            return
        }
        #expect(asyncError.name == "GROUP_AUTHORIZATION_FAILED")
        #expect(offsets == [second.nextOffset])
        await consumer.close()
        await producer.close()
    }

    /// A one-partition topic on a fresh broker and a producer that has already delivered one record (so its
    /// idempotent producer id is set up before errors are injected).
    static func warmedUpProducer(_ prefix: String) async throws -> (String, DevBroker, KafkaProducer) {
        let topic = KafkaTestSupport.uniqueName(prefix)
        let broker = try KafkaTestSupport.broker(topic: topic, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
        _ = try await producer.send(KafkaProducerMessage(topic: topic, value: "warm-up"))
        return (topic, broker, producer)
    }
}
