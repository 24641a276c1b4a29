import DriftKafka
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

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

    @Test("a broker whose port was taken while it was down stays down with an error instead of aborting the process")
    func brokerUpWithItsPortTaken() throws {
        let broker = try DevBroker(brokers: 1)
        defer { broker.shutdown() }
        let port = try #require(broker.brokerAddresses.first?.split(separator: ":").last.flatMap { UInt16($0) })
        try broker.setBrokerDown(1)
        // Another listener takes the port (as a new mock broker asking for any free port could).
        // (The mock closes its listener on its own thread: a few tries.)
        let squatter = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var reuse: Int32 = 1
        setsockopt(squatter, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var bound: Int32 = -1
        for _ in 0..<40 where bound != 0 {
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(squatter, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound != 0 { usleep(50_000) }
        }
        try #require(bound == 0 && listen(squatter, 1) == 0, "the test could not take port \(port)")
        let error = #expect(throws: KafkaError.self) { try broker.setBrokerUp(1, portWait: .milliseconds(300)) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("port \(port) was taken"))
        // Once the port is free again the broker comes back on it.
        close(squatter)
        try broker.setBrokerUp(1)
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
