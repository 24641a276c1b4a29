import DriftKafka
import Foundation
import Testing

@Suite("KafkaAdmin and DevBroker", .timeLimit(.minutes(2)))
struct AdminAndDevBrokerTests {
    @Test("the dev broker creates the default topics; the admin client lists and describes them")
    func defaultTopicsListed() async throws {
        let broker = try DevBroker(brokers: 3, topics: DevBroker.defaultTopics(partitions: 6))
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: broker.bootstrapServers, properties: ["log_level": "3"]))
        let topics = try await admin.listTopics()
        let names = Set(topics.map(\.name))
        #expect(names.isSuperset(of: DevBroker.defaultTopicNames))
        let inference = try await admin.describeTopic("inference-events")
        #expect(inference?.partitions.count == 6)
        #expect(inference?.partitions.allSatisfy { (1...3).contains($0.leader) } == true)
        let metadata = try await admin.metadata()
        #expect(metadata.brokers.map(\.id) == [1, 2, 3])
        #expect(try await admin.describeTopic("no-such-topic") == nil)
        broker.shutdown()
    }

    @Test("ensureTopics falls back to auto-creation where CreateTopics is missing, and reports existing topics")
    func ensureTopicsFallsBack() async throws {
        let broker = try DevBroker(brokers: 1, topics: [KafkaTopicSpecification(name: "present", partitions: 2)])
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: broker.bootstrapServers, properties: ["log_level": "3"]))
        // The mock lists no controller, so CreateTopics times out waiting for one.
        let error = await #expect(throws: KafkaError.self) {
            _ = try await admin.createTopics([KafkaTopicSpecification(name: "direct", partitions: 3)], timeout: .seconds(1))
        }
        #expect(error?.isRetriable == true)
        let outcomes = try await admin.ensureTopics([
            KafkaTopicSpecification(name: "present", partitions: 2),
            KafkaTopicSpecification(name: "fresh", partitions: 3, configs: ["cleanup.policy": "compact"]),
        ], timeout: .seconds(10))
        #expect(outcomes == ["present": .existed, "fresh": .autoCreated])
        #expect(try await admin.describeTopic("fresh") != nil)
        broker.shutdown()
    }

    @Test("a fixed port bootstraps clients through the front door")
    func fixedPortFrontDoor() async throws {
        let port = try KafkaTestSupport.freePort()
        let broker = try DevBroker(brokers: 2, port: port, topics: [KafkaTopicSpecification(name: "door", partitions: 2)])
        #expect(broker.frontDoorPort == port)
        #expect(broker.bootstrapServers.hasPrefix("127.0.0.1:\(port),"))
        let configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:\(port)", properties: ["log_level": "3"])
        let producer = try KafkaProducer(configuration: configuration)
        let report = try await producer.send(KafkaProducerMessage(topic: "door", partition: 1, value: "through the door"))
        #expect(report.partition == 1 && report.offset == 0)
        await producer.close()
        broker.shutdown()
        let again = try DevBroker(brokers: 1, port: port)
        #expect(again.frontDoorPort == port, "the port is released at shutdown")
        again.shutdown()
    }

    @Test("a busy fixed port is refused with a clear error")
    func busyPort() throws {
        let broker = try DevBroker(brokers: 1, port: 0)
        let taken = try #require(broker.frontDoorPort)
        let error = #expect(throws: KafkaError.self) { _ = try DevBroker(brokers: 1, port: taken) }
        #expect(error?.message.contains("\(taken)") == true)
        broker.shutdown()
    }

    @Test("round-trip delay slows every request by the injected amount")
    func roundTripDelay() async throws {
        let broker = try DevBroker(brokers: 1, topics: [KafkaTopicSpecification(name: "slow", partitions: 1)])
        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: broker.bootstrapServers, properties: ["log_level": "3", "linger.ms": "0"]))
        _ = try await producer.send(KafkaProducerMessage(topic: "slow", value: "warm"))
        try broker.setRoundTripDelay(.milliseconds(300))
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await producer.send(KafkaProducerMessage(topic: "slow", value: "delayed"))
        #expect(clock.now - start >= .milliseconds(250))
        try broker.setRoundTripDelay(.zero)
        await producer.close()
        broker.shutdown()
    }

    @Test("invalid broker counts are refused")
    func invalidBrokerCount() {
        #expect(throws: KafkaError.self) { _ = try DevBroker(brokers: 0) }
        #expect(throws: KafkaError.self) { _ = try DevBroker(brokers: 33) }
    }
}
