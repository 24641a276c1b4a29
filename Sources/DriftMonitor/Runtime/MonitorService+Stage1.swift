import Synchronization
import DriftContracts
import DriftKafka
import Logging

extension MonitorService {
    func runStage1(_ consumer: KafkaConsumer, _ io: StageIO) async {
        for await event in consumer.events {
            switch event {
            case .rebalance(let rebalance):
                await stage1Gate.run { await self.rebalanceStage1(rebalance, consumer, io) }
            case .messages(let messages):
                await stage1Gate.run { await self.processStage1(messages, io) }
                if io.stores == nil { try? consumer.commitAsync(KafkaConsumer.nextOffsets(after: messages)) }
            }
        }
    }

    private func processStage1(_ incoming: [KafkaMessage], _ io: StageIO) async {
        let messages = io.stores == nil ? incoming : owned(incoming, stage: .stage1)
        guard !messages.isEmpty else { return }
        let now = Self.now()
        let feedback = settings.feedbackTopic
        let next = KafkaConsumer.nextOffsets(after: messages)
        let (outputs, counters) = stage1.withLock { processor -> ([Stage1Output], Stage1Counters) in
            for message in messages {
                let source = SourcePartition(topic: message.topic, partition: message.partition)
                // The key is copied out of the message only for a dead letter.
                message.valueBytes.withUnsafeBytes { bytes in
                    if message.topic == feedback {
                        processor.processFeedback(bytes, key: message.key, source: source, offset: message.offset, now: now)
                    } else {
                        processor.processInference(bytes, key: message.key, source: source, offset: message.offset, now: now)
                    }
                }
            }
            for offset in next {
                processor.advance(SourcePartition(topic: offset.topicPartition.topic, partition: offset.topicPartition.partition), to: offset.offset)
            }
            return (processor.drain(), processor.counters)
        }
        let bytes = UInt64(messages.reduce(0) { $0 + $1.valueBytes.count })
        let unreported = state.withLock { state -> UInt64 in
            state.messagesConsumed += UInt64(messages.count)
            state.stage1BytesConsumed &+= bytes
            return state.takeUnreportedRestoreFailures(counters.restoreMergeFailures)
        }
        logRestoreFailures(unreported, counters)
        ledger.withLock { ledger in
            for offset in next {
                ledger[PartitionStatus(stage: .stage1, topic: offset.topicPartition.topic, partition: offset.topicPartition.partition).key]?.nextOffset = offset.offset
            }
        }
        if let metrics {
            var perTopic: [String: Int] = [:]
            for message in messages { perTopic[message.topic, default: 0] += 1 }
            for (topic, count) in perTopic { metrics.consumed(count, topic: topic) }
            metrics.stage1(counters)
        }
        await publish(outputs, io)
    }

    /// A restored window summary that could not be merged with the events after it loses those events'
    /// predecessors: never silent — logged at error level with the window and the reason.
    func logRestoreFailures(_ new: UInt64, _ counters: Stage1Counters) {
        guard new > 0 else { return }
        log("a restored window could not be merged with the events after the checkpoint; its restored events are missing", .error, [
            "failures": .stringConvertible(new), "last": .string(counters.lastRestoreMergeFailure ?? "?")])
    }

