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
    /// How often an unchanged partition's checkpoint is written again (ms).
    static let refreshInterval: Int64 = 30_000

    func key(topic inputTopic: String, partition: Int32) -> String { "\(group)|\(inputTopic)|\(partition)" }

    func changelogPartition(for partition: Int32) -> Int32 { Int32((Int64(partition) % Int64(partitions) + Int64(partitions)) % Int64(partitions)) }

    /// Writes the records and waits until the cluster has them all (a flush: awaiting each record's own
    /// delivery report costs a poll cycle, ~50 ms, per checkpoint). Fails when any record the producer
    /// ever sent failed: a checkpoint must never cover an output that was lost.
    func write(_ records: [(topic: String, partition: Int32, value: [UInt8])]) async throws(KafkaError) {
        let messages = records.map {
            KafkaProducerMessage(
                topic: topic, partition: changelogPartition(for: $0.partition), key: Array(key(topic: $0.topic, partition: $0.partition).utf8), value: $0.value)
        }
        try await producer.enqueue(contentsOf: messages)
        try await producer.flush(timeout: .seconds(10))
        try Self.requireNoFailedDeliveries(producer)
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
