import CRdKafka
import Foundation
import Synchronization

/// The state a producer shares with librdkafka's delivery-report and error callbacks.
///
/// The callbacks run on the producer's poll thread; they only record results (resume a waiting `send`,
/// count, and yield events) and never block.
final class ProducerCore: @unchecked Sendable {
    /// One `send` awaiting its delivery report.
    enum Slot {
        case waiting
        case finished(Result<KafkaDeliveryReport, KafkaError>)
        case awaiting(CheckedContinuation<Result<KafkaDeliveryReport, KafkaError>, Never>)
    }

    private(set) var handle: NativeHandle?
    /// The handle as borrowed by calls from Swift (produce, flush), so close never races them.
    private(set) var client: ClientHandle?
    let pending = Mutex<[UInt64: Slot]>([:])
    let nextToken = Atomic<UInt64>(1)
    let enqueued = Atomic<UInt64>(0)
    let delivered = Atomic<UInt64>(0)
    let failed = Atomic<UInt64>(0)
    let stopping = Atomic<Bool>(false)
    let closed = Atomic<Bool>(false)
    let pollThreadExited = CompletionSignal()
    let events: AsyncStream<KafkaProducerEvent>.Continuation

    init(events: AsyncStream<KafkaProducerEvent>.Continuation) {
        self.events = events
    }

    func attach(_ handle: OpaquePointer) {
        self.handle = NativeHandle(pointer: handle)
        self.client = ClientHandle(handle)
    }

    /// Serves delivery reports until `stopping` is set.
    func startPollThread(name: String) {
        guard let handle else { return }
        let thread = Thread { [self] in
            while !stopping.load(ordering: .relaxed) {
                rd_kafka_poll(handle.pointer, 50)
            }
            pollThreadExited.signal()
        }
        thread.name = name
        thread.start()
    }

    // MARK: - Callbacks (poll thread)

