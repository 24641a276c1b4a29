import CRdKafka
import Foundation
import Synchronization

/// The state a consumer shares with its poll thread and librdkafka's callbacks.
///
/// Only the poll thread calls librdkafka's consume functions; it serves the rebalance, error and commit
/// callbacks, converts messages, applies back-pressure (pausing the assignment when the Swift buffer is full)
/// and runs the commands other threads post to it (seek). Callbacks record events; only the rebalance
/// callback waits, on the poll thread, for the Swift side to acknowledge a rebalance.
final class ConsumerCore: @unchecked Sendable {
    /// Work other threads hand to the poll thread.
    enum Command {
        case seek([KafkaTopicPartitionOffset], Duration, CheckedContinuation<KafkaError?, Never>)
    }

    let options: KafkaConsumerOptions
    private(set) var handle: NativeHandle?
    /// The handle as borrowed by calls from Swift (commits, queries), so close never races them.
    private(set) var client: ClientHandle!
    private(set) var queue: NativeHandle?
    /// The consumer queue for `wake()`, cleared (under the lock) before the queue is destroyed.
    private let wakeTarget = Mutex<NativeHandle?>(nil)
    private(set) var buffer: ConsumerBuffer!
    let notices: AsyncStream<KafkaConsumerNotice>.Continuation
    let commands = Mutex<[Command]>([])
    let assignment = Mutex<Set<KafkaTopicPartition>>([])
    let stopping = Atomic<Bool>(false)
    let closing = Atomic<Bool>(false)
    let exited = CompletionSignal()
    let received = Atomic<UInt64>(0)
    let discarded = Atomic<UInt64>(0)
    let pauses = Atomic<UInt64>(0)
    let errors = Atomic<UInt64>(0)
    let wantsResume = Atomic<Bool>(false)

    let offsetGaps = Atomic<UInt64>(0)
    let offsetsSkipped = Atomic<UInt64>(0)

    /// Poll-thread-only state.
    private var paused = false
    private var topicNames: [OpaquePointer: String] = [:]
    private var lastTopic: (handle: OpaquePointer, name: String)?
    /// The offset expected next per partition, to notice records that vanished (retention, resets).
    private var expectedOffsets: [KafkaTopicPartition: Int64] = [:]
    /// True while a group member has joined (or rejoins after losing its partitions) without an assignment
    /// yet. librdkafka 2.0.2 aborts the process when a cooperative-sticky consumer is destroyed in that
    /// window (its assignor state is still NULL; fixed upstream in 2.3.0, librdkafka#4381), so close waits
    /// for the assignment first.
    var awaitingAssignment = false
    /// Partitions the poll thread assigns when it starts (consumers created with an explicit assignment).
    var initialAssignment: [KafkaTopicPartitionOffset]?

    init(options: KafkaConsumerOptions, notices: AsyncStream<KafkaConsumerNotice>.Continuation) {
        self.options = options
        self.notices = notices
        let resumeThreshold = options.bufferCapacity / 2
        self.buffer = ConsumerBuffer { [weak self] remaining in
            guard let self, remaining <= resumeThreshold, !self.wantsResume.load(ordering: .relaxed) else { return }
            self.wantsResume.store(true, ordering: .relaxed)
            self.wake()
        }
    }

    func attach(_ handle: OpaquePointer) {
        self.handle = NativeHandle(pointer: handle)
        self.client = ClientHandle(handle)
        rd_kafka_poll_set_consumer(handle)
        let queue = NativeHandle(pointer: rd_kafka_queue_get_consumer(handle))
        self.queue = queue
        wakeTarget.withLock { $0 = queue }
    }

    /// Interrupts the poll thread's current wait so it looks at its commands and flags.
    func wake() {
        wakeTarget.withLock { target in
            if let target { rd_kafka_queue_yield(target.pointer) }
        }
    }

