import CRdKafka
import Foundation
import Synchronization

/// Produces records to Kafka through librdkafka.
///
/// - `send(_:)` awaits the broker's acknowledgement and returns where the record was stored, or throws.
/// - `enqueue(_:)` is the batch path: it returns once librdkafka has queued the record; a record that later
///   fails for good is reported on `events` as `.deliveryFailed` and counted in `statistics.failed`, never
///   dropped silently.
///
/// Idempotence is on unless the configuration turns it off, so librdkafka's retries neither duplicate nor
/// reorder records. A dedicated thread serves librdkafka's callbacks; no call here blocks a Swift task: when
/// librdkafka's queue is full the producer waits asynchronously and tries again.
///
/// Call `close()` when done: it flushes what is queued and then releases the client.
public final class KafkaProducer: Sendable {
    private let core: ProducerCore
    private let context: Unmanaged<ProducerCore>
    /// Delivery failures of the batch path and client-level errors. Buffers the newest 10,000.
    public let events: AsyncStream<KafkaProducerEvent>

    /// Creates a producer; fails with librdkafka's text if the configuration is invalid.
    public init(configuration: KafkaConfiguration) throws(KafkaError) {
        let (stream, continuation) = AsyncStream<KafkaProducerEvent>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let core = ProducerCore(events: continuation)
        let context = Unmanaged.passRetained(core)
        let conf: OpaquePointer
        do throws(KafkaError) {
            conf = try configuration.makeNativeConfiguration(role: .producer, overrides: [
                ("queue.buffering.max.messages", "1000000"),
                ("linger.ms", "5"),
            ])
        } catch {
            context.release()
            throw error
        }
        rd_kafka_conf_set_opaque(conf, context.toOpaque())
        rd_kafka_conf_set_dr_msg_cb(conf, ProducerCore.deliveryCallback)
        rd_kafka_conf_set_error_cb(conf, ProducerCore.errorCallback)
        let handle: OpaquePointer
        do throws(KafkaError) {
            handle = try KafkaConfiguration.createClient(conf, role: .producer)
        } catch {
            context.release()
            throw error
        }
        core.attach(handle)
        core.startPollThread(name: "driftkafka.producer.poll")
        self.core = core
        self.context = context
        self.events = stream
    }

    deinit {
        let core = core
        let context = context
        if core.closed.load(ordering: .acquiring) {
            context.release()
        } else {
            Thread.detachNewThread {
                core.shutdown(timeoutMilliseconds: 5_000)
                context.release()
            }
        }
    }

    /// Produces one record and waits for the broker's acknowledgement.
    ///
    /// - Returns: the partition and offset the record was stored at.
    /// - Throws: `KafkaError` from librdkafka (unknown topic, message too large, timed out after retries, …),
    ///   or because the producer was closed first.
    public func send(_ message: KafkaProducerMessage) async throws(KafkaError) -> KafkaDeliveryReport {
        let token = core.nextToken.wrappingAdd(1, ordering: .relaxed).oldValue
        core.register(token)
        do throws(KafkaError) {
            try await produceWaitingForSpace(message, token: token)
        } catch {
            core.finish(token, .failure(error))
            _ = await core.wait(token)
            throw error
        }
        return try await core.wait(token).get()
    }

    /// Produces many records concurrently and waits for every acknowledgement; results in input order.
    public func send(contentsOf messages: [KafkaProducerMessage]) async -> [Result<KafkaDeliveryReport, KafkaError>] {
        var tokens: [(UInt64, KafkaError?)] = []
        tokens.reserveCapacity(messages.count)
        for message in messages {
            let token = core.nextToken.wrappingAdd(1, ordering: .relaxed).oldValue
            core.register(token)
            do throws(KafkaError) {
                try await produceWaitingForSpace(message, token: token)
                tokens.append((token, nil))
            } catch {
                core.finish(token, .failure(error))
                tokens.append((token, error))
            }
        }
        var results: [Result<KafkaDeliveryReport, KafkaError>] = []
        results.reserveCapacity(tokens.count)
        for (token, _) in tokens { results.append(await core.wait(token)) }
        return results
    }

    /// Queues one record for delivery (the batch path); waits only while librdkafka's queue is full.
    ///
    /// - Throws: `KafkaError` when librdkafka refuses the record outright (unknown partition, too large,
    ///   closed producer). Failures after queueing surface on `events`.
    public func enqueue(_ message: KafkaProducerMessage) async throws(KafkaError) {
        try await produceWaitingForSpace(message, token: 0)
    }

    /// Queues every record of `messages` (the batch path), in order.
    public func enqueue(contentsOf messages: some Sequence<KafkaProducerMessage>) async throws(KafkaError) {
        for message in messages { try await produceWaitingForSpace(message, token: 0) }
    }

    /// Waits until every queued record is delivered or failed, for up to `timeout`.
    ///
    /// - Throws: `KafkaError` `_TIMED_OUT` (retriable) if records remain after the timeout.
    public func flush(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        guard let client = core.client, !client.isRetired else { return }
        let handle = try client.acquire("flush", client: "producer")
        let milliseconds = Self.milliseconds(timeout)
        let (code, remaining) = await BlockingCall.run("producer.flush") { () -> (rd_kafka_resp_err_t, Int32) in
            defer { client.release() }
            let code = rd_kafka_flush(handle.pointer, milliseconds)
            return (code, rd_kafka_outq_len(handle.pointer))
        }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: code, operation: "flush", message: "\(remaining) records still queued after \(timeout)")
        }
    }

    /// Flushes for up to `timeout`, fails whatever is still queued (through `send`'s error or `events`), and
    /// releases the client. Safe to call more than once.
    public func close(timeout: Duration = .seconds(30)) async {
        let core = core
        let milliseconds = Self.milliseconds(timeout)
        await BlockingCall.run("producer.close") { core.shutdown(timeoutMilliseconds: milliseconds) }
    }

    /// Exact running totals.
    public var statistics: KafkaProducerStatistics {
        KafkaProducerStatistics(
            enqueued: core.enqueued.load(ordering: .relaxed),
            delivered: core.delivered.load(ordering: .relaxed),
            failed: core.failed.load(ordering: .relaxed))
    }

    private func produceWaitingForSpace(_ message: KafkaProducerMessage, token: UInt64) async throws(KafkaError) {
        var backoff = Duration.microseconds(200)
        while true {
            guard let error = core.produce(message, token: token) else { return }
            guard error.code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue else { throw error }
            do {
                try await Task.sleep(for: backoff)
            } catch {
                throw .client("cancelled while waiting for queue space", operation: "produce", code: RD_KAFKA_RESP_ERR__QUEUE_FULL)
            }
            backoff = min(backoff * 2, .milliseconds(20))
        }
    }

    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let total = seconds * 1_000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(total, 0))
    }
}
