public import DriftKafka
import DriftContracts
import Foundation
import Synchronization

/// `driftwatch monitor` as a running service: stage 1 consumes inference and feedback events and publishes
/// partials and dead letters; stage 2 consumes the partials, evaluates complete windows and publishes drift
/// events. Both stages run in this process (the architecture's default); each is its own consumer group, so
/// more processes can join either.
///
/// Delivery (issue 4): input offsets are committed after the outputs they produced have been handed to the
/// idempotent producer — at least once. Exactly-once across crashes is issue 5's checkpointing.
public final class MonitorService: Sendable {
    public let settings: MonitorSettings
    private let stage1: Mutex<Stage1Processor>
    private let stage2: Mutex<Stage2Processor>
    private let state = Mutex(MonitorStatus())
    private let published: AsyncStream<DriftEvent>.Continuation
    /// Every drift event as it is published (for in-process subscribers: the API, tests).
    public let driftEvents: AsyncStream<DriftEvent>
    private let log: @Sendable (String) -> Void
    private let stopRequests = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))

    /// Asks ``run()`` to stop: stage 1 closes its windows, stage 2 evaluates what it has, outputs are flushed.
    public func stop() {
        stopRequests.continuation.yield()
    }

    public init(settings: MonitorSettings, profiles: [ReferenceProfile], log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.settings = settings
        stage1 = Mutex(Stage1Processor(configuration: settings.stage1, profiles: profiles))
        var processor = Stage2Processor(policy: settings.policy, completionTimeout: settings.completionTimeout, profiles: profiles)
        processor.evaluator.domainClassifier = settings.domainClassifier
        stage2 = Mutex(processor)
        (driftEvents, published) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        self.log = log
    }

    /// The counters so far.
    public var status: MonitorStatus {
        var status = state.withLock { $0 }
        status.stage1 = stage1.withLock { $0.counters }
        let (late, timedOut, corrupt) = stage2.withLock { ($0.merger.latePartials, $0.merger.timedOutWindows, $0.corruptRecords) }
        status.latePartials = late
        status.timedOutWindows = timedOut
        status.corruptPartials = corrupt
        return status
    }

    /// Runs until ``stop()``, then flushes both stages, publishes what remains and closes.
    public func run() async throws {
        var producerConfiguration = settings.kafka
        producerConfiguration.clientID = "driftwatch-monitor"
        producerConfiguration.lingerMilliseconds = producerConfiguration.lingerMilliseconds ?? 5
        let producer = try KafkaProducer(configuration: producerConfiguration)
        let partialPartitions = try await ensureTopics()
        var stage1Configuration = settings.kafka
        // A new group starts at the oldest retained event; the internal topics likewise.
        stage1Configuration.autoOffsetReset = stage1Configuration.autoOffsetReset ?? .earliest
        stage1Configuration.groupID = settings.groupID
        stage1Configuration.clientID = "driftwatch-monitor-stage1"
        var stage2Configuration = settings.kafka
        stage2Configuration.autoOffsetReset = stage2Configuration.autoOffsetReset ?? .earliest
        stage2Configuration.groupID = settings.groupID + ".stage2"
        stage2Configuration.clientID = "driftwatch-monitor-stage2"
        let inputs = [settings.inferenceTopic] + (settings.feedbackTopic.map { [$0] } ?? [])
        let stage1Consumer = try KafkaConsumer(configuration: stage1Configuration, topics: inputs)
        let stage2Consumer = try KafkaConsumer(configuration: stage2Configuration, topics: [settings.partialsTopic])
        log("monitor: consuming \(inputs.joined(separator: ", ")); partials on \(settings.partialsTopic) (\(partialPartitions) partitions); drift events to \(settings.driftTopic)")

        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.runStage1(stage1Consumer, producer, partialPartitions: partialPartitions) }
            group.addTask { await self.runStage2(stage2Consumer, producer) }
            group.addTask { await self.runTicks(producer, partialPartitions: partialPartitions) }
            // Until stop(): then stage 1 stops first, so that its last partials still reach stage 2.
            for await _ in stopRequests.stream { break }
            await stage1Consumer.close()
            let remaining = stage1.withLock { processor -> [Stage1Output] in
                processor.flush()
                return processor.drain()
            }
            await publish(remaining, producer, partialPartitions: partialPartitions)
            try? await producer.flush(timeout: .seconds(10))
            // Let stage 2 read them: wait until it has consumed nothing new for a second (at most ten).
            var seen = state.withLock { $0.partialRecordsConsumed }
            for _ in 0..<10 {
                try? await Task.sleep(for: .seconds(1))
                let now = state.withLock { $0.partialRecordsConsumed }
                if now == seen { break }
                seen = now
            }
            await stage2Consumer.close()
            let last = stage2.withLock { $0.flush(now: Self.now()) }
            await publish(last, producer)
            try? await producer.flush(timeout: .seconds(10))
            group.cancelAll()
        }
        await producer.close()
        published.finish()
        log("monitor: stopped; \(status.driftEventsProduced) drift events, \(status.deadLettersProduced) dead letters")
    }

    private func ensureTopics() async throws -> Int32 {
        let admin = try KafkaAdmin(configuration: settings.kafka)
        let owned = [settings.partialsTopic, settings.driftTopic, settings.deadLetterTopic]
        _ = try? await admin.ensureTopics(owned.map { KafkaTopicSpecification(name: $0, partitions: settings.topicPartitions) })
        let description = try await admin.describeTopic(settings.partialsTopic)
        return Int32(description?.partitions.count ?? Int(settings.topicPartitions))
    }

    private func runStage1(_ consumer: KafkaConsumer, _ producer: KafkaProducer, partialPartitions: Int32) async {
        for await event in consumer.events {
            switch event {
            case .rebalance(let rebalance):
                let outputs = stage1.withLock { processor -> [Stage1Output] in
                    for partition in rebalance.partitions {
                        let source = SourcePartition(topic: partition.topic, partition: partition.partition)
                        if rebalance.kind == .assigned { processor.assign(source) } else { processor.release(source) }
                    }
                    return processor.drain()
                }
                state.withLock { status in
                    let sources = rebalance.partitions.map { SourcePartition(topic: $0.topic, partition: $0.partition) }
                    if rebalance.kind == .assigned {
                        status.assignedPartitions = Array(Set(status.assignedPartitions + sources)).sorted()
                    } else {
                        status.assignedPartitions.removeAll { sources.contains($0) }
                    }
                }
                await publish(outputs, producer, partialPartitions: partialPartitions)
                log("monitor: stage 1 \(rebalance)")
                rebalance.acknowledge()
            case .messages(let messages):
                let now = Self.now()
                let feedback = settings.feedbackTopic
                let outputs = stage1.withLock { processor -> [Stage1Output] in
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
                    return processor.drain()
                }
                state.withLock { $0.messagesConsumed += UInt64(messages.count) }
                await publish(outputs, producer, partialPartitions: partialPartitions)
                try? consumer.commitAsync(KafkaConsumer.nextOffsets(after: messages))
            }
        }
    }

    private func runStage2(_ consumer: KafkaConsumer, _ producer: KafkaProducer) async {
        for await event in consumer.events {
            switch event {
            case .rebalance(let rebalance):
                log("monitor: stage 2 \(rebalance)")
                rebalance.acknowledge()
            case .messages(let messages):
                let now = Self.now()
                let events = stage2.withLock { processor -> [DriftEvent] in
                    for message in messages { processor.add(serialized: message.value, now: now) }
                    return processor.ready(now: now)
                }
                state.withLock { $0.partialRecordsConsumed += UInt64(messages.count) }
                await publish(events, producer)
                try? consumer.commitAsync(KafkaConsumer.nextOffsets(after: messages))
            }
        }
    }

    private func runTicks(_ producer: KafkaProducer, partialPartitions: Int32) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.tickInterval)
            let now = Self.now()
            let outputs = stage1.withLock { processor -> [Stage1Output] in
                processor.tick(now: now)
                return processor.drain()
            }
            await publish(outputs, producer, partialPartitions: partialPartitions)
            let events = stage2.withLock { $0.ready(now: now) }
            await publish(events, producer)
        }
    }

    private func publish(_ outputs: [Stage1Output], _ producer: KafkaProducer, partialPartitions: Int32) async {
        var messages: [KafkaProducerMessage] = []
        var partials: UInt64 = 0
        var deadLetters: UInt64 = 0
        for output in outputs {
            switch output {
            case .partial(let partial):
                messages.append(KafkaProducerMessage(
                    topic: settings.partialsTopic, key: Array(partial.modelID.utf8), value: PartialsRecord.partial(partial).serialized()))
                partials += 1
            case .progress(let progress):
                let bytes = PartialsRecord.progress(progress).serialized()
                for partition in 0..<partialPartitions {
                    messages.append(KafkaProducerMessage(topic: settings.partialsTopic, partition: partition, value: bytes))
                }
            case .deadLetter(let record):
                messages.append(KafkaProducerMessage(topic: settings.deadLetterTopic, key: Array(record.sourceTopic.utf8), value: record.json()))
                deadLetters += 1
            }
        }
        guard !messages.isEmpty else { return }
        do {
            try await producer.enqueue(contentsOf: messages)
        } catch {
            log("monitor: producing \(messages.count) records failed: \(error)")
        }
        state.withLock {
            $0.partialsProduced += partials
            $0.deadLettersProduced += deadLetters
        }
    }

    private func publish(_ events: [DriftEvent], _ producer: KafkaProducer) async {
        guard !events.isEmpty else { return }
        let messages = events.map { KafkaProducerMessage(topic: settings.driftTopic, key: Array($0.modelID.utf8), value: Array($0.json().utf8)) }
        do {
            try await producer.enqueue(contentsOf: messages)
        } catch {
            log("monitor: producing \(messages.count) drift events failed: \(error)")
        }
        state.withLock { status in
            status.driftEventsProduced += UInt64(events.count)
            for event in events { status.latestSeverity[event.modelID] = event.severity }
        }
        for event in events {
            published.yield(event)
            log("monitor: \(event.modelID)@\(event.modelVersion) window \(EventTimestamp.format(event.window.start)) count \(event.window.count) \(event.severity.rawValue)\(event.topFeatures.isEmpty ? "" : " top: " + event.topFeatures.joined(separator: ", "))")
        }
    }

    /// Wall-clock milliseconds since the epoch (processing time).
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000) }
}
