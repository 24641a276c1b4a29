import CRdKafka
import Foundation
import Synchronization

/// Kafka protocol request types, for fault injection on the dev broker.
public enum KafkaAPIKey: Int16, Sendable, CaseIterable {
    case produce = 0, fetch = 1, listOffsets = 2, metadata = 3, offsetCommit = 8, offsetFetch = 9
    case findCoordinator = 10, joinGroup = 11, heartbeat = 12, leaveGroup = 13, syncGroup = 14
    case apiVersions = 18, initProducerID = 22
}

/// An in-memory Kafka cluster for development, tests and the demo: librdkafka's mock cluster, which speaks
/// the real Kafka protocol over TCP on 127.0.0.1, so any client (this package's, kcat, Python's
/// confluent-kafka, Java) can use it, from this process or another.
///
/// It is not a real broker: data lives in memory only, **each partition keeps only about the last 5 MiB**
/// (older messages vanish like retention, librdkafka 2.0.2 hard-codes it), there are no ACLs, no
/// CreateTopics API (topics come from `createTopic` or auto-creation), and topic configs are ignored.
///
/// Fault injection: `setBrokerDown(_:)` / `setBrokerUp(_:)`, `setRoundTripDelay(_:broker:)`,
/// `pushRequestErrors(_:for:)` and `setTopicError(_:topic:)`.
public final class DevBroker: Sendable {
    /// The default topics of the architecture (`ARCHITECTURE.md`).
    public static let defaultTopicNames = [
        "inference-events", "feedback-events", "driftwatch.partials", "drift-events", "model-versions", "driftwatch.dead-letter", "label-requests",
        "driftwatch.stage1-changelog", "driftwatch.stage2-changelog",
    ]

    /// `bootstrap.servers` for clients: the fixed-port front door first when a port was asked for, then
    /// every broker's own address.
    public let bootstrapServers: String
    /// The brokers' own `host:port` addresses, broker id 1 first.
    public let brokerAddresses: [String]
    /// Broker ids, 1…n.
    public let brokerIDs: [Int32]
    /// The topics created so far, with their partition counts.
    public var topics: [String: Int32] { createdTopics.withLock { $0 } }

    private let host: NativeHandle
    /// The mock cluster, borrowed by every call so `shutdown()` never destroys it under one.
    private let cluster: ClientHandle
    private let frontDoor: TCPFrontDoor?
    private let createdTopics = Mutex<[String: Int32]>([:])
    private let stopped = Atomic<Bool>(false)

    /// Starts a mock cluster of `brokers` brokers on 127.0.0.1.
    ///
    /// - Parameters:
    ///   - port: a fixed port on which clients can bootstrap (relayed to broker 1); nil for none.
    ///   - topics: topics to create at once (name and partition count).
    public init(brokers: Int = 3, port: UInt16? = nil, topics: [KafkaTopicSpecification] = []) throws(KafkaError) {
        guard (1...32).contains(brokers) else {
            throw .client("--brokers must be between 1 and 32, got \(brokers)", operation: "broker")
        }
        var configuration = KafkaConfiguration(bootstrapServers: "", clientID: "driftwatch-dev-broker")
        configuration.properties["log_level"] = "3"
        let conf = try configuration.makeNativeConfiguration(role: .admin, overrides: [])
        let host = try KafkaConfiguration.createClient(conf, role: .admin)
        guard let cluster = rd_kafka_mock_cluster_new(host, Int32(brokers)) else {
            rd_kafka_destroy(host)
            throw .client("librdkafka could not create the mock cluster", operation: "broker", code: RD_KAFKA_RESP_ERR__FAIL)
        }
        let addresses = String(cString: rd_kafka_mock_cluster_bootstraps(cluster)).split(separator: ",").map(String.init)
        var door: TCPFrontDoor? = nil
        if let port {
            guard let firstPort = addresses.first?.split(separator: ":").last.flatMap({ UInt16($0) }) else {
                rd_kafka_mock_cluster_destroy(cluster)
                rd_kafka_destroy(host)
                throw .client("unexpected mock bootstrap list \(addresses)", operation: "broker", code: RD_KAFKA_RESP_ERR__FAIL)
            }
            do throws(KafkaError) {
                door = try TCPFrontDoor(port: port, targetPort: firstPort)
            } catch {
                rd_kafka_mock_cluster_destroy(cluster)
                rd_kafka_destroy(host)
                throw error
            }
        }
        self.host = NativeHandle(pointer: host)
        self.cluster = ClientHandle(cluster)
        self.frontDoor = door
        self.brokerAddresses = addresses
        self.brokerIDs = (1...Int32(brokers)).map { $0 }
        self.bootstrapServers = ((door.map { ["127.0.0.1:\($0.port)"] } ?? []) + addresses).joined(separator: ",")
        for topic in topics {
            try createTopic(topic.name, partitions: topic.partitions, replicationFactor: topic.replicationFactor)
        }
    }

    deinit { shutdown() }

