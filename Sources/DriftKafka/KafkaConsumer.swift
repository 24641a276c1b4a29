import CRdKafka
import Foundation
import Synchronization

/// Consumes records from Kafka through librdkafka, as a member of a consumer group or on partitions it is
/// given.
///
/// - Group members use the cooperative-sticky assignor: a rebalance moves only the partitions that must
///   move, and each move reaches Swift as a `KafkaRebalance` event, in order with the messages, that the
///   rebalance waits for (see `KafkaRebalance`).
/// - `events` yields message batches and rebalances; `messages` and `batches` are views of the same
///   stream that acknowledge rebalances at once (use them when there is no per-partition state to hand over).
///   Read one of them, from one task.
/// - Buffering is bounded: when `options.bufferCapacity` messages wait in Swift, the consumer pauses its
///   partitions and resumes them once the reader has taken half; nothing is dropped.
/// - Offsets are never committed automatically: commit what was processed with `commit(_:)` (waits for the
///   broker) or `commitAsync(_:)` (failures arrive on `notices`).
///
/// A dedicated thread polls librdkafka; the blocking calls (`commit`, `committed`, `watermarks`, `close`)
/// run on threads of their own, never on Swift's cooperative pool.
public final class KafkaConsumer: Sendable {
    private let core: ConsumerCore
    private let context: Unmanaged<ConsumerCore>
    /// Errors and failed asynchronous commits. Buffers the newest 10,000.
    public let notices: AsyncStream<KafkaConsumerNotice>

