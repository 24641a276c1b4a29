/// What a consumer delivers, in order.
public enum KafkaConsumerEvent: Sendable {
    /// Messages in partition order, as fetched (one poll's worth).
    case messages([KafkaMessage])
    /// A change of assignment; acknowledge it to let the rebalance complete.
    case rebalance(KafkaRebalance)
}

/// Things a consumer reports beside its messages: errors and failed commits.
public enum KafkaConsumerNotice: Sendable {
    /// A client-level or partition-level error (`isFatal` when the consumer can no longer be used).
    case error(KafkaError)
    /// An asynchronous commit failed; the offsets it tried to commit.
    case commitFailed(KafkaError, [KafkaTopicPartitionOffset])
    /// Offsets `expected..<received` of a partition were never delivered: retention removed them before they
    /// were read (librdkafka's mock keeps ~5 MiB per partition), an offset reset skipped them, or the topic
    /// is compacted or transactional. Not an error by itself; counted in `statistics.offsetGaps`.
    case offsetGap(KafkaTopicPartition, expected: Int64, received: Int64)
    /// A rebalance event was not acknowledged within the consumer's `rebalanceTimeout`.
    case rebalanceTimedOut(KafkaRebalance.Kind, [KafkaTopicPartition])
}

/// Tuning of a `KafkaConsumer`.
public struct KafkaConsumerOptions: Sendable {
    /// Messages buffered in Swift before the consumer pauses its partitions; it resumes at half.
    public var bufferCapacity: Int
    /// Key and value bytes buffered in Swift before the consumer pauses its partitions (it resumes at half): a
    /// bound in memory for topics of large records, where ``bufferCapacity`` messages would be gigabytes.
    public var bufferBytes: Int
    /// Most messages taken from librdkafka per poll.
    public var maximumBatch: Int
    /// How long librdkafka's rebalance waits for an event's acknowledgement before going on.
    public var rebalanceTimeout: Duration

    public init(bufferCapacity: Int = 100_000, bufferBytes: Int = 64 << 20, maximumBatch: Int = 2_000, rebalanceTimeout: Duration = .seconds(60)) {
        self.bufferCapacity = max(bufferCapacity, 1)
        self.bufferBytes = max(bufferBytes, 1)
        self.maximumBatch = max(maximumBatch, 1)
        self.rebalanceTimeout = rebalanceTimeout
    }
}

/// A partition's read position against its high watermark.
public struct KafkaPartitionLag: Sendable, Equatable {
    public var topicPartition: KafkaTopicPartition
    /// The next offset this consumer will read, if it has read or been positioned.
    public var position: Int64?
    /// The group's committed offset, if any.
    public var committed: Int64?
    /// The partition's low and high watermarks.
    public var lowWatermark: Int64
    public var highWatermark: Int64
    /// Messages not yet read: high watermark − (position, else committed, else low watermark).
    public var lag: Int64 {
        max(highWatermark - (position ?? committed ?? lowWatermark), 0)
    }
}

/// Exact running totals of a consumer.
public struct KafkaConsumerStatistics: Sendable, Equatable {
    /// Messages handed to the Swift buffer.
    public var received: UInt64
    /// Messages discarded from the buffer because their partition was revoked, lost or seeked.
    public var discarded: UInt64
    /// Messages in the buffer now.
    public var buffered: Int
    /// Key and value bytes in the buffer now.
    public var bufferedBytes: Int
    /// Times the consumer paused its partitions because the buffer was full.
    public var pauses: UInt64
    /// Errors reported (including failed commits).
    public var errors: UInt64
    /// Times a partition's offsets jumped forward (see `KafkaConsumerNotice.offsetGap`).
    public var offsetGaps: UInt64
    /// Offsets skipped by those jumps.
    public var offsetsSkipped: UInt64
}
