import Synchronization
import DriftKafka
import DriftStats
import Logging

extension MonitorService {
    /// Every ``MonitorSettings/checkpointInterval`` each stage checkpoints its changed partitions, one stage at a
    /// time, paced by a ``CheckpointPacer``: a stage whose last round was large waits until it has read enough
    /// input to afford the next (or until ``MonitorSettings/checkpointMaximumInterval``).
    func runCheckpoints(_ stage1Consumer: KafkaConsumer, _ stage2Consumer: KafkaConsumer, _ io: StageIO) async {
        let origin = ContinuousClock.now
        func elapsed() -> Int64 { (ContinuousClock.now - origin).inMilliseconds }
        let pacer = CheckpointPacer(
            interval: settings.checkpointInterval.inMilliseconds, maximumInterval: settings.checkpointMaximumInterval.inMilliseconds,
            writeShare: settings.checkpointWriteShare)
        var stage1Pacer = pacer
        var stage2Pacer = pacer
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.checkpointInterval)
            guard !Task.isCancelled, !readiness.withLock({ $0.stopping }) else { return }
            let consumed = state.withLock { ($0.stage1BytesConsumed, $0.stage2BytesConsumed) }
            if stage1Pacer.isDue(now: elapsed(), consumed: consumed.0) {
                let bytes = await checkpointStage1InBackground(stage1Consumer, io)
                stage1Pacer.record(bytes: bytes, now: elapsed(), consumed: consumed.0)
            }
            if stage2Pacer.isDue(now: elapsed(), consumed: consumed.1) {
                let bytes = await checkpointStage2InBackground(stage2Consumer, io)
                stage2Pacer.record(bytes: bytes, now: elapsed(), consumed: consumed.1)
            }
        }
    }

    /// Whether a partition's checkpoint at `offset` is worth writing: forced, moved since the last one, or
    /// due for a refresh (see ``ChangelogStore/refreshInterval``).
    func dueCheckpoints(stage: PartitionStatus.Stage, now: Int64, force: Bool) -> @Sendable (String, Int32, Int64) -> Bool {
        let ledger = self.ledger.withLock { $0 }
        return { topic, partition, offset in
            guard !force else { return true }
            let entry = ledger[PartitionStatus(stage: stage, topic: topic, partition: partition).key]
            guard let last = entry?.checkpointOffset, let at = entry?.checkpointAt else { return true }
            return last != offset || now - at >= ChangelogStore.refreshInterval
        }
    }

    /// What a round needs of a stage's checkpoint besides its record: where it belongs and what it covers.
    struct CheckpointMark {
        var topic: String
        var partition: Int32
        var nextOffset: Int64
        var takenAt: Int64
        var windows: Int
    }

    /// Writes a stage's checkpoint round: waits until every record produced so far is acknowledged, writes one
    /// changelog record per checkpoint, made by `serialize` just before it is queued (which also releases the
    /// checkpoint's windows, see ``ChangelogStore/write(_:_:)``), waits for them — a checkpoint never covers an
    /// output that could still be lost — then may commit the offsets they cover and notes each partition.
    /// Returns the bytes written; nil (logged, counted) when a step failed: nothing is committed then and the
    /// previous checkpoint stays in force.
    func persistRound<Checkpoint>(
        _ checkpoints: inout [Checkpoint], stage: PartitionStatus.Stage, store: ChangelogStore?, _ consumer: KafkaConsumer, _ io: StageIO,
        mark: (Checkpoint) -> CheckpointMark, serialize: (inout Checkpoint) -> [UInt8]
    ) async -> Int? {
        guard let store, !checkpoints.isEmpty else { return 0 }
        let name = stage == .stage1 ? "stage 1" : "stage 2"
        let marks = checkpoints.map(mark)
        let started = ContinuousClock.now
        let sizes: [Int]
        do throws(KafkaError) {
            try await io.producer.flush(timeout: .seconds(10))
            try ChangelogStore.requireNoFailedDeliveries(io.producer)
            let flushed = ContinuousClock.now
            var index = 0
            sizes = try await store.write(&checkpoints) { checkpoint in
                defer { index += 1 }
                return (topic: marks[index].topic, partition: marks[index].partition, value: serialize(&checkpoint))
            }
            log("checkpoint written", .debug, [
                "stage": .string(name), "records": .stringConvertible(sizes.count), "bytes": .stringConvertible(sizes.reduce(0, +)),
                "flush": .string("\(flushed - started)"), "write": .string("\(ContinuousClock.now - flushed)")])
        } catch {
            state.withLock { $0.checkpointFailures += 1 }
            metrics?.checkpointEvent(stage: stage.rawValue, "failures")
            log("\(name) checkpoint not written; offsets stay at the previous checkpoint", .warning, ["error": .string("\(error)")])
            return nil
        }
        let bytes = sizes.reduce(0, +)
        let first = state.withLock { state -> Bool in
            state.checkpointsWritten += UInt64(sizes.count)
            state.checkpointBytes += UInt64(bytes)
            return state.checkpointedStages.insert(name).inserted
        }
        // Once per stage and process: from here on a crash of this worker resumes from its own checkpoints.
        if first { log("first checkpoint written", .info, ["stage": .string(name), "records": .stringConvertible(sizes.count)]) }
        if shouldCommit(stage: stage) {
            commit(consumer, marks.map { KafkaTopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: $0.nextOffset) })
        }
        for (mark, size) in zip(marks, sizes) {
            noteCheckpoint(
                stage: stage, topic: mark.topic, partition: mark.partition, offset: mark.nextOffset, at: mark.takenAt, bytes: size, windows: mark.windows)
        }
        metrics?.checkpoint(stage: stage.rawValue, records: sizes.count, bytes: bytes, duration: ContinuousClock.now - started)
        return bytes
    }

    /// Whether to commit the offsets a checkpoint covers now. The checkpoint, not the committed offset, is
    /// where a partition resumes; commits are for lag tools and autoscalers. librdkafka takes a commit that
    /// races a rebalance (an illegal generation) as the loss of the whole assignment, so commits are spaced
    /// ``commitInterval`` apart and none is made within ``commitInterval`` of the stage's last rebalance.
    func shouldCommit(stage: PartitionStatus.Stage) -> Bool {
        let now = Self.now()
        return lastCommits.withLock { last in
            let since = min(now - (last[stage.rawValue] ?? .min / 2), now - (last["rebalance." + stage.rawValue] ?? .min / 2))
            guard since >= Self.commitInterval else { return false }
            last[stage.rawValue] = now
            return true
        }
    }

    /// Commits the offsets a written checkpoint covers, without waiting. A partition resumes from its
    /// checkpoint, not from the committed offset (commits are for lag tools and autoscalers), so nothing
    /// waits for them: a synchronous commit in the background deadlocked behind a pending rebalance whose
    /// revoke handler waited for that writer, and one inside the revoke handler of a closing consumer
    /// blocked the close for the whole rebalance timeout.
    func commit(_ consumer: KafkaConsumer, _ offsets: [KafkaTopicPartitionOffset]) {
        guard settings.commitOffsets else { return }
        try? consumer.commitAsync(offsets)
    }

    /// Reads a changelog, trying three times a second apart: starting without the checkpoint (from the
    /// committed offset, with empty windows) would lose the open windows' events before it.
    func readChangelog(_ store: ChangelogStore, _ inputs: [(topic: String, partition: Int32)]) async throws(KafkaError) -> [String: [[UInt8]]] {
        var attempt = 0
        while true {
            do throws(KafkaError) {
                return try await store.read(inputs)
            } catch {
                attempt += 1
                guard attempt < 3 else { throw error }
                log("changelog \(store.topic) not read; trying again", .warning, ["error": .string("\(error)"), "attempt": .stringConvertible(attempt)])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// The partitions of a stage this worker owns now (assigned, not revoked or lost since).
    func ownedPartitions(_ stage: PartitionStatus.Stage) -> Set<KafkaTopicPartition> {
        ledger.withLock { ledger in
            Set(ledger.values.filter { $0.stage == stage }.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) })
        }
    }

    /// The messages of partitions this worker owns. A message of a partition it lost (delivered late by
    /// the client) must not resurrect that partition's state here: a window begun mid-stream would be
    /// published, or checkpointed, without the events before it. Dropped messages are counted.
    /// One ownership look-up per partition of the batch (messages arrive in runs per partition), no copy of
    /// the batch when every partition is owned (the usual case).
    func owned(_ messages: [KafkaMessage], stage: PartitionStatus.Stage) -> [KafkaMessage] {
        var partitions = Set<KafkaTopicPartition>()
        var last: KafkaTopicPartition?
        for message in messages where message.partition != last?.partition || message.topic != last?.topic {
            last = message.topicPartition
            partitions.insert(message.topicPartition)
        }
        let unowned = ledger.withLock { ledger in
            partitions.filter { ledger[PartitionStatus(stage: stage, topic: $0.topic, partition: $0.partition).key] == nil }
        }
        guard !unowned.isEmpty else { return messages }
        let kept = messages.filter { !unowned.contains($0.topicPartition) }
        let dropped = messages.count - kept.count
        state.withLock { $0.unownedMessagesDropped += UInt64(dropped) }
        log("messages of partitions this worker does not own were dropped", .warning, [
            "stage": .string(stage.rawValue), "messages": .stringConvertible(dropped)])
        return kept
    }

    /// Notes a rebalance of a stage's group (commits wait ``commitInterval`` after it).
    func noteRebalance(_ stage: PartitionStatus.Stage) {
        let now = Self.now()
        lastCommits.withLock { $0["rebalance." + stage.rawValue] = now }
    }

    func noteCheckpoint(stage: PartitionStatus.Stage, topic: String, partition: Int32, offset: Int64, at: Int64, bytes: Int, windows: Int) {
        ledger.withLock { ledger in
            var entry = ledger[PartitionStatus(stage: stage, topic: topic, partition: partition).key] ?? PartitionStatus(stage: stage, topic: topic, partition: partition)
            entry.checkpointOffset = offset
            entry.checkpointAt = at
            entry.stateBytes = bytes
            entry.openWindows = windows
            ledger[entry.key] = entry
        }
    }

    /// Records what a partition was restored from, and reports damaged records loudly.
    func noteRestore(stage: PartitionStatus.Stage, topic: String, partition: Int32, offset: Int64?, refused: [String]) {
        var entry = PartitionStatus(stage: stage, topic: topic, partition: partition)
        entry.restoredFromOffset = offset
        entry.refusedCheckpoints = refused
        entry.checkpointOffset = offset
        ledger.withLock { $0[entry.key] = entry }
        state.withLock {
            $0.checkpointsRefused += UInt64(refused.count)
            if offset != nil { $0.checkpointsRestored += 1 }
        }
        for reason in refused {
            log("damaged checkpoint record refused", .error, [
                "stage": .string(stage.rawValue), "topic": .string(topic), "partition": .stringConvertible(partition), "reason": .string(reason)])
        }
        if !refused.isEmpty { metrics?.checkpointEvent(stage: stage.rawValue, "refused", count: refused.count) }
        if let offset {
            metrics?.checkpointEvent(stage: stage.rawValue, "restored")
            log("partition restored from its checkpoint", .info, [
                "stage": .string(stage.rawValue), "topic": .string(topic), "partition": .stringConvertible(partition), "offset": .stringConvertible(offset)])
        } else if !refused.isEmpty {
            log("no usable checkpoint: the partition starts from its committed offset with empty state", .error, [
                "stage": .string(stage.rawValue), "topic": .string(topic), "partition": .stringConvertible(partition)])
        }
    }
}
