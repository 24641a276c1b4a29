import DriftKafka
@testable import DriftMonitor
import Testing

/// `ChangelogStore` on the dev broker: a round makes each record just before it is queued, releases what the
/// element held, waits for delivery every `flushBytes`, and every record reads back under its key.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ChangelogStoreTests {
    /// A checkpoint as the round sees it: its input partition and its (bulky) state.
    struct Element { var partition: Int32; var state: [UInt8] }

    @Test func recordsAreMadeOneAtATimeFlushedInChunksAndReadBack() async throws {
        let topic = "changelog-test"
        let broker = try DevBroker(brokers: 1, topics: [KafkaTopicSpecification(name: topic, partitions: 2)])
        defer { broker.shutdown() }
        var configuration = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
        configuration.properties["log_level"] = "3"
        // Nothing is sent on its own for a second, so a record delivered before the next is made was flushed.
        configuration.lingerMilliseconds = 1_000
        let producer = try KafkaProducer(configuration: configuration)
        let store = ChangelogStore(topic: topic, partitions: 2, group: "g", configuration: configuration, producer: producer, flushBytes: 1_000)

        var elements = (0..<6).map { Element(partition: Int32($0), state: [UInt8](repeating: UInt8($0), count: 700)) }
        var taken: [Int32] = []
        var deliveredBefore: [Int32: UInt64] = [:]
        let sizes = try await store.write(&elements) { element in
            defer { element.state = [] }
            taken.append(element.partition)
            deliveredBefore[element.partition] = producer.statistics.delivered
            return (topic: "inference-events", partition: element.partition, value: element.state + [UInt8(element.partition)])
        }

        #expect(sizes == Array(repeating: 701, count: 6))
        #expect(taken == [0, 1, 2, 3, 4, 5], "one record made per element, in order")
        #expect(elements.allSatisfy { $0.state.isEmpty }, "each element's state is released once its record is queued")
        // 701 + 701 ≥ 1,000: the round waits for the first two before it makes the third, and so on.
        #expect(deliveredBefore[1] == 0)
        #expect((deliveredBefore[2] ?? 0) >= 2)
        #expect((deliveredBefore[4] ?? 0) >= 4)
        #expect(producer.statistics.delivered == 6, "all delivered when write returns")

        let read = try await store.read((0..<6).map { (topic: "inference-events", partition: Int32($0)) })
        for partition in 0..<6 {
            let records = read[store.key(topic: "inference-events", partition: Int32(partition))] ?? []
            #expect(records == [[UInt8](repeating: UInt8(partition), count: 700) + [UInt8(partition)]], "partition \(partition)")
        }
        await producer.close()
    }
}
