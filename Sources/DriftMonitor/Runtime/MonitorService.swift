public import DriftKafka
import DriftContracts
import Foundation
public import Logging
import Synchronization

/// `driftwatch monitor` as a running service: stage 1 consumes inference and feedback events and publishes
/// partials and dead letters; stage 2 consumes the partials, evaluates complete windows and publishes drift
/// events. Both stages run in this process (the architecture's default); each is its own consumer group, so
/// more processes share the partitions of either.
///
/// Delivery: with checkpointing (the default), each stage writes its partitions' state to a changelog topic
/// after the outputs it produced are acknowledged, and only then commits the input offsets it covers; a
/// partition's next owner — after a rebalance, a restart or a crash — restores that state and resumes at
/// its offset, so every event is counted once. Partials re-sent after a crash are dropped by stage 2 (one
/// per window and source partition), and drift events already on the topic are not published again.
/// Without checkpointing, offsets are committed after each batch (at least once).
public final class MonitorService: Sendable {
    public let settings: MonitorSettings
    let stage1: Mutex<Stage1Processor>
    /// Stage 2's state, one per partition of the partials topic this worker owns.
    let stage2 = Mutex<[Int32: Stage2Partition]>([:])
    let state = Mutex(MonitorStatus())
    /// The partitions owned, per stage, with their checkpoints (by ``PartitionStatus`` key).
    let ledger = Mutex<[String: PartitionStatus]>([:])
    let profiles: Mutex<[ProfileKey: ReferenceProfile]>
    /// When each stage last committed offsets (ms).
    let lastCommits = Mutex<[String: Int64]>([:])
    /// How far apart offset commits are with checkpointing (ms).
    static let commitInterval: Int64 = 5_000
    let stage1Gate = SerialGate()
    let stage2Gate = SerialGate()
    /// Each stage's checkpoints are written one at a time, in the order they were taken.
    let stage1Writer = SerialGate()
    let stage2Writer = SerialGate()
    let published: AsyncStream<DriftEvent>.Continuation
    /// Every drift event as it is published, for in-process subscribers (tests, an embedding host). At most
    /// ``driftEventBuffer`` wait for a subscriber; beyond that the oldest are dropped.
    public let driftEvents: AsyncStream<DriftEvent>
    /// How many published drift events wait on ``driftEvents`` for a subscriber. The stream is fed whether or
    /// not anything reads it: it held 10,000 until the soak found them — a drift event of a 25-feature model
    /// is tens of KB in memory, so `driftwatch monitor`, which subscribes to nothing, grew by ~8 MB a minute at
    /// 20 models' windows every 10 s until 10,000 had piled up (83 minutes, most of a gigabyte).
    public static let driftEventBuffer = 256
    let logger: Logger
    /// Metrics, when the host records them (`driftwatch monitor` exports them on `/metrics`).
    public let metrics: MonitorMetrics?
    let history: Mutex<MonitorHistory>
    let readiness = Mutex(Readiness())
    private let stopRequests = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))

    /// One partials partition's stage 2: the processor and how far it has read.
    struct Stage2Partition: Sendable {
        var processor: Stage2Processor
        var nextOffset: Int64?
    }

    /// What ``isReady`` is made of.
    struct Readiness {
        var clientsStarted = false
        var stage1Joined = false
        var stopping = false
    }

    /// Asks ``run()`` to stop: with checkpointing, both stages checkpoint and hand their partitions over;
    /// without, stage 1 closes its windows and stage 2 evaluates what it has. Outputs are flushed.
    public func stop() {
        stopRequests.continuation.yield()
    }

    public init(
        settings: MonitorSettings, profiles: [ReferenceProfile], logger: Logger = Logger(label: "driftwatch.monitor"),
        metrics: MonitorMetrics? = nil, historyCapacity: Int = MonitorHistory.defaultCapacity
    ) {
        self.settings = settings
        let processor = Stage1Processor(configuration: settings.stage1, profiles: profiles)
        let (loaded, refusals) = (processor.profiles, processor.initialRefusals)
        stage1 = Mutex(processor)
        self.profiles = Mutex(loaded)
        (driftEvents, published) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(Self.driftEventBuffer))
        self.logger = logger
        self.metrics = metrics
        history = Mutex(MonitorHistory(capacity: historyCapacity))
        state.withLock { $0.worker = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)" }
        for refusal in refusals { limitReached(refusal) }
    }

    /// Records a profile refused by a limit: logged as an error, counted in the status and the metrics.
    private func limitReached(_ refusal: MonitorLimits.Refusal) {
        log("profile refused: a limit is reached", .error, ["limit": .string(refusal.limit.rawValue), "reason": .string(refusal.description)])
        state.withLock { $0.limitsReached[refusal.limit.rawValue, default: 0] += 1 }
        metrics?.limitReached(refusal.limit)
    }

    /// The model versions whose profiles are loaded (`model@version`), from files and model-version events.
    public var profileKeys: [String] { profiles.withLock { $0.keys.map { "\($0.model)@\($0.version)" }.sorted() } }

    /// Loads (or replaces) a model version's profile in both stages: windows opened from now on use it. A
    /// profile that breaks a limit (``MonitorLimits``) is refused and the refusal returned.
    @discardableResult
    public func load(_ profile: ReferenceProfile) -> MonitorLimits.Refusal? {
        if let refusal = stage1.withLock({ $0.add(profile) }) {
            limitReached(refusal)
            return refusal
        }
        profiles.withLock { $0[ProfileKey(model: profile.modelID, version: profile.modelVersion)] = profile }
        stage2.withLock { partitions in
            for key in partitions.keys { partitions[key]?.processor.add(profile) }
        }
        return nil
    }

    /// A stage 2 processor with every profile loaded so far.
    func makeStage2Processor() -> Stage2Processor {
        var processor = Stage2Processor(policy: settings.policy, completionTimeout: settings.completionTimeout, profiles: profiles.withLock { Array($0.values) })
        processor.evaluator.domainClassifier = settings.domainClassifier
        return processor
    }

    /// Ready to serve: clients created, topics checked, stage 1's group joined, not shutting down.
    public var isReady: Bool {
        readiness.withLock { $0.clientsStarted && $0.stage1Joined && !$0.stopping }
    }

    /// The recent drift events per model.
    public var recentWindows: MonitorHistory { history.withLock { $0 } }

    func log(_ message: String, _ level: Logger.Level = .info, _ metadata: Logger.Metadata = [:]) {
        logger.log(level: level, "\(message)", metadata: metadata)
    }

    /// The counters so far, and the partitions owned with their checkpoints.
    public var status: MonitorStatus {
        var status = state.withLock { $0 }
        status.stage1 = stage1.withLock { $0.counters }
        stage2.withLock { partitions in
            for entry in partitions.values {
                let processor = entry.processor
                status.duplicatePartials += processor.merger.duplicatePartials
                status.latePartials += processor.merger.latePartials
                status.timedOutWindows += processor.merger.timedOutWindows
                status.corruptPartials += processor.corruptRecords
                status.suppressedDriftEvents += processor.suppressedDuplicates
            }
        }
        let waiting = stage2.withLock { partitions in
            partitions.mapValues { $0.processor.merger.waitingFor.map { "\($0.source)@\($0.closedThrough)" } }
        }
        status.partitions = ledger.withLock { $0.values.sorted { ($0.stage.rawValue, $0.topic, $0.partition) < ($1.stage.rawValue, $1.topic, $1.partition) } }
        for index in status.partitions.indices where status.partitions[index].stage == .stage2 {
            status.partitions[index].waitingFor = waiting[status.partitions[index].partition] ?? []
        }
        return status
    }

    /// Runs until ``stop()``, then checkpoints and hands over (or flushes), publishes what remains and closes.
    public func run() async throws {
        var producerConfiguration = settings.kafka
        producerConfiguration.clientID = "driftwatch-monitor"
        producerConfiguration.lingerMilliseconds = producerConfiguration.lingerMilliseconds ?? 5
        // Partials and checkpoints are sketches, counts and samples: lz4 roughly halves them on the wire and in
        // the broker's log for little CPU (unless a codec is configured).
        if producerConfiguration.compression == nil, producerConfiguration.properties["compression.type"] == nil,
           producerConfiguration.properties["compression.codec"] == nil {
            producerConfiguration.compression = .lz4
        }
        // A stage 2 checkpoint holds every window still waiting for partitions (tens of KiB each): allow
        // records well beyond librdkafka's 1 MB default (the changelog topics are created to accept them).
        producerConfiguration.properties["message.max.bytes"] = producerConfiguration.properties["message.max.bytes"] ?? "\(Self.maximumRecordBytes)"
        let producer = try KafkaProducer(configuration: producerConfiguration)
        let topics = try await ensureTopics()
        var stage1Configuration = settings.kafka
        // A new group starts at the oldest retained event; the internal topics likewise.
        stage1Configuration.autoOffsetReset = stage1Configuration.autoOffsetReset ?? .earliest
        stage1Configuration.groupID = settings.groupID
        stage1Configuration.clientID = "driftwatch-monitor-stage1"
        var stage2Configuration = settings.kafka
        stage2Configuration.autoOffsetReset = stage2Configuration.autoOffsetReset ?? .earliest
        stage2Configuration.groupID = settings.groupID + ".stage2"
        stage2Configuration.clientID = "driftwatch-monitor-stage2"
        // Eager (range) assignment unless configured otherwise: with librdkafka 2.0.2's cooperative protocol a
        // partition that stays through a rebalance can resume from a stale fetch position (librdkafka #4637,
        // fixed in 2.4.0), skipping or repeating a few records (seen as 3–18 offsets skipped while another
        // partition was assigned). Eager rebalances revoke every partition and each resumes from its
        // checkpoint, at an explicit offset.
        stage1Configuration.properties["partition.assignment.strategy"] = stage1Configuration.properties["partition.assignment.strategy"] ?? "range"
        stage2Configuration.properties["partition.assignment.strategy"] = stage2Configuration.properties["partition.assignment.strategy"] ?? "range"
        let inputs = [settings.inferenceTopic] + (settings.feedbackTopic.map { [$0] } ?? [])
        let stage1Consumer = try KafkaConsumer(configuration: stage1Configuration, topics: inputs)
        let stage2Consumer = try KafkaConsumer(configuration: stage2Configuration, topics: [settings.partialsTopic])
        let versionsConsumer = try modelVersionsConsumer(partitions: topics.modelVersions)
        let stores = settings.checkpointing ? Stores(
            stage1: ChangelogStore(topic: settings.stage1ChangelogTopic, partitions: topics.stage1Changelog, group: settings.groupID, configuration: settings.kafka, producer: producer),
            stage2: ChangelogStore(topic: settings.stage2ChangelogTopic, partitions: topics.stage2Changelog, group: settings.groupID + ".stage2", configuration: settings.kafka, producer: producer))
            : nil
        let io = StageIO(producer: producer, partialPartitions: topics.partials, driftPartitions: topics.drift, stores: stores)
        log("consuming", .info, [
            "inputs": .string(inputs.joined(separator: ",")), "partials": .string(settings.partialsTopic),
            "partial_partitions": .stringConvertible(topics.partials), "drift_topic": .string(settings.driftTopic),
            "group": .string(settings.groupID), "checkpointing": .stringConvertible(settings.checkpointing)])
        readiness.withLock { $0.clientsStarted = true }

        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.runStage1(stage1Consumer, io) }
            group.addTask { await self.runStage2(stage2Consumer, io) }
            group.addTask { await self.runTicks(io) }
            if stores != nil { group.addTask { await self.runCheckpoints(stage1Consumer, stage2Consumer, io) } }
            group.addTask { await self.runLag(stage1Consumer) }
            group.addTask { await self.watchGaps(stage1Consumer, stage: "stage 1") }
            group.addTask { await self.watchGaps(stage2Consumer, stage: "stage 2") }
            if let versionsConsumer { group.addTask { await self.runModelVersions(versionsConsumer) } }
            for await _ in stopRequests.stream { break }
            readiness.withLock { $0.stopping = true }
            if stores != nil {
                await handOverOnStop(stage1Consumer, stage2Consumer, versionsConsumer, io)
            } else {
                await flushOnStop(stage1Consumer, stage2Consumer, versionsConsumer, io)
            }
            group.cancelAll()
        }
        await producer.close()
        published.finish()
        let final = status
        log("stopped", .info, [
            "drift_events": .stringConvertible(final.driftEventsProduced), "dead_letters": .stringConvertible(final.deadLettersProduced),
            "events": .stringConvertible(final.stage1.inferenceAccepted)])
    }

    /// With checkpointing: both stages checkpoint and leave their groups; their windows travel to the next
    /// owner (or to this worker's next start) instead of being closed early.
    private func handOverOnStop(_ stage1Consumer: KafkaConsumer, _ stage2Consumer: KafkaConsumer, _ versions: KafkaConsumer?, _ io: StageIO) async {
        log("stopping: checkpointing and handing partitions over")
        await stopStep("stage 1 checkpointed") { await self.stage1Gate.run { _ = await self.checkpointStage1(stage1Consumer, io, sources: nil, force: true) } }
        await stopStep("stage 1 left its group") { await stage1Consumer.close() }
        await versions?.close()
        await stopStep("stage 2 checkpointed") { await self.stage2Gate.run { _ = await self.checkpointStage2(stage2Consumer, io, partitions: nil, force: true) } }
        await stopStep("stage 2 left its group") { await stage2Consumer.close() }
        await stopStep("outputs flushed") { try? await io.producer.flush(timeout: .seconds(10)) }
    }

    /// One step of an orderly stop, logged with its duration (a step that takes long says which one).
    private func stopStep(_ name: String, _ body: () async -> Void) async {
        let began = ContinuousClock.now
        await body()
        log("stopping: \(name)", .info, ["took": .string("\(ContinuousClock.now - began)")])
    }

    /// Without checkpointing: stage 1 closes its windows and stage 2 evaluates what it has.
    private func flushOnStop(_ stage1Consumer: KafkaConsumer, _ stage2Consumer: KafkaConsumer, _ versions: KafkaConsumer?, _ io: StageIO) async {
        log("stopping: closing windows")
        await stage1Consumer.close()
        await versions?.close()
        let remaining = stage1.withLock { processor -> [Stage1Output] in
            processor.flush()
            return processor.drain()
        }
        await publish(remaining, io)
        try? await io.producer.flush(timeout: .seconds(10))
        // Let stage 2 read them: wait until it has consumed nothing new for a second (at most ten).
        var seen = state.withLock { $0.partialRecordsConsumed }
        for _ in 0..<10 {
            try? await Task.sleep(for: .seconds(1))
            let now = state.withLock { $0.partialRecordsConsumed }
            if now == seen { break }
            seen = now
        }
        await stage2Consumer.close()
        let now = Self.now()
        let last = stage2.withLock { partitions in
            partitions.keys.sorted().flatMap { partitions[$0]?.processor.flush(now: now) ?? [] }
        }
        await publish(last, io)
        try? await io.producer.flush(timeout: .seconds(10))
    }

    /// Partition counts of the topics the monitor writes, from one metadata request.
    struct TopicLayout {
        var partials: Int32
        var drift: Int32
        var modelVersions: Int32
        var stage1Changelog: Int32
        var stage2Changelog: Int32
    }

    /// Creates the topics the monitor writes when missing (changelogs compacted); their partition counts.
    private func ensureTopics() async throws -> TopicLayout {
        let admin = try KafkaAdmin(configuration: settings.kafka)
        var owned = [settings.partialsTopic, settings.driftTopic, settings.deadLetterTopic].map {
            KafkaTopicSpecification(name: $0, partitions: settings.topicPartitions)
        }
        if settings.stage1.labelRequests != nil { owned.append(KafkaTopicSpecification(name: settings.labelRequestsTopic, partitions: settings.topicPartitions)) }
        if let versions = settings.modelVersionsTopic { owned.append(KafkaTopicSpecification(name: versions, partitions: settings.topicPartitions)) }
        if settings.checkpointing {
            for topic in [settings.stage1ChangelogTopic, settings.stage2ChangelogTopic] {
                owned.append(KafkaTopicSpecification(
                    name: topic, partitions: settings.topicPartitions,
                    configs: ["cleanup.policy": "compact", "max.message.bytes": "\(Self.maximumRecordBytes)"]))
            }
        }
        _ = try? await admin.ensureTopics(owned)
        let topics = try await admin.listTopics()
        func partitions(_ name: String?) -> Int32? { topics.first { $0.name == name }.map { Int32($0.partitions.count) } }
        return TopicLayout(
            partials: partitions(settings.partialsTopic) ?? settings.topicPartitions, drift: partitions(settings.driftTopic) ?? settings.topicPartitions,
            modelVersions: partitions(settings.modelVersionsTopic) ?? 0,
            stage1Changelog: max(1, partitions(settings.stage1ChangelogTopic) ?? settings.topicPartitions),
            stage2Changelog: max(1, partitions(settings.stage2ChangelogTopic) ?? settings.topicPartitions))
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
                    if load(profile) != nil {
                        metrics?.modelVersion("refused")
                        continue
                    }
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

    /// Every 5 s: the stage 1 consumer's lag per partition, into the metrics and the partition status.
    private func runLag(_ consumer: KafkaConsumer) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(5))
            guard !Task.isCancelled else { return }
            guard let lags = try? await consumer.lag(timeout: .seconds(2)) else { continue }
            for lag in lags {
                metrics?.lag(topic: lag.topicPartition.topic, partition: lag.topicPartition.partition, messages: lag.lag)
                let key = PartitionStatus(stage: .stage1, topic: lag.topicPartition.topic, partition: lag.topicPartition.partition).key
                ledger.withLock { $0[key]?.lag = lag.lag }
            }
        }
    }

    /// Records that vanished before they were read (retention, an offset reset) are lost input: logged at
    /// error level and counted, never silently skipped.
    private func watchGaps(_ consumer: KafkaConsumer, stage: String) async {
        for await notice in consumer.notices {
            guard case .offsetGap(let partition, let expected, let received) = notice else { continue }
            state.withLock { $0.recordsLost += UInt64(max(0, received - expected)) }
            log("records lost before they were read (retention or an offset reset)", .error, [
                "stage": .string(stage), "partition": .string("\(partition)"), "expected_offset": .stringConvertible(expected),
                "received_offset": .stringConvertible(received)])
        }
    }

    private func runTicks(_ io: StageIO) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.tickInterval)
            let now = Self.now()
            await stage1Gate.run {
                let outputs = self.stage1.withLock { processor -> [Stage1Output] in
                    processor.tick(now: now)
                    return processor.drain()
                }
                await self.publish(outputs, io)
            }
            await stage2Gate.run {
                let events = self.stage2.withLock { partitions in
                    partitions.keys.sorted().flatMap { partitions[$0]?.processor.ready(now: now) ?? [] }
                }
                await self.publish(events, io)
            }
        }
    }

    /// The largest record the monitor writes (a checkpoint with many waiting windows): 64 MiB.
    static let maximumRecordBytes = 64 << 20

    /// Wall-clock milliseconds since the epoch (processing time).
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000) }
}

/// The producer and topic layout both stages write with.
struct StageIO: Sendable {
    let producer: KafkaProducer
    let partialPartitions: Int32
    let driftPartitions: Int32
    let stores: Stores?
}

/// The two stages' changelogs.
struct Stores: Sendable {
    let stage1: ChangelogStore
    let stage2: ChangelogStore
}
