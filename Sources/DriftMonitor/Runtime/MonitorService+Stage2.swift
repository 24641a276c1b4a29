import Synchronization
import DriftContracts
import DriftJSON
import DriftKafka
import Logging

extension MonitorService {
    func runStage2(_ consumer: KafkaConsumer, _ io: StageIO) async {
        for await event in consumer.events {
            switch event {
            case .rebalance(let rebalance):
                await stage2Gate.run { await self.rebalanceStage2(rebalance, consumer, io) }
            case .messages(let messages):
                await stage2Gate.run { await self.processStage2(messages, io) }
                if io.stores == nil { try? consumer.commitAsync(KafkaConsumer.nextOffsets(after: messages)) }
            }
        }
    }

    private func processStage2(_ incoming: [KafkaMessage], _ io: StageIO) async {
        let messages = io.stores == nil ? incoming : owned(incoming, stage: .stage2)
        guard !messages.isEmpty else { return }
        let now = Self.now()
        let (events, suppressed) = stage2.withLock { partitions -> ([DriftEvent], UInt64) in
            var touched = Set<Int32>()
            let before = partitions.values.reduce(0) { $0 + $1.processor.suppressedDuplicates }
            for message in messages {
                var entry = partitions.removeValue(forKey: message.partition) ?? Stage2Partition(processor: makeStage2Processor(), nextOffset: nil)
                entry.processor.add(serialized: message.value, now: now)
                entry.nextOffset = message.offset + 1
                partitions[message.partition] = entry
                touched.insert(message.partition)
            }
            var events: [DriftEvent] = []
            for partition in touched.sorted() { events += partitions[partition]?.processor.ready(now: now) ?? [] }
            return (events, partitions.values.reduce(0) { $0 + $1.processor.suppressedDuplicates } - before)
        }
        if suppressed > 0 { metrics?.suppressed(Int(suppressed)) }
        let bytes = UInt64(messages.reduce(0) { $0 + $1.valueBytes.count })
        state.withLock {
            $0.partialRecordsConsumed += UInt64(messages.count)
            $0.stage2BytesConsumed &+= bytes
        }
        ledger.withLock { ledger in
            for offset in KafkaConsumer.nextOffsets(after: messages) {
                ledger[PartitionStatus(stage: .stage2, topic: offset.topicPartition.topic, partition: offset.topicPartition.partition).key]?.nextOffset = offset.offset
            }
        }
        await publish(events, io)
    }

    private func rebalanceStage2(_ rebalance: KafkaRebalance, _ consumer: KafkaConsumer, _ io: StageIO) async {
        let began = ContinuousClock.now
        noteRebalance(.stage2)
        let partitions = rebalance.partitions.map(\.partition)
        var startingOffsets: [KafkaTopicPartition: Int64] = [:]
        switch rebalance.kind {
        case .assigned:
            let restored = await restoreStage2(partitions, io)
            let publishedIDs = io.stores == nil ? [] : await readPublishedEventIDs(io)
            let now = Self.now()
            stage2.withLock { owned in
                for partition in partitions where owned[partition] == nil || io.stores != nil {
                    var processor = makeStage2Processor()
                    if let checkpoint = restored[partition] { processor.restore(checkpoint, now: now) }
                    processor.published = publishedIDs
                    owned[partition] = Stage2Partition(processor: processor, nextOffset: restored[partition]?.nextOffset)
                }
            }
            for (partition, checkpoint) in restored {
                startingOffsets[KafkaTopicPartition(topic: settings.partialsTopic, partition: partition)] = checkpoint.nextOffset
            }
        case .revoked:
            // Without checkpointing the state stays (as before): the partition usually comes straight back.
            if io.stores != nil {
                _ = await checkpointStage2(consumer, io, partitions: partitions, force: true)
                stage2.withLock { owned in for partition in partitions { owned.removeValue(forKey: partition) } }
            }
        case .lost:
            if io.stores != nil { stage2.withLock { owned in for partition in partitions { owned.removeValue(forKey: partition) } } }
        }
        ledger.withLock { ledger in
            for partition in partitions {
                let key = PartitionStatus(stage: .stage2, topic: settings.partialsTopic, partition: partition).key
                if rebalance.kind == .assigned {
                    if ledger[key] == nil { ledger[key] = PartitionStatus(stage: .stage2, topic: settings.partialsTopic, partition: partition) }
                } else {
                    ledger.removeValue(forKey: key)
                }
            }
        }
        log("stage 2 rebalance", .info, ["rebalance": .string("\(rebalance)"), "handled_in": .string("\(ContinuousClock.now - began)")])
        rebalance.acknowledge(startingOffsets: startingOffsets)
    }

    private func restoreStage2(_ partitions: [Int32], _ io: StageIO) async -> [Int32: Stage2Checkpoint] {
        guard let store = io.stores?.stage2, !partitions.isEmpty else { return [:] }
        let topic = settings.partialsTopic
        let records: [String: [[UInt8]]]
        do throws(KafkaError) {
            records = try await readChangelog(store, partitions.map { (topic, $0) })
        } catch {
            log("stage 2 checkpoints could not be read: starting from the committed offsets", .error, ["error": .string("\(error)")])
            state.withLock { $0.checkpointFailures += 1 }
            return [:]
        }
        var restored: [Int32: Stage2Checkpoint] = [:]
        for partition in partitions {
            let choice = RestoreChoice(records: records[store.key(topic: topic, partition: partition)] ?? []) { bytes throws(CheckpointError) in
                let checkpoint = try Stage2Checkpoint(serialized: bytes)
                guard checkpoint.partition == partition else { throw CheckpointError.mismatch("a checkpoint of partition \(checkpoint.partition) under the key of \(partition)") }
                return checkpoint
            }
            noteRestore(stage: .stage2, topic: topic, partition: partition, offset: choice.checkpoint?.nextOffset, refused: choice.refused)
            if let checkpoint = choice.checkpoint { restored[partition] = checkpoint }
        }
        return restored
    }