    func deliveryReport(_ pointer: UnsafePointer<rd_kafka_message_t>, client: OpaquePointer?) {
        let message = pointer.pointee
        let token = UInt64(UInt(bitPattern: message._private))
        var error: KafkaError? = nil
        if message.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            // A permanent failure of an idempotent producer can raise a fatal error: say so on the record too.
            let fatal = message.err == RD_KAFKA_RESP_ERR__FATAL
                || (client.map { rd_kafka_fatal_error($0, nil, 0) != RD_KAFKA_RESP_ERR_NO_ERROR } ?? false)
            error = KafkaError(code: message.err, operation: "delivery", isFatal: fatal)
        }
        if error == nil { delivered.add(1, ordering: .relaxed) } else { failed.add(1, ordering: .relaxed) }
        let topic = message.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        if token != 0 {
            let result: Result<KafkaDeliveryReport, KafkaError>
            if let error {
                result = .failure(error)
            } else {
                // librdkafka finds the record's timestamp from the message's own address: pass the original.
                var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
                let timestamp = rd_kafka_message_timestamp(pointer, &timestampType)
                result = .success(KafkaDeliveryReport(
                    topic: topic, partition: message.partition, offset: message.offset,
                    timestampMilliseconds: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp,
                    timestampIsLogAppendTime: timestampType == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME))
            }
            finish(token, result)
        } else if let error {
            events.yield(.deliveryFailed(KafkaDeliveryFailure(
                topic: topic, partition: message.partition,
                key: message.key.map { Array(UnsafeRawBufferPointer(start: $0, count: message.key_len)) },
                value: message.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: message.len)) },
                error: error)))
        }
    }

    // MARK: - Awaiting sends

    func register(_ token: UInt64) {
        pending.withLock { $0[token] = .waiting }
    }

    func finish(_ token: UInt64, _ result: Result<KafkaDeliveryReport, KafkaError>) {
        let continuation: CheckedContinuation<Result<KafkaDeliveryReport, KafkaError>, Never>? = pending.withLock { slots in
            switch slots[token] {
            case .awaiting(let continuation):
                slots[token] = nil
                return continuation
            case .waiting:
                slots[token] = .finished(result)
                return nil
            case .finished, .none:
                return nil
            }
        }
        continuation?.resume(returning: result)
    }

    func wait(_ token: UInt64) async -> Result<KafkaDeliveryReport, KafkaError> {
        await withCheckedContinuation { continuation in
            let ready: Result<KafkaDeliveryReport, KafkaError>? = pending.withLock { slots in
                if case .finished(let result) = slots[token] {
                    slots[token] = nil
                    return result
                }
                slots[token] = .awaiting(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Fails every send still waiting (after close, when librdkafka will report nothing more).
    func failAllPending(_ error: KafkaError) {
        let tokens = pending.withLock { Array($0.keys) }
        for token in tokens { finish(token, .failure(error)) }
    }

    // MARK: - Producing

    /// Hands one record to librdkafka without blocking. `token` 0 marks the batch path.
    func produce(_ message: KafkaProducerMessage, token: UInt64) -> KafkaError? {
        guard let client else { return .client("producer is closed", operation: "produce", code: RD_KAFKA_RESP_ERR__DESTROY) }
        let handle: NativeHandle
        do throws(KafkaError) {
            handle = try client.acquire("produce", client: "producer")
        } catch {
            return error
        }
        defer { client.release() }
        var headers: OpaquePointer? = nil
        if !message.headers.isEmpty {
            headers = rd_kafka_headers_new(message.headers.count)
            for header in message.headers {
                if let value = header.value {
                    value.withUnsafeBytes { bytes in
                        _ = rd_kafka_header_add(headers, header.name, -1, bytes.baseAddress, bytes.count)
                    }
                } else {
                    _ = rd_kafka_header_add(headers, header.name, -1, nil, 0)
                }
            }
        }
        let error: OpaquePointer? = message.topic.withCString { topic in
            ProducerCore.withOptionalBytes(message.value) { value, valueCount in
                ProducerCore.withOptionalBytes(message.key) { key, keyCount in
                    withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 8) { fields in
                        var count = 0
                        func append(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
                            var field = rd_kafka_vu_t()
                            field.vtype = type
                            fill(&field)
                            fields[count] = field
                            count += 1
                        }
                        append(RD_KAFKA_VTYPE_TOPIC) { $0.u.cstr = topic }
                        append(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                        append(RD_KAFKA_VTYPE_VALUE) { $0.u.mem.ptr = value; $0.u.mem.size = valueCount }
                        if key != nil || keyCount > 0 { append(RD_KAFKA_VTYPE_KEY) { $0.u.mem.ptr = key; $0.u.mem.size = keyCount } }
                        if let partition = message.partition { append(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition } }
                        if let timestamp = message.timestampMilliseconds { append(RD_KAFKA_VTYPE_TIMESTAMP) { $0.u.i64 = timestamp } }
                        if let headers { append(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headers } }
                        if token != 0 { append(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(token)) } }
                        return rd_kafka_produceva(handle.pointer, fields.baseAddress, count)
                    }
                }
            }
        }
        guard let error else {
            enqueued.add(1, ordering: .relaxed)
            return nil
        }
        if let headers { rd_kafka_headers_destroy(headers) }
        return KafkaError(consuming: error, operation: "produce")
    }

    private static func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeMutableRawPointer?, Int) -> R) -> R {
        guard let bytes else { return body(nil, 0) }
        return bytes.withUnsafeBytes { body(UnsafeMutableRawPointer(mutating: $0.baseAddress), $0.count) }
    }

    // MARK: - Shutdown

    /// Flushes for up to `timeoutMilliseconds`, purges what is left (failing it, never silently), stops the
    /// poll thread and destroys the client. Blocking: call it from a thread of its own. Idempotent.
    func shutdown(timeoutMilliseconds: Int32) {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing), let handle = client?.retire() else { return }
        _ = rd_kafka_flush(handle.pointer, timeoutMilliseconds)
        _ = rd_kafka_purge(handle.pointer, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
        _ = rd_kafka_flush(handle.pointer, 1_000)
        stopping.store(true, ordering: .relaxed)
        pollThreadExited.wait(seconds: 10)
        rd_kafka_destroy(handle.pointer)
        failAllPending(.client("producer closed before the record was delivered", operation: "delivery", code: RD_KAFKA_RESP_ERR__DESTROY))
        events.finish()
    }

    // MARK: - C callbacks

    static let deliveryCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = { client, message, opaque in
        guard let message, let opaque else { return }
        Unmanaged<ProducerCore>.fromOpaque(opaque).takeUnretainedValue().deliveryReport(message, client: client)
    }

    static let errorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = { handle, code, reason, opaque in
        guard let opaque else { return }
        Unmanaged<ProducerCore>.fromOpaque(opaque).takeUnretainedValue()
            .events.yield(.error(.fromErrorCallback(client: handle, code: code, reason: reason, operation: "producer")))
    }
}
