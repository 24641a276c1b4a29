public import DriftKafka
import DriftContracts
import Foundation
public import Logging
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
    private let logger: Logger
    /// Metrics, when the host records them (`driftwatch monitor` exports them on `/metrics`).
    public let metrics: MonitorMetrics?
    private let history: Mutex<MonitorHistory>
    private let readiness = Mutex(Readiness())
    private let stopRequests = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))

    /// Asks ``run()`` to stop: stage 1 closes its windows, stage 2 evaluates what it has, outputs are flushed.
    public func stop() {
        stopRequests.continuation.yield()
    }

    /// What ``isReady`` is made of.
    private struct Readiness {
        var clientsStarted = false
        var stage1Joined = false
        var stopping = false
    }

    public init(
        settings: MonitorSettings, profiles: [ReferenceProfile], logger: Logger = Logger(label: "driftwatch.monitor"),
        metrics: MonitorMetrics? = nil, historyCapacity: Int = 200
    ) {
        self.settings = settings
        stage1 = Mutex(Stage1Processor(configuration: settings.stage1, profiles: profiles))
        var processor = Stage2Processor(policy: settings.policy, completionTimeout: settings.completionTimeout, profiles: profiles)
        processor.evaluator.domainClassifier = settings.domainClassifier
        stage2 = Mutex(processor)
        (driftEvents, published) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        self.logger = logger
        self.metrics = metrics
        history = Mutex(MonitorHistory(capacity: historyCapacity))
        loadedProfiles = Mutex(Set(profiles.map { "\($0.modelID)@\($0.modelVersion)" }))
    }

    private let loadedProfiles: Mutex<Set<String>>

    /// The model versions whose profiles are loaded (`model@version`), from files and model-version events.
    public var profileKeys: [String] { loadedProfiles.withLock { $0.sorted() } }

    /// Loads (or replaces) a model version's profile in both stages: windows opened from now on use it.
    public func load(_ profile: ReferenceProfile) {
        stage1.withLock { $0.add(profile) }
        stage2.withLock { $0.add(profile) }
        loadedProfiles.withLock { _ = $0.insert("\(profile.modelID)@\(profile.modelVersion)") }
    }

    /// Ready to serve: clients created, topics checked, stage 1's group joined, not shutting down.
    public var isReady: Bool {
        readiness.withLock { $0.clientsStarted && $0.stage1Joined && !$0.stopping }
    }

    /// The recent drift events per model.
    public var recentWindows: MonitorHistory { history.withLock { $0 } }

    private func log(_ message: String, _ level: Logger.Level = .info, _ metadata: Logger.Metadata = [:]) {
        logger.log(level: level, "\(message)", metadata: metadata)
    }

    /// The counters so far.
    public var status: MonitorStatus {
        var status = state.withLock { $0 }
        status.stage1 = stage1.withLock { $0.counters }
        let (late, timedOut, corrupt, duplicates) = stage2.withLock {
            ($0.merger.latePartials, $0.merger.timedOutWindows, $0.corruptRecords, $0.merger.duplicatePartials)
        }
        status.duplicatePartials = duplicates
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
        let (partialPartitions, versionPartitions) = try await ensureTopics()
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
        let versionsConsumer = try modelVersionsConsumer(partitions: versionPartitions)
        log("consuming", .info, [
            "inputs": .string(inputs.joined(separator: ",")), "partials": .string(settings.partialsTopic),
            "partial_partitions": .stringConvertible(partialPartitions), "drift_topic": .string(settings.driftTopic),
            "group": .string(settings.groupID)])
        readiness.withLock { $0.clientsStarted = true }

        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.runStage1(stage1Consumer, producer, partialPartitions: partialPartitions) }
            group.addTask { await self.runStage2(stage2Consumer, producer) }
            group.addTask { await self.runTicks(producer, partialPartitions: partialPartitions) }
            if metrics != nil { group.addTask { await self.runLag(stage1Consumer) } }
            if let versionsConsumer { group.addTask { await self.runModelVersions(versionsConsumer) } }
            // Until stop(): then stage 1 stops first, so that its last partials still reach stage 2.
            for await _ in stopRequests.stream { break }
            readiness.withLock { $0.stopping = true }
            log("stopping: closing windows")
            await stage1Consumer.close()
            await versionsConsumer?.close()
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
        let final = status
        log("stopped", .info, [
            "drift_events": .stringConvertible(final.driftEventsProduced), "dead_letters": .stringConvertible(final.deadLettersProduced),
            "events": .stringConvertible(final.stage1.inferenceAccepted)])
    }

    /// Creates the topics the monitor writes when missing; the partition counts of the partials topic and of
    /// the model-versions topic (0: absent), from one metadata request.
    private func ensureTopics() async throws -> (partials: Int32, modelVersions: Int32) {
        let admin = try KafkaAdmin(configuration: settings.kafka)
        let owned = [settings.partialsTopic, settings.driftTopic, settings.deadLetterTopic] + (settings.modelVersionsTopic.map { [$0] } ?? [])
        _ = try? await admin.ensureTopics(owned.map { KafkaTopicSpecification(name: $0, partitions: settings.topicPartitions) })
        let topics = try await admin.listTopics()
        func partitions(_ name: String?) -> Int32? { topics.first { $0.name == name }.map { Int32($0.partitions.count) } }
        return (partitions(settings.partialsTopic) ?? settings.topicPartitions, partitions(settings.modelVersionsTopic) ?? 0)
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
                log("stage 1 rebalance", .info, ["rebalance": .string("\(rebalance)")])
                readiness.withLock { $0.stage1Joined = true }
                rebalance.acknowledge()
            case .messages(let messages):
                let now = Self.now()
                let feedback = settings.feedbackTopic
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
                    return (processor.drain(), processor.counters)
                }
                state.withLock { $0.messagesConsumed += UInt64(messages.count) }
                if let metrics {
                    var perTopic: [String: Int] = [:]
                    for message in messages { perTopic[message.topic, default: 0] += 1 }
                    for (topic, count) in perTopic { metrics.consumed(count, topic: topic) }
                    metrics.stage1(counters)
                }
                await publish(outputs, producer, partialPartitions: partialPartitions)
                try? consumer.commitAsync(KafkaConsumer.nextOffsets(after: messages))
            }
        }
    }

    private func runStage2(_ consumer: KafkaConsumer, _ producer: KafkaProducer) async {
        for await event in consumer.events {
            switch event {
            case .rebalance(let rebalance):
                log("stage 2 rebalance", .info, ["rebalance": .string("\(rebalance)")])
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

    /// A consumer of every partition of the model-versions topic from its beginning (no group: each
    /// monitor process needs every version's profile).
    private func modelVersionsConsumer(partitions: Int32) throws -> KafkaConsumer? {
        guard let topic = settings.modelVersionsTopic else { return nil }
        guard partitions > 0 else {
            log("model-versions topic missing: profiles from files only", .warning, ["topic": .string(topic)])
            return nil
        }
        var configuration = settings.kafka
        configuration.clientID = "driftwatch-monitor-versions"
        configuration.groupID = nil
        let assignment = (0..<partitions).map {
            KafkaTopicPartitionOffset(KafkaTopicPartition(topic: topic, partition: $0), offset: KafkaOffset.beginning)
        }
        return try KafkaConsumer(configuration: configuration, assignment: assignment)
    }

    private func runModelVersions(_ consumer: KafkaConsumer) async {
        for await batch in consumer.batches {
            for message in batch {
                do throws(ModelVersionProfile.Failure) {
                    guard let profile = try ModelVersionProfile.profile(fromEvent: message.value) else {
                        metrics?.modelVersion("no_profile")
                        continue
                    }
                    load(profile)
                    state.withLock { $0.profilesFromEvents += 1 }
                    metrics?.modelVersion("loaded")
                    log("profile loaded from a model-version event", .info, [
                        "model": .string(profile.modelID), "version": .string(profile.modelVersion), "offset": .stringConvertible(message.offset)])
                } catch {
                    state.withLock { $0.invalidModelVersionEvents += 1 }
                    metrics?.modelVersion("invalid")
                    log("model-version event without a usable profile", .warning, [
                        "partition": .stringConvertible(message.partition), "offset": .stringConvertible(message.offset), "reason": .string(error.reason)])
                }
            }
        }
    }

    /// Every 5 s: the stage 1 consumer's lag per partition, into the metrics.
    private func runLag(_ consumer: KafkaConsumer) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(5))
            guard !Task.isCancelled, let metrics else { return }
            guard let lags = try? await consumer.lag(timeout: .seconds(2)) else { continue }
            for lag in lags { metrics.lag(topic: lag.topicPartition.topic, partition: lag.topicPartition.partition, messages: lag.lag) }
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
            log("producing failed", .error, ["records": .stringConvertible(messages.count), "error": .string("\(error)")])
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
            log("producing drift events failed", .error, ["records": .stringConvertible(messages.count), "error": .string("\(error)")])
        }
        state.withLock { $0.driftEventsProduced += UInt64(events.count) }
        let now = Self.now()
        history.withLock { history in
            for event in events { history.record(event) }
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

    /// Wall-clock milliseconds since the epoch (processing time).
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000) }
}
