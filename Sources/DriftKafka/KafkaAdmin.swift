import CRdKafka
import Foundation

/// A topic to create.
public struct KafkaTopicSpecification: Sendable, Equatable {
    public var name: String
    public var partitions: Int32
    public var replicationFactor: Int32
    /// Topic configs, e.g. `["cleanup.policy": "compact"]`.
    public var configs: [String: String]

    public init(name: String, partitions: Int32, replicationFactor: Int32 = 1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// A broker as the cluster's metadata lists it.
public struct KafkaBrokerDescription: Sendable, Equatable {
    public var id: Int32
    public var host: String
    public var port: Int32
}

/// A partition as the cluster's metadata describes it.
public struct KafkaPartitionDescription: Sendable, Equatable {
    public var id: Int32
    public var leader: Int32
    public var replicas: [Int32]
    public var inSyncReplicas: [Int32]
}

/// A topic as the cluster's metadata describes it.
public struct KafkaTopicDescription: Sendable, Equatable {
    public var name: String
    public var partitions: [KafkaPartitionDescription]
}

/// How `ensureTopics` made a topic exist.
public enum KafkaTopicOutcome: String, Sendable, Equatable {
    /// It was there already.
    case existed
    /// Created through the CreateTopics admin API.
    case created
    /// The cluster does not take CreateTopics (librdkafka's mock, for one); the topic was auto-created by
    /// a metadata request, with the cluster's default partition count.
    case autoCreated
}

/// Cluster administration: create, list and describe topics.
///
/// Requests are blocking in librdkafka and run on threads of their own.
public final class KafkaAdmin: Sendable {
    private let handle: NativeHandle

    /// Creates an admin client (a producer-type librdkafka instance that never produces).
    public init(configuration: KafkaConfiguration) throws(KafkaError) {
        let conf = try configuration.makeNativeConfiguration(role: .admin, overrides: [])
        handle = NativeHandle(pointer: try KafkaConfiguration.createClient(conf, role: .admin))
    }

    deinit {
        let handle = handle
        Thread.detachNewThread { rd_kafka_destroy(handle.pointer) }
    }

    /// Every broker and topic of the cluster (internal topics included).
    public func metadata(timeout: Duration = .seconds(10)) async throws(KafkaError) -> (brokers: [KafkaBrokerDescription], topics: [KafkaTopicDescription]) {
        let handle = handle
        let milliseconds = KafkaProducer.milliseconds(timeout)
        let result: Result<MetadataSnapshot, KafkaError> = await BlockingCall.run("admin.metadata") {
            KafkaAdmin.fetchMetadata(handle, topic: nil, timeoutMilliseconds: milliseconds)
        }
        let snapshot = try result.get()
        return (snapshot.brokers, snapshot.topics)
    }

    /// The topics of the cluster, sorted by name.
    public func listTopics(timeout: Duration = .seconds(10)) async throws(KafkaError) -> [KafkaTopicDescription] {
        try await metadata(timeout: timeout).topics.sorted { $0.name < $1.name }
    }

    /// The topic's partitions, or nil if the cluster does not have it. Does not create it.
    public func describeTopic(_ name: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> KafkaTopicDescription? {
        try await listTopics(timeout: timeout).first { $0.name == name }
    }

    /// Creates topics through the CreateTopics API.
    ///
    /// - Returns: per topic, nil when created or librdkafka's error (`TOPIC_ALREADY_EXISTS`, …).
    /// - Throws: when the request as a whole fails, e.g. because the cluster does not support CreateTopics.
    public func createTopics(_ topics: [KafkaTopicSpecification], timeout: Duration = .seconds(30)) async throws(KafkaError) -> [String: KafkaError?] {
        let handle = handle
        let milliseconds = KafkaProducer.milliseconds(timeout)
        let result: Result<[String: KafkaError?], KafkaError> = await BlockingCall.run("admin.createTopics") {
            KafkaAdmin.createTopicsBlocking(handle, topics, timeoutMilliseconds: milliseconds)
        }
        return try result.get()
    }

    /// Makes sure every topic exists, by whichever path the cluster supports: CreateTopics first (given at
    /// most 5 seconds), then auto-creation through a metadata request (librdkafka's mock cluster has no
    /// CreateTopics). Topics that exist already are left alone, whatever their partition count.
    ///
    /// - Throws: `KafkaError` naming the topics that could not be made to exist and why.
    public func ensureTopics(_ topics: [KafkaTopicSpecification], timeout: Duration = .seconds(30)) async throws(KafkaError) -> [String: KafkaTopicOutcome] {
        let existing = Set(try await listTopics(timeout: timeout).map(\.name))
        var outcomes: [String: KafkaTopicOutcome] = [:]
        let missing = topics.filter { !existing.contains($0.name) }
        for topic in topics where existing.contains(topic.name) { outcomes[topic.name] = .existed }
        guard !missing.isEmpty else { return outcomes }
        var createFailure: KafkaError?
        do throws(KafkaError) {
            // A cluster without a controller in its metadata (librdkafka's mock) makes CreateTopics wait for
            // one until the timeout: bound the attempt so the fallback comes in seconds.
            let results = try await createTopics(missing, timeout: min(timeout, .seconds(5)))
            for (name, error) in results {
                if let error, error.code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS.rawValue {
                    createFailure = error
                } else {
                    outcomes[name] = error == nil ? .created : .existed
                }
            }
        } catch {
            createFailure = error
        }
        let stillMissing = missing.filter { outcomes[$0.name] == nil }
        guard !stillMissing.isEmpty else { return outcomes }
        let handle = handle
        let milliseconds = KafkaProducer.milliseconds(timeout)
        var failures: [String] = []
        for topic in stillMissing {
            let result: Result<MetadataSnapshot, KafkaError> = await BlockingCall.run("admin.autoCreate") {
                KafkaAdmin.fetchMetadata(handle, topic: topic.name, timeoutMilliseconds: milliseconds)
            }
            if case .success(let snapshot) = result, snapshot.topics.contains(where: { $0.name == topic.name && !$0.partitions.isEmpty }) {
                outcomes[topic.name] = .autoCreated
            } else {
                failures.append(topic.name)
            }
        }
        guard failures.isEmpty else {
            let cause = createFailure.map { "CreateTopics failed (\($0.message))" } ?? "CreateTopics did not create them"
            throw KafkaError(code: RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, operation: "ensureTopics",
                             message: "topics \(failures.joined(separator: ", ")) do not exist: \(cause), and the cluster did not auto-create them; create them with your cluster's tools")
        }
        return outcomes
    }

    // MARK: - Blocking implementations

    struct MetadataSnapshot: Sendable {
        var brokers: [KafkaBrokerDescription]
        var topics: [KafkaTopicDescription]
    }

    /// `topic` nil: all topics. A named topic is requested through a topic handle, which lets a cluster with
    /// auto-creation create it.
    static func fetchMetadata(_ handle: NativeHandle, topic: String?, timeoutMilliseconds: Int32) -> Result<MetadataSnapshot, KafkaError> {
        var metadata: UnsafePointer<rd_kafka_metadata>? = nil
        let topicHandle = topic.map { rd_kafka_topic_new(handle.pointer, $0, nil) } ?? nil
        defer { if let topicHandle { rd_kafka_topic_destroy(topicHandle) } }
        let code = rd_kafka_metadata(handle.pointer, topic == nil ? 1 : 0, topicHandle, &metadata, timeoutMilliseconds)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            return .failure(KafkaError(code: code, operation: "metadata"))
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        let value = metadata.pointee
        let brokers = (0..<Int(value.broker_cnt)).map { index in
            let broker = value.brokers[index]
            return KafkaBrokerDescription(id: broker.id, host: String(cString: broker.host), port: broker.port)
        }
        var topics: [KafkaTopicDescription] = []
        for index in 0..<Int(value.topic_cnt) {
            let entry = value.topics[index]
            guard entry.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
            let partitions = (0..<Int(entry.partition_cnt)).map { partitionIndex in
                let partition = entry.partitions[partitionIndex]
                return KafkaPartitionDescription(
                    id: partition.id, leader: partition.leader,
                    replicas: (0..<Int(partition.replica_cnt)).map { partition.replicas[$0] },
                    inSyncReplicas: (0..<Int(partition.isr_cnt)).map { partition.isrs[$0] })
            }
            topics.append(KafkaTopicDescription(name: String(cString: entry.topic), partitions: partitions.sorted { $0.id < $1.id }))
        }
        return .success(MetadataSnapshot(brokers: brokers.sorted { $0.id < $1.id }, topics: topics))
    }

    static func createTopicsBlocking(_ handle: NativeHandle, _ topics: [KafkaTopicSpecification], timeoutMilliseconds: Int32) -> Result<[String: KafkaError?], KafkaError> {
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        var errorText = [CChar](repeating: 0, count: 512)
        for topic in topics {
            guard let newTopic = rd_kafka_NewTopic_new(topic.name, topic.partitions, topic.replicationFactor, &errorText, errorText.count) else {
                let text = String(errorBuffer: errorText)
                return .failure(KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG, operation: "createTopics", message: "\(topic.name): \(text)"))
            }
            for (key, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
                _ = rd_kafka_NewTopic_set_config(newTopic, key, value)
            }
            newTopics.append(newTopic)
        }
        let queue = rd_kafka_queue_new(handle.pointer)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(handle.pointer, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMilliseconds, &errorText, errorText.count)
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(handle.pointer, buffer.baseAddress, buffer.count, options, queue)
        }
        guard let event = rd_kafka_queue_poll(queue, timeoutMilliseconds + 1_000) else {
            return .failure(KafkaError(code: RD_KAFKA_RESP_ERR__TIMED_OUT, operation: "createTopics"))
        }
        defer { rd_kafka_event_destroy(event) }
        let code = rd_kafka_event_error(event)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) }
            return .failure(KafkaError(code: code, operation: "createTopics", message: text))
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else {
            return .failure(KafkaError(code: RD_KAFKA_RESP_ERR__FAIL, operation: "createTopics", message: "no CreateTopics result"))
        }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return .success([:]) }
        var outcome: [String: KafkaError?] = [:]
        for index in 0..<count {
            guard let topicResult = results[index] else { continue }
            let name = String(cString: rd_kafka_topic_result_name(topicResult))
            let code = rd_kafka_topic_result_error(topicResult)
            if code == RD_KAFKA_RESP_ERR_NO_ERROR {
                outcome[name] = .some(nil)
            } else {
                let text = rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) }
                outcome[name] = KafkaError(code: code, operation: "createTopics", message: text)
            }
        }
        return .success(outcome)
    }
}