    /// Assigned partitions are restored from their checkpoints before their first message; revoked ones are
    /// checkpointed and handed over (with checkpointing) or summarised (without); lost ones are dropped.
    private func rebalanceStage1(_ rebalance: KafkaRebalance, _ consumer: KafkaConsumer, _ io: StageIO) async {
        let began = ContinuousClock.now
        noteRebalance(.stage1)
        let sources = rebalance.partitions.map { SourcePartition(topic: $0.topic, partition: $0.partition) }
        var startingOffsets: [KafkaTopicPartition: Int64] = [:]
        switch rebalance.kind {
        case .assigned:
            let restored = await restoreStage1(sources, io)
            let now = Self.now()
            let outputs = stage1.withLock { processor -> [Stage1Output] in
                for source in sources {
                    if let checkpoint = restored[source] { processor.restore(checkpoint, now: now) } else { processor.assign(source) }
                }
                return processor.drain()
            }
            for (source, checkpoint) in restored {
                startingOffsets[KafkaTopicPartition(topic: source.topic, partition: source.partition)] = checkpoint.nextOffset
            }
            await publish(outputs, io)
        case .revoked:
            if io.stores != nil {
                _ = await checkpointStage1(consumer, io, sources: sources, force: true)
                stage1.withLock { processor in for source in sources { processor.handOver(source) } }
            } else {
                let outputs = stage1.withLock { processor -> [Stage1Output] in
                    for source in sources { processor.release(source) }
                    return processor.drain()
                }
                await publish(outputs, io)
            }
        case .lost:
            stage1.withLock { processor in for source in sources { processor.handOver(source) } }
        }
        ledger.withLock { ledger in
            for source in sources {
                let key = PartitionStatus(stage: .stage1, topic: source.topic, partition: source.partition).key
                if rebalance.kind == .assigned {
                    if ledger[key] == nil { ledger[key] = PartitionStatus(stage: .stage1, topic: source.topic, partition: source.partition) }
                } else {
                    ledger.removeValue(forKey: key)
                }
            }
        }
        state.withLock { status in
            if rebalance.kind == .assigned {
                status.assignedPartitions = Array(Set(status.assignedPartitions + sources)).sorted()
            } else {
                status.assignedPartitions.removeAll { sources.contains($0) }
            }
        }
        log("stage 1 rebalance", .info, ["rebalance": .string("\(rebalance)"), "handled_in": .string("\(ContinuousClock.now - began)")])
        readiness.withLock { $0.stage1Joined = true }
        rebalance.acknowledge(startingOffsets: startingOffsets)
    }

    /// Reads the newest valid checkpoint of each source; damaged records are reported and never used.
    private func restoreStage1(_ sources: [SourcePartition], _ io: StageIO) async -> [SourcePartition: Stage1Checkpoint] {
        guard let store = io.stores?.stage1, !sources.isEmpty else { return [:] }
        let records: [String: [[UInt8]]]
        do throws(KafkaError) {
            records = try await readChangelog(store, sources.map { ($0.topic, $0.partition) })
        } catch {
            log("stage 1 checkpoints could not be read: starting from the committed offsets", .error, ["error": .string("\(error)")])
            state.withLock { $0.checkpointFailures += 1 }
            return [:]
        }
        var restored: [SourcePartition: Stage1Checkpoint] = [:]
        for source in sources {
            let choice = RestoreChoice(records: records[store.key(topic: source.topic, partition: source.partition)] ?? []) { bytes throws(CheckpointError) in
                let checkpoint = try Stage1Checkpoint(serialized: bytes)
                guard checkpoint.source == source else { throw CheckpointError.mismatch("a checkpoint of \(checkpoint.source) under the key of \(source)") }
                return checkpoint
            }
            noteRestore(stage: .stage1, topic: source.topic, partition: source.partition, offset: choice.checkpoint?.nextOffset, refused: choice.refused)
            if let checkpoint = choice.checkpoint { restored[source] = checkpoint }
        }
        return restored
    }

    /// Checkpoints stage 1's partitions (all, or `sources`) now, while the caller holds the stage's gate
    /// (a revoke, a stop): after any checkpoint still being written.
    func checkpointStage1(_ consumer: KafkaConsumer, _ io: StageIO, sources: [SourcePartition]?, force: Bool) async -> Bool {
        await stage1Writer.enter()
        var checkpoints = snapshotStage1(io, sources: sources, force: force)
        let written = await persistStage1(&checkpoints, consumer, io)
        await stage1Writer.leave()
        return written != nil
    }

