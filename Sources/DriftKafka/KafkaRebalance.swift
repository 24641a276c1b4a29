import Synchronization

/// A change of a consumer's partition assignment, delivered in order with the messages.
///
/// Every message of a partition that the consumer delivered before a `.revoked` or `.lost` event came
/// before it in the event sequence, and none comes after it; messages that were buffered but not yet
/// delivered are discarded (the partition's next owner reads them from the committed offset). librdkafka's
/// rebalance waits until the event is acknowledged, so a worker can checkpoint and commit a partition's state
/// before another worker takes the partition over, and restore state (and choose starting offsets) before
/// the first message of a newly assigned partition arrives.
///
/// Acknowledge with `acknowledge(startingOffsets:)`. An event that is dropped unacknowledged is acknowledged
/// when it is released, and the consumer stops waiting after its `rebalanceTimeout`, so a forgotten event
/// cannot wedge the group.
public final class KafkaRebalance: Sendable, CustomStringConvertible {
    /// What happened to `partitions`.
    public enum Kind: String, Sendable {
        /// The partitions were assigned to this consumer.
        case assigned
        /// The partitions are being taken away in an orderly rebalance: commit and hand over state now.
        case revoked
        /// The partitions were lost (the session expired): another consumer may already own them, so a
        /// commit would fail; drop their state.
        case lost
    }

    public let kind: Kind
    public let partitions: [KafkaTopicPartition]
    let completion = CompletionSignal()
    let chosenOffsets = Mutex<[KafkaTopicPartition: Int64]>([:])

    init(kind: Kind, partitions: [KafkaTopicPartition]) {
        self.kind = kind
        self.partitions = partitions
    }

    deinit { completion.signal() }

    /// Lets the rebalance proceed. For `.assigned`, `startingOffsets` overrides where consumption starts in
    /// the given partitions (for example the offsets a restored checkpoint covers); the others start at the
    /// group's committed offset, or by `auto.offset.reset` without one.
    public func acknowledge(startingOffsets: [KafkaTopicPartition: Int64] = [:]) {
        chosenOffsets.withLock { $0 = startingOffsets }
        completion.signal()
    }

    public var description: String { "\(kind)(\(partitions.sorted().map(\.description).joined(separator: ", ")))" }
}