    /// The port of the fixed-port front door, if there is one.
    public var frontDoorPort: UInt16? { frontDoor?.port }

    /// The default topics, each with `partitions` partitions.
    public static func defaultTopics(partitions: Int32) -> [KafkaTopicSpecification] {
        defaultTopicNames.map { KafkaTopicSpecification(name: $0, partitions: partitions) }
    }

    /// Creates a topic (the mock's own API; the cluster has no CreateTopics).
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws(KafkaError) {
        let replicas = min(replicationFactor, Int32(brokerIDs.count))
        let code = try cluster.withHandle("createTopic", client: "dev broker") { rd_kafka_mock_topic_create($0, name, partitions, replicas) }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: code, operation: "createTopic", message: "\(name): \(String(cString: rd_kafka_err2str(code)))")
        }
        createdTopics.withLock { $0[name] = partitions }
    }

    /// Makes a broker refuse connections and drop the ones it has (no leader moves, as when a broker dies).
    public func setBrokerDown(_ broker: Int32) throws(KafkaError) {
        try check(cluster.withHandle("broker down", client: "dev broker") { rd_kafka_mock_broker_set_down($0, broker) }, "broker down")
    }

    /// Lets a broker accept connections again, on its old port.
    ///
    /// librdkafka re-creates the broker's listener and aborts the whole process when that port cannot be bound
    /// (another socket took it while the broker was down — a new listener asking for any free port can get it).
    /// So the port is checked first, for up to `portWait`; a port still taken is this error, not an abort.
    public func setBrokerUp(_ broker: Int32, portWait: Duration = .seconds(10)) throws(KafkaError) {
        if Int(broker) >= 1, Int(broker) <= brokerAddresses.count,
           let port = brokerAddresses[Int(broker) - 1].split(separator: ":").last.flatMap({ UInt16($0) }) {
            let deadline = ContinuousClock.now + portWait
            while !TCPFrontDoor.isFree(host: "127.0.0.1", port: port) {
                guard ContinuousClock.now < deadline else {
                    throw .client("broker \(broker) cannot come back: port \(port) was taken while it was down", operation: "broker up",
                                  code: RD_KAFKA_RESP_ERR__TRANSPORT)
                }
                usleep(50_000)
            }
        }
        try check(cluster.withHandle("broker up", client: "dev broker") { rd_kafka_mock_broker_set_up($0, broker) }, "broker up")
    }

    /// Sets every broker down (the whole cluster unreachable).
    public func setAllBrokersDown() throws(KafkaError) {
        for broker in brokerIDs { try setBrokerDown(broker) }
    }

    /// Sets every broker up.
    public func setAllBrokersUp() throws(KafkaError) {
        for broker in brokerIDs { try setBrokerUp(broker) }
    }

    /// Delays every response of `broker` (all brokers when nil) by `delay`.
    public func setRoundTripDelay(_ delay: Duration, broker: Int32? = nil) throws(KafkaError) {
        let milliseconds = KafkaProducer.milliseconds(delay)
        for id in broker.map({ [$0] }) ?? brokerIDs {
            try check(cluster.withHandle("round-trip delay", client: "dev broker") { rd_kafka_mock_broker_set_rtt($0, id, milliseconds) }, "round-trip delay")
        }
    }

    /// Makes the next requests of type `api` (to any broker) fail with `errors`, one per request, in order.
    /// Codes are librdkafka's `rd_kafka_resp_err_t` values (for example `RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION`).
    public func pushRequestErrors(_ errors: [Int32], for api: KafkaAPIKey) {
        let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        _ = try? cluster.withHandle("request errors", client: "dev broker") { cluster in
            codes.withUnsafeBufferPointer { buffer in
                rd_kafka_mock_push_request_errors_array(cluster, api.rawValue, buffer.count, buffer.baseAddress)
            }
        }
    }

    /// Removes the errors still queued for `api`.
    public func clearRequestErrors(for api: KafkaAPIKey) {
        _ = try? cluster.withHandle("request errors", client: "dev broker") { rd_kafka_mock_clear_request_errors($0, api.rawValue) }
    }

    /// Makes Metadata responses report `code` for `topic` (`RD_KAFKA_RESP_ERR_NO_ERROR` to clear).
    public func setTopicError(_ code: Int32, topic: String) {
        _ = try? cluster.withHandle("topic error", client: "dev broker") { rd_kafka_mock_topic_set_error($0, topic, rd_kafka_resp_err_t(rawValue: code)) }
    }

    /// Stops the front door and destroys the cluster; clients connected to it see their brokers go away.
    public func shutdown() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing), let cluster = cluster.retire() else { return }
        frontDoor?.stop()
        rd_kafka_mock_cluster_destroy(cluster.pointer)
        rd_kafka_destroy(host.pointer)
    }

    private func check(_ code: rd_kafka_resp_err_t, _ operation: String) throws(KafkaError) {
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code: code, operation: operation) }
    }
}