    /// The periodic checkpoint: the state is taken under the stage's gate, and the writer's turn reserved
    /// there too (so checkpoints are written in the order they were taken); the flush and the write happen
    /// after the gate is released, so processing goes on meanwhile.
    /// Returns the bytes written.
    func checkpointStage1InBackground(_ consumer: KafkaConsumer, _ io: StageIO) async -> Int {
        var checkpoints = await stage1Gate.run { () -> [Stage1Checkpoint] in
            await self.stage1Writer.enter()
            return self.snapshotStage1(io, sources: nil, force: false)
        }
        let bytes = await persistStage1(&checkpoints, consumer, io)
        await stage1Writer.leave()
        return bytes ?? 0
    }

    /// The checkpoints of the partitions (all, or `sources`) that processed events since their last one, or
    /// whose record is due for a refresh (every one with `force`).
    private func snapshotStage1(_ io: StageIO, sources: [SourcePartition]?, force: Bool) -> [Stage1Checkpoint] {
        guard io.stores != nil else { return [] }
        let now = Self.now()
        let due = dueCheckpoints(stage: .stage1, now: now, force: force)
        let owned = sources == nil ? ownedPartitions(.stage1) : []
        let (checkpoints, failures) = stage1.withLock { processor in
            ((sources ?? processor.trackedSources.filter { owned.contains(KafkaTopicPartition(topic: $0.topic, partition: $0.partition)) })
                .compactMap { source -> Stage1Checkpoint? in
                    guard let checkpoint = processor.checkpoint(source, now: now), due(source.topic, source.partition, checkpoint.nextOffset) else { return nil }
                    return checkpoint
                }, processor.counters)
        }
        logRestoreFailures(state.withLock { $0.takeUnreportedRestoreFailures(failures.restoreMergeFailures) }, failures)
        return checkpoints
    }

    /// Writes the round (see ``persistRound``); each checkpoint's windows are released once it is serialized
    /// (processing goes on meanwhile, and a window still shared with a snapshot is copied when it changes).
    private func persistStage1(_ checkpoints: inout [Stage1Checkpoint], _ consumer: KafkaConsumer, _ io: StageIO) async -> Int? {
        await persistRound(
            &checkpoints, stage: .stage1, store: io.stores?.stage1, consumer, io,
            mark: { CheckpointMark(topic: $0.source.topic, partition: $0.source.partition, nextOffset: $0.nextOffset, takenAt: $0.takenAt, windows: $0.windows.count) }
        ) { checkpoint in
            defer { checkpoint.windows = [] }
            return checkpoint.serialized()
        }
    }

    func publish(_ outputs: [Stage1Output], _ io: StageIO) async {
        var messages: [KafkaProducerMessage] = []
        var partials: UInt64 = 0
        var deadLetters: UInt64 = 0
        var labelRequests: UInt64 = 0
        for output in outputs {
            switch output {
            case .partial(let partial):
                messages.append(KafkaProducerMessage(
                    topic: settings.partialsTopic, key: Array(partial.modelID.utf8), value: PartialsRecord.partial(partial).serialized()))
                partials += 1
            case .progress(let progress):
                let bytes = PartialsRecord.progress(progress).serialized()
                for partition in 0..<io.partialPartitions {
                    messages.append(KafkaProducerMessage(topic: settings.partialsTopic, partition: partition, value: bytes))
                }
            case .deadLetter(let record):
                messages.append(KafkaProducerMessage(topic: settings.deadLetterTopic, key: Array(record.sourceTopic.utf8), value: record.json()))
                deadLetters += 1
            case .labelRequests(let requests):
                for request in requests {
                    messages.append(KafkaProducerMessage(topic: settings.labelRequestsTopic, key: Array(request.eventID.utf8), value: Array(request.json().utf8)))
                }
                labelRequests += UInt64(requests.count)
            }
        }
        guard !messages.isEmpty else { return }
        do {
            try await io.producer.enqueue(contentsOf: messages)
        } catch {
            log("producing failed", .error, ["records": .stringConvertible(messages.count), "error": .string("\(error)")])
        }
        state.withLock {
            $0.partialsProduced += partials
            $0.deadLettersProduced += deadLetters
            $0.labelRequestsProduced += labelRequests
        }
    }
}
