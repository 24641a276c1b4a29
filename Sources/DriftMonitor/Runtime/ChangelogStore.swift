import DriftKafka

/// A stage's checkpoints on its changelog topic: one record per (group, input topic, partition) key, the
/// newest valid one wins. Records of input partition `p` go to changelog partition `p` modulo the
/// changelog's partition count, so restoring a partition reads one changelog partition. On a real cluster
/// the topic is compacted; on the dev broker (about 5 MiB kept per partition) a partition's record is
/// re-written at least every ``refreshInterval`` so that it is never the oldest one left.
struct ChangelogStore: Sendable {
    let topic: String
    let partitions: Int32
    let group: String
    let configuration: KafkaConfiguration
    let producer: KafkaProducer
    /// Bytes of checkpoint records queued before a round waits for their delivery and goes on.
    var flushBytes = 16 << 20
    /// How often an unchanged partition's checkpoint is written again (ms).
    static let refreshInterval: Int64 = 30_000

    func key(topic inputTopic: String, partition: Int32) -> String { "\(group)|\(inputTopic)|\(partition)" }

    func changelogPartition(for partition: Int32) -> Int32 { Int32((Int64(partition) % Int64(partitions) + Int64(partitions)) % Int64(partitions)) }

    /// Writes one record per element and waits until the cluster has them all (a flush: awaiting each
    /// record's own delivery report costs a poll cycle, ~50 ms, per checkpoint). `take` makes an element's
    /// record just before it is queued and may release what the element held, so a round keeps one
    /// serialized checkpoint on the Swift side at a time; librdkafka's copies are flushed every
    /// ``flushBytes``. Before, a round held every partition's snapshot, every serialized record and
    /// librdkafka's copies at once (100–400 MB at 50,000 events/s). Fails when any record the producer
    /// ever sent failed: a checkpoint must never cover an output that was lost. Returns each record's size.
    func write<Element>(
        _ elements: inout [Element], _ take: (inout Element) -> (topic: String, partition: Int32, value: [UInt8])
    ) async throws(KafkaError) -> [Int] {
        var sizes: [Int] = []
        sizes.reserveCapacity(elements.count)
        var unflushed = 0
        for index in elements.indices {
            let record = take(&elements[index])
            sizes.append(record.value.count)
            unflushed += record.value.count
            try await producer.enqueue(KafkaProducerMessage(
                topic: topic, partition: changelogPartition(for: record.partition),
                key: Array(key(topic: record.topic, partition: record.partition).utf8), value: record.value))
            if unflushed >= flushBytes && index < elements.count - 1 {
                try await producer.flush(timeout: .seconds(10))
                unflushed = 0
            }
        }
        try await producer.flush(timeout: .seconds(10))
        try Self.requireNoFailedDeliveries(producer)
        return sizes
    }

    /// Throws when the producer has failed to deliver any record since it started.
    static func requireNoFailedDeliveries(_ producer: KafkaProducer) throws(KafkaError) {
        let failed = producer.statistics.failed
        guard failed == 0 else {
            throw KafkaError(
                code: -196, name: "_FAIL",
                message: "\(failed) records failed delivery since the start: checkpoints stop so that none covers a lost output; restart the worker to replay from the last checkpoint",
                operation: "checkpoint")
        }
    }

    /// Every record of the given input partitions, oldest first, by (topic, partition).
    func read(_ inputs: [(topic: String, partition: Int32)]) async throws(KafkaError) -> [String: [[UInt8]]] {
        let wanted = Set(inputs.map { key(topic: $0.topic, partition: $0.partition) })
        let changelogPartitions = Set(inputs.map { changelogPartition(for: $0.partition) }).sorted()
        let messages = try await KafkaRangeReader.read(configuration: configuration, topic: topic, partitions: changelogPartitions)
        var records: [String: [[UInt8]]] = [:]
        for message in messages {
            guard let keyBytes = message.key, let key = String(validating: keyBytes, as: UTF8.self), wanted.contains(key) else { continue }
            records[key, default: []].append(message.value)
        }
        return records
    }
}

/// The checkpoint to restore from a partition's records: the newest one that decodes, and what was wrong
/// with any newer ones (never used).
struct RestoreChoice<Checkpoint> {
    var checkpoint: Checkpoint?
    /// Records newer than the one chosen (or all, when none decodes) that were refused, with the reason.
    var refused: [String]

    init(records: [[UInt8]], decode: ([UInt8]) throws(CheckpointError) -> Checkpoint) {
        refused = []
        for record in records.reversed() {
            do throws(CheckpointError) {
                checkpoint = try decode(record)
                return
            } catch {
                refused.append(error.description)
            }
        }
    }
}