    /// Destroys the consumer queue after making sure no `wake()` can touch it.
    func releaseQueue() {
        let queue = wakeTarget.withLock { target -> NativeHandle? in
            defer { target = nil }
            return target
        }
        if let queue { rd_kafka_queue_destroy(queue.pointer) }
    }

    func report(_ notice: KafkaConsumerNotice) {
        errors.add(1, ordering: .relaxed)
        notices.yield(notice)
    }

    // MARK: - Poll thread

    func startPollThread() {
        let thread = Thread { [self] in run() }
        thread.name = "driftkafka.consumer.poll"
        thread.start()
    }

    private func run() {
        guard let handle, let queue else { return }
        let capacity = options.maximumBatch
        let messages = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: capacity)
        defer { messages.deallocate() }
        if let assignment = initialAssignment, !assign(assignment, handle.pointer) {
            stopping.store(true, ordering: .relaxed)
        }
        while !stopping.load(ordering: .relaxed) {
            runCommands()
            applyBackPressure(handle.pointer)
            let count = nextBatch(queue.pointer, messages, capacity)
            guard count > 0 else { continue }
            // One allocation holds every key and value of the batch; the messages share it.
            var bytes = 0
            for index in 0..<count {
                guard let message = messages[index], message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
                bytes += message.pointee.len + message.pointee.key_len
            }
            let storage = ByteStorage(capacity: bytes)
            var used = 0
            var batch: [KafkaMessage] = []
            batch.reserveCapacity(count)
            for index in 0..<count {
                guard let message = messages[index] else { continue }
                if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    batch.append(convert(message, storage: storage, used: &used))
                } else {
                    reportMessageError(message)
                }
                rd_kafka_message_destroy(message)
            }
            checkContinuity(batch)
            if !batch.isEmpty {
                received.add(UInt64(batch.count), ordering: .relaxed)
                buffer.push(.messages(batch), bytes: used)
            }
        }
        closing.store(true, ordering: .relaxed)
        failPendingCommands()
        _ = client.retire()  // waits for commits and queries still running
        let safeToDestroy = waitForPendingAssignment(queue.pointer, messages: messages, capacity: capacity)
        _ = rd_kafka_consumer_close(handle.pointer)
        releaseQueue()
        if safeToDestroy {
            rd_kafka_destroy(handle.pointer)
        } else {
            report(.error(.client(
                "the consumer was closed while joining its group and never got an assignment; its librdkafka handle is left undestroyed to avoid librdkafka 2.0.2's assignor-state abort",
                operation: "close", code: RD_KAFKA_RESP_ERR__STATE)))
        }
        buffer.finish()
        notices.finish()
        exited.signal()
    }

    /// Takes what librdkafka has ready, up to `capacity` messages. When nothing is ready it waits (up to
    /// 100 ms, 10 ms when paused) for a first message, then gathers what arrives within `batchLinger` (10 ms)
    /// more. `rd_kafka_consume_batch_queue` on its own waits for a full batch or its whole timeout, which
    /// holds the tail of a burst back for that long; without any gathering, a trickle becomes many tiny
    /// batches (and, for readers that commit per batch, many commits).
    private func nextBatch(_ queue: OpaquePointer, _ messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>, _ capacity: Int) -> Int {
        let ready = rd_kafka_consume_batch_queue(queue, 0, messages, capacity)
        guard ready == 0 else { return ready }
        let first = rd_kafka_consume_batch_queue(queue, paused ? 10 : 100, messages, 1)
        guard first == 1, capacity > 1 else { return first }
        let more = rd_kafka_consume_batch_queue(queue, ConsumerCore.batchLingerMilliseconds, messages + 1, capacity - 1)
        return 1 + max(more, 0)
    }

    /// How long a batch that has begun waits for more messages to arrive.
    static let batchLingerMilliseconds: Int32 = 10

    /// Looks up the topics' leaders (bounded), then assigns; false (with an error notice) when refused.
    private func assign(_ assignment: [KafkaTopicPartitionOffset], _ handle: OpaquePointer) -> Bool {
        for topic in Set(assignment.map(\.topicPartition.topic)) {
            guard let native = rd_kafka_topic_new(handle, topic, nil) else { continue }
            var metadata: UnsafePointer<rd_kafka_metadata>? = nil
            if rd_kafka_metadata(handle, 0, native, &metadata, 5_000) == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata {
                rd_kafka_metadata_destroy(metadata)
            }
            rd_kafka_topic_destroy(native)
        }
        let list = NativePartitionList.make(assignment)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let code = rd_kafka_assign(handle, list)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            report(.error(KafkaError(code: code, operation: "assign")))
            return false
        }
        return true
    }

    /// Serves callbacks (dropping fetched messages, which nobody will read) until a pending group assignment
    /// arrives, for up to 15 seconds. Returns whether the handle can be destroyed safely.
    private func waitForPendingAssignment(_ queue: OpaquePointer, messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>, capacity: Int) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(15)
        while awaitingAssignment && clock.now < deadline {
            let count = rd_kafka_consume_batch_queue(queue, 100, messages, capacity)
            for index in 0..<max(count, 0) {
                if let message = messages[index] { rd_kafka_message_destroy(message) }
            }
        }
        return !awaitingAssignment
    }

    /// Counts and reports jumps forward within a partition: records the consumer never saw (dropped by
    /// retention before they were read, or skipped by an offset reset). Compacted topics and transaction
    /// markers also leave gaps; for the plain topics Driftwatch reads, a gap means lost input.
    private func checkContinuity(_ batch: [KafkaMessage]) {
        var index = 0
        while index < batch.count {
            let partition = batch[index].topicPartition
            var end = index
            while end + 1 < batch.count, batch[end + 1].partition == partition.partition, batch[end + 1].topic == partition.topic {
                end += 1
            }
            var expected = expectedOffsets[partition]
            for position in index...end {
                let offset = batch[position].offset
                if let expected, offset > expected {
                    offsetGaps.add(1, ordering: .relaxed)
                    offsetsSkipped.add(UInt64(offset - expected), ordering: .relaxed)
                    notices.yield(.offsetGap(partition, expected: expected, received: offset))
                }
                expected = offset + 1
            }
            expectedOffsets[partition] = expected
            index = end + 1
        }
    }

    private func forgetExpectedOffsets(_ partitions: [KafkaTopicPartition]) {
        for partition in partitions { expectedOffsets[partition] = nil }
    }

    private func applyBackPressure(_ handle: OpaquePointer) {
        let buffered = buffer.messageCount
        let bytes = buffer.byteCount
        let full = buffered >= options.bufferCapacity || bytes >= options.bufferBytes
        let drained = buffered <= options.bufferCapacity / 2 && bytes <= options.bufferBytes / 2
        if !paused && full {
            setPaused(true, handle)
        } else if paused && (drained || wantsResume.load(ordering: .relaxed)) && !full {
            setPaused(false, handle)
        }
        wantsResume.store(false, ordering: .relaxed)
    }

    private func setPaused(_ pause: Bool, _ handle: OpaquePointer) {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>? = nil
        guard rd_kafka_assignment(handle, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let code = pause ? rd_kafka_pause_partitions(handle, list) : rd_kafka_resume_partitions(handle, list)
        if code == RD_KAFKA_RESP_ERR_NO_ERROR {
            paused = pause
            if pause { pauses.add(1, ordering: .relaxed) }
        } else {
            report(.error(KafkaError(code: code, operation: pause ? "pause" : "resume")))
        }
    }

    private func convert(_ pointer: UnsafeMutablePointer<rd_kafka_message_t>, storage: ByteStorage, used: inout Int) -> KafkaMessage {
        let message = pointer.pointee
        let topic: String
        if let rkt = message.rkt {
            if rkt == lastTopic?.handle, let name = lastTopic?.name {
                topic = name
            } else if let cached = topicNames[rkt] {
                topic = cached
                lastTopic = (rkt, cached)
            } else {
                topic = String(cString: rd_kafka_topic_name(rkt))
                topicNames[rkt] = topic
                lastTopic = (rkt, topic)
            }
        } else {
            topic = ""
        }
        func copy(_ source: UnsafeMutableRawPointer, _ count: Int) -> KafkaBytes {
            (storage.base + used).copyMemory(from: source, byteCount: count)
            defer { used += count }
            return KafkaBytes(storage: storage, offset: used, count: count)
        }
        let value = message.payload.map { copy($0, message.len) }
        let key = message.key.map { copy($0, message.key_len) }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(pointer, &timestampType)
        return KafkaMessage(
            topic: topic, partition: message.partition, offset: message.offset,
            keyBytes: key, valueBytes: value ?? .empty, isTombstone: value == nil,
            headers: headers(of: pointer),
            timestampMilliseconds: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp)
    }

    private func headers(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var native: OpaquePointer? = nil
        guard rd_kafka_message_headers(message, &native) == RD_KAFKA_RESP_ERR_NO_ERROR, let native else { return [] }
        var headers: [KafkaHeader] = []
        var index = 0
        var name: UnsafePointer<CChar>? = nil
        var value: UnsafeRawPointer? = nil
        var size = 0
        while rd_kafka_header_get_all(native, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            headers.append(KafkaHeader(
                name: name.map { String(cString: $0) } ?? "",
                value: value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }))
            index += 1
        }
        return headers
    }

    private func reportMessageError(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let code = message.pointee.err
        if code == RD_KAFKA_RESP_ERR__PARTITION_EOF { return }
        let text = rd_kafka_message_errstr(message).map { String(cString: $0) }
        var error = KafkaError(code: code, operation: "consume", message: text)
        if let rkt = message.pointee.rkt {
            error.message += " (\(String(cString: rd_kafka_topic_name(rkt)))[\(message.pointee.partition)])"
        }
        report(.error(error))
    }

    // MARK: - Commands

    func post(_ command: Command) {
        commands.withLock { $0.append(command) }
        wake()
    }

    private func runCommands() {
        let pending = commands.withLock { commands -> [Command] in
            defer { commands.removeAll() }
            return commands
        }
        for command in pending {
            switch command {
            case .seek(let offsets, let timeout, let continuation):
                continuation.resume(returning: seek(offsets, timeout: timeout))
            }
        }
    }

    private func failPendingCommands() {
        let pending = commands.withLock { commands -> [Command] in
            defer { commands.removeAll() }
            return commands
        }
        for command in pending {
            switch command {
            case .seek(_, _, let continuation):
                continuation.resume(returning: .client("consumer is closed", operation: "seek", code: RD_KAFKA_RESP_ERR__DESTROY))
            }
        }
    }

    private func seek(_ offsets: [KafkaTopicPartitionOffset], timeout: Duration) -> KafkaError? {
        guard let handle else { return .client("consumer is closed", operation: "seek", code: RD_KAFKA_RESP_ERR__DESTROY) }
        let list = NativePartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        if let error = rd_kafka_seek_partitions(handle.pointer, list, KafkaProducer.milliseconds(timeout)) {
            return KafkaError(consuming: error, operation: "seek")
        }
        for (entry, code) in NativePartitionList.entries(list) where code != RD_KAFKA_RESP_ERR_NO_ERROR {
            return KafkaError(code: code, operation: "seek", message: "\(entry): \(String(cString: rd_kafka_err2str(code)))")
        }
        let removed = buffer.discard(Set(offsets.map(\.topicPartition)))
        discarded.add(UInt64(removed), ordering: .relaxed)
        forgetExpectedOffsets(offsets.map(\.topicPartition))
        return nil
    }

    // MARK: - Rebalance (poll thread, inside librdkafka's callback)

    func rebalance(_ handle: OpaquePointer, _ code: rd_kafka_resp_err_t, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
        let partitions = NativePartitionList.entries(list).map(\.0.topicPartition)
        switch code {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            forgetExpectedOffsets(partitions)
            let event = KafkaRebalance(kind: .assigned, partitions: partitions)
            deliver(event)
            let chosen = event.chosenOffsets.withLock { $0 }
            if !chosen.isEmpty, list.pointee.cnt > 0, let elements = list.pointee.elems {
                for index in 0..<Int(list.pointee.cnt) {
                    let partition = KafkaTopicPartition(topic: String(cString: elements[index].topic), partition: elements[index].partition)
                    if let offset = chosen[partition] { elements[index].offset = offset }
                }
            }
            if cooperative {
                if let error = rd_kafka_incremental_assign(handle, list) { report(.error(KafkaError(consuming: error, operation: "assign"))) }
            } else {
                let code = rd_kafka_assign(handle, list)
                if code != RD_KAFKA_RESP_ERR_NO_ERROR { report(.error(KafkaError(code: code, operation: "assign"))) }
            }
            assignment.withLock { $0.formUnion(partitions) }
            awaitingAssignment = false
            if paused { _ = rd_kafka_pause_partitions(handle, list) }
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let lost = rd_kafka_assignment_lost(handle) != 0
            forgetExpectedOffsets(partitions)
            let removed = buffer.discard(Set(partitions))
            discarded.add(UInt64(removed), ordering: .relaxed)
            deliver(KafkaRebalance(kind: lost ? .lost : .revoked, partitions: partitions))
            if lost && cooperative { awaitingAssignment = true }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(handle, list) { report(.error(KafkaError(consuming: error, operation: "unassign"))) }
            } else {
                _ = rd_kafka_assign(handle, nil)
            }
            assignment.withLock { $0.subtract(partitions) }
        default:
            report(.error(KafkaError(code: code, operation: "rebalance")))
            _ = rd_kafka_assign(handle, nil)
            assignment.withLock { $0.removeAll() }
        }
    }

    /// Puts the event in the buffer and waits for its acknowledgement (not while closing).
    private func deliver(_ event: KafkaRebalance) {
        guard !closing.load(ordering: .relaxed) else { return }
        let partitions = event.partitions
        let kind = event.kind
        let completion = event.completion
        buffer.push(.rebalance(event))
        let (seconds, attoseconds) = options.rebalanceTimeout.components
        let timeout = Double(seconds) + Double(attoseconds) * 1e-18
        if !completion.wait(seconds: timeout) {
            report(.rebalanceTimedOut(kind, partitions))
        }
    }

    // MARK: - C callbacks

    static let rebalanceCallback: @convention(c) (OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?) -> Void = { handle, code, list, opaque in
        guard let handle, let list, let opaque else { return }
        Unmanaged<ConsumerCore>.fromOpaque(opaque).takeUnretainedValue().rebalance(handle, code, list)
    }

    static let errorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = { handle, code, reason, opaque in
        guard let opaque else { return }
        Unmanaged<ConsumerCore>.fromOpaque(opaque).takeUnretainedValue()
            .report(.error(.fromErrorCallback(client: handle, code: code, reason: reason, operation: "consumer")))
    }

    static let commitCallback: @convention(c) (OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?) -> Void = { _, code, list, opaque in
        guard let opaque else { return }
        let core = Unmanaged<ConsumerCore>.fromOpaque(opaque).takeUnretainedValue()
        let entries = NativePartitionList.entries(list)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR__NO_OFFSET {
            core.report(.commitFailed(KafkaError(code: code, operation: "commit"), entries.map(\.0)))
        } else if let failed = entries.first(where: { $0.1 != RD_KAFKA_RESP_ERR_NO_ERROR }) {
            core.report(.commitFailed(KafkaError(code: failed.1, operation: "commit"), entries.map(\.0)))
        }
    }
}