    /// Joins the consumer group of `configuration.groupID` and subscribes to `topics`.
    ///
    /// Defaults set here (each can be overridden through `configuration.properties`): the
    /// `cooperative-sticky` assignor, no automatic commits, `auto.offset.reset=earliest`, and a prefetch of up
    /// to 1,000,000 messages or 256 MiB (`queued.min.messages`, `queued.max.messages.kbytes`).
    public convenience init(configuration: KafkaConfiguration, topics: [String], options: KafkaConsumerOptions = KafkaConsumerOptions()) throws(KafkaError) {
        guard configuration.groupID != nil else {
            throw .client("a group subscription needs configuration.groupID", operation: "subscribe")
        }
        try self.init(configuration: configuration, options: options) { handle, core throws(KafkaError) in
            core.awaitingAssignment = true
            let list = NativePartitionList.make(topics.map { KafkaTopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA) })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let code = rd_kafka_subscribe(handle, list)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code: code, operation: "subscribe") }
        }
    }

    /// Reads the given partitions from the given offsets (`KafkaOffset.beginning`, `.end`, `.stored` or an
    /// absolute offset), without group rebalancing.
    ///
    /// Without `configuration.groupID` the consumer gets a private group id (`driftkafka-assign-<random>`):
    /// librdkafka's consumer needs one, and nothing is committed unless you commit. Set a group id to commit
    /// offsets you want to read back later.
    ///
    /// The poll thread first asks for the topics' metadata (up to 5 seconds) and then assigns, so fetching
    /// starts at once instead of after librdkafka's 500 ms retry of offset lookups on partitions whose leader
    /// it does not know yet. An assignment librdkafka refuses arrives as an error on `notices` and ends the
    /// message sequences.
    public convenience init(configuration: KafkaConfiguration, assignment: [KafkaTopicPartitionOffset], options: KafkaConsumerOptions = KafkaConsumerOptions()) throws(KafkaError) {
        var configuration = configuration
        if configuration.groupID == nil {
            configuration.groupID = "driftkafka-assign-\(UInt64.random(in: 0...UInt64.max))"
        }
        try self.init(configuration: configuration, options: options) { _, core throws(KafkaError) in
            core.initialAssignment = assignment
        }
    }

    private init(configuration: KafkaConfiguration, options: KafkaConsumerOptions, start: (OpaquePointer, ConsumerCore) throws(KafkaError) -> Void) throws(KafkaError) {
        let (stream, continuation) = AsyncStream<KafkaConsumerNotice>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let core = ConsumerCore(options: options, notices: continuation)
        let context = Unmanaged.passRetained(core)
        let handle: OpaquePointer
        do throws(KafkaError) {
            let conf = try configuration.makeNativeConfiguration(role: .consumer, overrides: [
                ("partition.assignment.strategy", "cooperative-sticky"),
                ("enable.auto.commit", "false"),
                ("enable.auto.offset.store", "false"),
                ("auto.offset.reset", "earliest"),
                // librdkafka 2.0.2 applies both prefetch limits to the one consumer queue and, once either is
                // reached, stops fetching until its broker threads wake by themselves (up to a second later;
                // 2.1.0 added fetch.queue.backoff.ms for this). Generous limits keep that stall off the hot path;
                // the Swift-side bound is `options.bufferCapacity`.
                ("queued.min.messages", "1000000"),
                ("queued.max.messages.kbytes", "262144"),
                ("fetch.wait.max.ms", "100"),
            ])
            rd_kafka_conf_set_opaque(conf, context.toOpaque())
            rd_kafka_conf_set_rebalance_cb(conf, ConsumerCore.rebalanceCallback)
            rd_kafka_conf_set_error_cb(conf, ConsumerCore.errorCallback)
            rd_kafka_conf_set_offset_commit_cb(conf, ConsumerCore.commitCallback)
            handle = try KafkaConfiguration.createClient(conf, role: .consumer)
        } catch {
            context.release()
            throw error
        }
        core.attach(handle)
        do throws(KafkaError) {
            try start(handle, core)
        } catch {
            core.releaseQueue()
            rd_kafka_destroy(handle)
            context.release()
            throw error
        }
        core.startPollThread()
        self.core = core
        self.context = context
        self.notices = stream
    }

    deinit {
        let core = core
        let context = context
        core.stopping.store(true, ordering: .relaxed)
        core.wake()
        Thread.detachNewThread {
            core.exited.wait(seconds: 60)
            context.release()
        }
    }

    // MARK: - Reading

    /// Message batches and rebalance events, in order; ends when the consumer is closed.
    public var events: Events { Events(buffer: core.buffer) }

    /// Messages one at a time; rebalances are acknowledged as they pass.
    public var messages: Messages { Messages(buffer: core.buffer) }

    /// Message batches as fetched; rebalances are acknowledged as they pass.
    public var batches: Batches { Batches(buffer: core.buffer) }

    /// The partitions assigned to this consumer now.
    public var assignment: Set<KafkaTopicPartition> { core.assignment.withLock { $0 } }

    // MARK: - Offsets

    /// Commits `offsets` (each the next offset to read: last processed + 1) and waits for the broker.
    public func commit(_ offsets: [KafkaTopicPartitionOffset]) async throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let client = core.client!
        let handle = try client.acquire("commit", client: "consumer")
        let failure: KafkaError? = await BlockingCall.run("consumer.commit") {
            defer { client.release() }
            let list = NativePartitionList.make(offsets)
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let code = rd_kafka_commit(handle.pointer, list, 0)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR { return KafkaError(code: code, operation: "commit") }
            for (entry, code) in NativePartitionList.entries(list) where code != RD_KAFKA_RESP_ERR_NO_ERROR {
                return KafkaError(code: code, operation: "commit", message: "\(entry): \(String(cString: rd_kafka_err2str(code)))")
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// Commits the offset after each message's (the highest per partition) and waits for the broker.
    public func commit(after messages: [KafkaMessage]) async throws(KafkaError) {
        try await commit(Self.nextOffsets(after: messages))
    }

    /// Starts committing `offsets` without waiting; a failure arrives on `notices` as `.commitFailed`.
    public func commitAsync(_ offsets: [KafkaTopicPartitionOffset]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = NativePartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let code = try core.client.withHandle("commit", client: "consumer") { rd_kafka_commit($0, list, 1) }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code: code, operation: "commit") }
    }

    /// The group's committed offsets for `partitions` (`KafkaOffset.invalid` where nothing is committed).
    public func committed(_ partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) async throws(KafkaError) -> [KafkaTopicPartition: Int64] {
        let client = core.client!
        let handle = try client.acquire("committed", client: "consumer")
        let milliseconds = KafkaProducer.milliseconds(timeout)
        return try await BlockingCall.run("consumer.committed") { () -> Result<[KafkaTopicPartition: Int64], KafkaError> in
            defer { client.release() }
            let list = NativePartitionList.make(partitions)
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let code = rd_kafka_committed(handle.pointer, list, milliseconds)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR { return .failure(KafkaError(code: code, operation: "committed")) }
            return .success(Self.offsetMap(NativePartitionList.entries(list)))
        }
    }

    /// The next offset this consumer will read in each of `partitions` (`KafkaOffset.invalid` if unknown).
    /// Local: no request is made.
    public func position(_ partitions: [KafkaTopicPartition]) throws(KafkaError) -> [KafkaTopicPartition: Int64] {
        let list = NativePartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let code = try core.client.withHandle("position", client: "consumer") { rd_kafka_position($0, list) }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code: code, operation: "position") }
        return Self.offsetMap(NativePartitionList.entries(list))
    }

    /// The partition's low and high watermarks, asked of its leader.
    public func watermarks(_ partition: KafkaTopicPartition, timeout: Duration = .seconds(10)) async throws(KafkaError) -> (low: Int64, high: Int64) {
        let client = core.client!
        let handle = try client.acquire("watermarks", client: "consumer")
        let milliseconds = KafkaProducer.milliseconds(timeout)
        let result: Result<[Int64], KafkaError> = await BlockingCall.run("consumer.watermarks") {
            defer { client.release() }
            var low: Int64 = 0
            var high: Int64 = 0
            let code = rd_kafka_query_watermark_offsets(handle.pointer, partition.topic, partition.partition, &low, &high, milliseconds)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR { return .failure(KafkaError(code: code, operation: "watermarks", message: "\(partition): \(String(cString: rd_kafka_err2str(code)))")) }
            return .success([low, high])
        }
        let bounds = try result.get()
        return (bounds[0], bounds[1])
    }

    /// Lag of every assigned partition (or of `partitions`): watermarks, position and committed offset.
    public func lag(of partitions: [KafkaTopicPartition]? = nil, timeout: Duration = .seconds(10)) async throws(KafkaError) -> [KafkaPartitionLag] {
        let targets = (partitions ?? Array(assignment)).sorted()
        guard !targets.isEmpty else { return [] }
        let positions = try position(targets)
        let committed = try await committed(targets, timeout: timeout)
        var result: [KafkaPartitionLag] = []
        for partition in targets {
            let (low, high) = try await watermarks(partition, timeout: timeout)
            result.append(KafkaPartitionLag(
                topicPartition: partition,
                position: positions[partition].flatMap { $0 >= 0 ? $0 : nil },
                committed: committed[partition].flatMap { $0 >= 0 ? $0 : nil },
                lowWatermark: low, highWatermark: high))
        }
        return result
    }

    /// Moves the read position of assigned partitions; buffered messages of those partitions are discarded,
    /// so the next message of each is the one at its new offset.
    public func seek(_ offsets: [KafkaTopicPartitionOffset], timeout: Duration = .seconds(10)) async throws(KafkaError) {
        if core.client.isRetired || core.stopping.load(ordering: .relaxed) {
            throw .client("consumer is closed", operation: "seek", code: RD_KAFKA_RESP_ERR__DESTROY)
        }
        let core = core
        let failure: KafkaError? = await withCheckedContinuation { continuation in
            core.post(.seek(offsets, timeout, continuation))
        }
        if let failure { throw failure }
    }

    // MARK: - Lifecycle

    /// Leaves the group (after revoking the assignment; commit what you processed first), and releases the
    /// client. The event sequences end. Safe to call more than once.
    public func close() async {
        let core = core
        core.stopping.store(true, ordering: .relaxed)
        core.wake()
        _ = await BlockingCall.run("consumer.close") { core.exited.wait(seconds: 60) }
    }

    /// Exact running totals.
    public var statistics: KafkaConsumerStatistics {
        KafkaConsumerStatistics(
            received: core.received.load(ordering: .relaxed),
            discarded: core.discarded.load(ordering: .relaxed),
            buffered: core.buffer.messageCount,
            bufferedBytes: core.buffer.byteCount,
            pauses: core.pauses.load(ordering: .relaxed),
            errors: core.errors.load(ordering: .relaxed),
            offsetGaps: core.offsetGaps.load(ordering: .relaxed),
            offsetsSkipped: core.offsetsSkipped.load(ordering: .relaxed))
    }

    // MARK: - Helpers

    /// For each partition among `messages`, the offset after the highest one.
    public static func nextOffsets(after messages: [KafkaMessage]) -> [KafkaTopicPartitionOffset] {
        var highest: [KafkaTopicPartition: Int64] = [:]
        for message in messages {
            let partition = message.topicPartition
            highest[partition] = max(highest[partition] ?? -1, message.offset)
        }
        return highest.sorted { $0.key < $1.key }.map { KafkaTopicPartitionOffset($0.key, offset: $0.value + 1) }
    }

    private static func offsetMap(_ entries: [(KafkaTopicPartitionOffset, rd_kafka_resp_err_t)]) -> [KafkaTopicPartition: Int64] {
        Dictionary(entries.map { ($0.0.topicPartition, $0.0.offset) }, uniquingKeysWith: { $1 })
    }
}