    /// The ids of the drift events at the end of each drift-topic partition: windows evaluated and published
    /// before a restart, which an evaluation after the restore must not publish again.
    private func readPublishedEventIDs(_ io: StageIO) async -> Set<String> {
        let window = settings.publishedReadBack
        do throws(KafkaError) {
            let messages = try await KafkaRangeReader.read(
                configuration: settings.kafka, topic: settings.driftTopic, partitions: Array(0..<io.driftPartitions)) { _, high in high - window }
            var ids = Set<String>()
            for message in messages {
                if case .string(let id)? = (try? JSONValue.parse(message.value))?["event_id"] { ids.insert(id) }
            }
            return ids
        } catch {
            log("the drift topic's recent events could not be read: a window evaluated just before a crash may be published twice", .warning, [
                "error": .string("\(error)")])
            return []
        }
    }

    /// Checkpoints stage 2's partitions (all, or `partitions`) now, while the caller holds the stage's gate
    /// (a revoke, a stop): after any checkpoint still being written.
    func checkpointStage2(_ consumer: KafkaConsumer, _ io: StageIO, partitions: [Int32]?, force: Bool) async -> Bool {
        await stage2Writer.enter()
        var checkpoints = snapshotStage2(io, partitions: partitions, force: force)
        let written = await persistStage2(&checkpoints, consumer, io)
        await stage2Writer.leave()
        return written != nil
    }

    /// The periodic checkpoint, written after the stage's gate is released (see `checkpointStage1InBackground`).
    /// Returns the bytes written.
    func checkpointStage2InBackground(_ consumer: KafkaConsumer, _ io: StageIO) async -> Int {
        var checkpoints = await stage2Gate.run { () -> [Stage2Checkpoint] in
            await self.stage2Writer.enter()
            return self.snapshotStage2(io, partitions: nil, force: false)
        }
        let bytes = await persistStage2(&checkpoints, consumer, io)
        await stage2Writer.leave()
        return bytes ?? 0
    }

    /// The checkpoints of the partitions (all, or `partitions`) that read records since their last one, or
    /// are due for a refresh (every one with `force`).
    private func snapshotStage2(_ io: StageIO, partitions: [Int32]?, force: Bool) -> [Stage2Checkpoint] {
        guard io.stores != nil else { return [] }
        let now = Self.now()
        let topic = settings.partialsTopic
        let due = dueCheckpoints(stage: .stage2, now: now, force: force)
        return stage2.withLock { owned in
            (partitions ?? owned.keys.sorted()).compactMap { partition -> Stage2Checkpoint? in
                guard let entry = owned[partition], let next = entry.nextOffset, due(topic, partition, next) else { return nil }
                return entry.processor.checkpoint(partition: partition, nextOffset: next, now: now)
            }
        }
    }

    /// Writes the round (see ``persistRound``), after every drift event published before it; each checkpoint's
    /// pending windows are released once it is serialized.
    private func persistStage2(_ checkpoints: inout [Stage2Checkpoint], _ consumer: KafkaConsumer, _ io: StageIO) async -> Int? {
        let topic = settings.partialsTopic
        return await persistRound(
            &checkpoints, stage: .stage2, store: io.stores?.stage2, consumer, io,
            mark: { CheckpointMark(topic: topic, partition: $0.partition, nextOffset: $0.nextOffset, takenAt: $0.takenAt, windows: $0.pendingWindows) }
        ) { checkpoint in
            defer { checkpoint.pending = []; checkpoint.evaluated = [] }
            return checkpoint.serialized()
        }
    }

    func publish(_ events: [DriftEvent], _ io: StageIO) async {
        guard !events.isEmpty else { return }
        let texts = events.map { $0.json() }
        let messages = zip(events, texts).map { KafkaProducerMessage(topic: settings.driftTopic, key: Array($0.modelID.utf8), value: Array($1.utf8)) }
        do {
            try await io.producer.enqueue(contentsOf: messages)
        } catch {
            log("producing drift events failed", .error, ["records": .stringConvertible(messages.count), "error": .string("\(error)")])
        }
        state.withLock { $0.driftEventsProduced += UInt64(events.count) }
        let now = Self.now()
        history.withLock { history in
            for (event, json) in zip(events, texts) { history.record(event, json: json) }
        }
        for event in events {
            metrics?.published(event, at: now)
            published.yield(event)
            var metadata: Logger.Metadata = [
                "model": .string(event.modelID), "version": .string(event.modelVersion),
                "window_start": .string(EventTimestamp.format(event.window.start)), "count": .stringConvertible(event.window.count),
                "severity": .string(event.severity.rawValue)]
            if !event.topFeatures.isEmpty { metadata["top_features"] = .string(event.topFeatures.joined(separator: ",")) }
            log("drift event", event.severity == .critical ? .warning : .info, metadata)
        }
    }
}
