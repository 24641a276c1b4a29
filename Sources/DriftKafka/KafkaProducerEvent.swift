/// Something a producer reports outside the result of an individual `send`.
public enum KafkaProducerEvent: Sendable {
    /// A record enqueued through the batch path (`enqueue`) could not be delivered.
    case deliveryFailed(KafkaDeliveryFailure)
    /// A client-level error: lost connections, all brokers down, a fatal error (`isFatal`).
    case error(KafkaError)
}

/// A record of the batch path that librdkafka gave up on, with enough to send it again.
public struct KafkaDeliveryFailure: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var error: KafkaError
}

/// Running totals of a producer; exact, whether or not anyone reads `events`.
public struct KafkaProducerStatistics: Sendable, Equatable {
    /// Records accepted into librdkafka's queue.
    public var enqueued: UInt64
    /// Records the brokers acknowledged.
    public var delivered: UInt64
    /// Records that failed for good (after librdkafka's retries).
    public var failed: UInt64
    /// Records waiting for a delivery report.
    public var inFlight: UInt64 { enqueued &- delivered &- failed }
}
