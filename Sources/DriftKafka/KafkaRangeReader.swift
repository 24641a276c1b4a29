import CRdKafka

/// Reads chosen partitions of a topic up to the end each had when the read began — a state store's
/// changelog on restore, or the recent tail of an output topic — with a consumer that joins no group.
public enum KafkaRangeReader {
    /// Reads `partitions` of `topic` from `start(low, high)` (clamped to the retained range) up to each
    /// partition's high watermark at the start of the call, in offset order per partition.
    ///
    /// - Throws: `KafkaError` when the watermarks cannot be read, or `_TIMED_OUT` when the records do not all
    ///   arrive within `timeout`.
    public static func read(
        configuration: KafkaConfiguration, topic: String, partitions: [Int32], timeout: Duration = .seconds(30),
        start: @Sendable (_ low: Int64, _ high: Int64) -> Int64 = { low, _ in low }
    ) async throws(KafkaError) -> [KafkaMessage] {
        var configuration = configuration
        configuration.groupID = nil
        configuration.clientID = (configuration.clientID ?? "driftwatch") + "-range-reader"
        let probe = try KafkaConsumer(configuration: configuration, assignment: [])
        var ends: [Int32: Int64] = [:]
        var assignment: [KafkaTopicPartitionOffset] = []
        do throws(KafkaError) {
            for partition in partitions {
                let (low, high) = try await probe.watermarks(KafkaTopicPartition(topic: topic, partition: partition), timeout: timeout)
                let first = min(max(start(low, high), low), high)
                guard first < high else { continue }
                ends[partition] = high
                assignment.append(KafkaTopicPartitionOffset(topic: topic, partition: partition, offset: first))
            }
        } catch {
            await probe.close()
            throw error
        }
        await probe.close()
        guard !assignment.isEmpty else { return [] }
        let reader = try KafkaConsumer(configuration: configuration, assignment: assignment)
        let remaining = ends
        let collected = await withTaskGroup(of: [KafkaMessage]?.self) { group in
            group.addTask {
                var open = Set(remaining.keys)
                var collected: [KafkaMessage] = []
                for await batch in reader.batches {
                    collected += batch.filter { message in remaining[message.partition].map { message.offset < $0 } ?? false }
                    for message in batch where message.offset >= (remaining[message.partition] ?? 0) - 1 { open.remove(message.partition) }
                    if open.isEmpty { return collected }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            await reader.close()
            return first
        }
        guard let collected else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__TIMED_OUT, operation: "read \(topic)", message: "the records did not all arrive within \(timeout)")
        }
        return collected.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
    }
}
