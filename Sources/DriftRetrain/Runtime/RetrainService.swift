public import DriftJSON
public import DriftKafka
import DriftLearn
import DriftRegistry
import Foundation
public import Logging
import Synchronization

/// The retraining worker: consumes inference and feedback events into each model's labelled data, and
/// drift events into trigger decisions and rollback watches; trains at most one challenger per model at a
/// time, off the consuming task; publishes every promotion, rejection and rollback on `model-versions`.
/// Offsets are committed after the rows they carry are on disk (at least once: a crash can append a
/// batch twice, which weighs those rows double in one training and is otherwise harmless).
public final class RetrainService: Sendable {
    public let settings: RetrainSettings
    let logger: Logger
    let registry: ModelRegistry
    let store: LabelledStore
    let collector = Mutex(LabelledEventCollector())
    let state = Mutex(State())
    let stopSignal: AsyncStream<Void>
    let stopContinuation: AsyncStream<Void>.Continuation
    let producer = Mutex<KafkaProducer?>(nil)
    let trainings = Mutex<[String: Task<Void, Never>]>([:])

    struct State {
        var status = RetrainStatus()
        var models: [String: RetrainTriggerPolicy.ModelState] = [:]
        var watches: [String: RollbackPolicy.Watch] = [:]
        var running = false
    }

    /// Decisions kept for `/api/retrain/status`.
    static let decisionsKept = 200

    public init(settings: RetrainSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        var registry = ModelRegistry(directory: settings.registry, mirror: settings.mlflowURI.map(MLflowMirror.init(trackingURI:)))
        registry.onMirrorFailure = { [logger] message in logger.warning("registry mirror failed", metadata: ["error": .string(message)]) }
        self.registry = registry
        var store = LabelledStore(directory: settings.registry)
        store.recentLimit = settings.recentRows
        self.store = store
        (stopSignal, stopContinuation) = AsyncStream<Void>.makeStream()
    }

    /// Asks ``run()`` to finish: stop consuming, let running trainings end, close the clients.
    public func stop() { stopContinuation.yield() }

    /// Whether the clients run.
    public var isReady: Bool { state.withLock { $0.running } }

    /// The counters, the models and the recent decisions.
    public var status: RetrainStatus {
        let (counters, models, watches) = state.withLock { ($0.status, $0.models, $0.watches) }
        var result = counters
        let known = Set(registry.models()).union(models.keys)
        result.pending = Approvals.pending(registry)
        result.models = known.sorted().map { model in
            let tracked = models[model] ?? RetrainTriggerPolicy.ModelState()
            return RetrainModelStatus(model: model, champion: (try? registry.champion(model)) ?? nil, training: tracked.training,
                                      lastTrainingStarted: tracked.lastTrainingStarted, newLabelled: tracked.newLabelled,
                                      watching: watches[model]?.version)
        }
        return result
    }

    public func run() async throws {
        var producerConfiguration = settings.kafka
        producerConfiguration.clientID = "driftwatch-retrain"
        let producer = try KafkaProducer(configuration: producerConfiguration)
        self.producer.withLock { $0 = producer }
        var consumerConfiguration = settings.kafka
        consumerConfiguration.groupID = settings.groupID
        consumerConfiguration.clientID = "driftwatch-retrain"
        consumerConfiguration.autoOffsetReset = consumerConfiguration.autoOffsetReset ?? .earliest
        let topics = [settings.inferenceTopic, settings.driftTopic] + (settings.feedbackTopic.map { [$0] } ?? [])
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, topics: topics)
        state.withLock { $0.running = true }
        log("consuming", .info, ["topics": .string(topics.joined(separator: ",")), "registry": .string(settings.registry),
                                 "models": .string(registry.models().joined(separator: ","))])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.consume(consumer) }
            group.addTask { await self.runSchedule() }
            group.addTask { await self.runApprovalExpiry() }
            for await _ in stopSignal { break }
            state.withLock { $0.running = false }
            log("stopping: waiting for running trainings")
            await consumer.close()
            group.cancelAll()
        }
        for task in trainings.withLock({ Array($0.values) }) { await task.value }
        try? await producer.flush(timeout: .seconds(10))
        await producer.close()
        log("stopped")
    }

    private func consume(_ consumer: KafkaConsumer) async {
        for await event in consumer.events {
            switch event {
            case .rebalance(let rebalance):
                rebalance.acknowledge()
            case .messages(let messages):
                process(messages)
                try? await consumer.commit(after: messages)
            }
        }
    }

    /// Sorts a batch: labelled rows to disk per model, drift events to the policies.
    func process(_ messages: [KafkaMessage]) {
        var rows: [String: [LabelledRow]] = [:]
        var signals: [DriftSignal] = []
        var rejected = 0
        var counts = (inference: 0, feedback: 0, drift: 0)
        collector.withLock { collector in
            for message in messages {
                let result: Result<LabelledEventCollector.Collected?, LabelledEventCollector.Rejected>
                switch message.topic {
                case settings.driftTopic:
                    counts.drift += 1
                    if let signal = DriftSignal(driftEvent: message.value) { signals.append(signal) } else { rejected += 1 }
                    continue
                case settings.inferenceTopic:
                    counts.inference += 1
                    result = collector.inference(message.value)
                default:
                    counts.feedback += 1
                    result = collector.feedback(message.value)
                }
                switch result {
                case .success(let collected?): rows[collected.model, default: []].append(collected.row)
                case .success(nil): break
                case .failure: rejected += 1
                }
            }
        }
        var stored: [String: Int] = [:]
        for (model, modelRows) in rows {
            do {
                try store.append(modelRows, model: model)
                stored[model] = modelRows.count
            } catch {
                log("labelled rows not stored", .error, ["model": .string(model), "error": .string("\(error)")])
            }
        }
        state.withLock { state in
            state.status.inferenceConsumed += UInt64(counts.inference)
            state.status.feedbackConsumed += UInt64(counts.feedback)
            state.status.driftEventsConsumed += UInt64(counts.drift)
            state.status.rejectedEvents += UInt64(rejected)
            for (model, count) in stored {
                state.models[model, default: RetrainTriggerPolicy.ModelState()].newLabelled += count
                state.status.labelledRows += UInt64(count)
            }
        }
        for signal in signals {
            watchForRollback(signal)
            consider(.drift(signal), model: signal.modelID)
        }
    }

    /// Asks for a training by hand (`POST /api/retrain/{model}`); the decision says whether it started.
    @discardableResult
    public func requestTraining(_ model: String, by requester: String) -> RetrainDecisionLog {
        consider(.manual(by: requester), model: model)
    }

    /// Judges a signal for a model and starts a training when the policy says so.
    @discardableResult
    func consider(_ signal: RetrainSignal, model: String) -> RetrainDecisionLog {
        let now = Self.now()
        guard (try? registry.champion(model)) != nil else {
            return record(RetrainDecisionLog(at: now, model: model, action: "skip", trigger: signal.name,
                                             reason: "\(model) has no champion in the registry (train one with driftwatch train)"))
        }
        let decision = state.withLock { state -> RetrainTriggerPolicy.Decision in
            let decision = settings.trigger.decide(signal, state: state.models[model] ?? .init(), now: now)
            if decision.train {
                state.models[model, default: .init()].training = true
                state.models[model, default: .init()].lastTrainingStarted = now
                state.models[model, default: .init()].newLabelled = 0
            }
            return decision
        }
        let entry = record(RetrainDecisionLog(at: now, model: model, action: decision.train ? "train" : "skip", trigger: decision.trigger,
                                              reason: decision.reason))
        if decision.train { startTraining(model, trigger: decision.trigger, reason: decision.reason) }
        return entry
    }

    private func startTraining(_ model: String, trigger: String, reason: String) {
        let task = Task.detached(priority: .utility) { [self] in
            let retrainer = settings.retrainer(registry: registry, store: store)
            state.withLock { $0.status.trainings += 1 }
            do {
                let outcome = try retrainer.retrain(model, trigger: trigger, detail: reason)
                await publish(outcome.event, model: model)
                let action = outcome.promoted ? "promoted" : (outcome.pending ? "pending" : "rejected")
                state.withLock { state in
                    if outcome.pending {
                        state.status.pendingApprovals += 1
                    } else if outcome.promoted {
                        state.status.promotions += 1
                        if let previous = outcome.record.parentVersion, let figure = outcome.championFigure(settings.rollback.metric) {
                            state.watches[model] = RollbackPolicy.Watch(version: outcome.record.version, previous: previous, previousFigure: figure)
                        }
                    } else {
                        state.status.rejections += 1
                    }
                }
                record(RetrainDecisionLog(at: Self.now(), model: model, action: action, trigger: trigger,
                                          reason: "version \(outcome.record.version): " + outcome.reasons.joined(separator: "; ")))
            } catch {
                state.withLock { $0.status.failures += 1 }
                record(RetrainDecisionLog(at: Self.now(), model: model, action: "failed", trigger: trigger, reason: "\(error)"))
            }
            state.withLock { $0.models[model, default: .init()].training = false }
            _ = trainings.withLock { $0.removeValue(forKey: model) }
        }
        trainings.withLock { $0[model] = task }
    }

    /// Approves a pending challenger (`driftwatch approve`, `POST /api/models/{model}/versions/{version}/approve`):
    /// it becomes the champion, its event is published, and it is watched for a rollback like any promotion.
    public func approve(_ model: String, version: String, by approver: String) async throws -> JSONValue {
        let previous = try registry.champion(model)
        let event = try Approvals.approve(registry, store, model: model, version: version, by: approver)
        await publish(event, model: model)
        state.withLock { state in
            state.status.approvals += 1
            state.status.promotions += 1
            let figure = event["metrics"]?["champion_holdout_\(settings.rollback.metric)"]?.doubleValue
            if let previous, let figure { state.watches[model] = RollbackPolicy.Watch(version: version, previous: previous, previousFigure: figure) }
        }
        record(RetrainDecisionLog(at: Self.now(), model: model, action: "approved", trigger: "approval", reason: "version \(version) approved by \(approver)"))
        return event
    }

    /// Turns a pending challenger down and publishes the rejection.
    public func reject(_ model: String, version: String, by approver: String, reason: String?) async throws -> JSONValue {
        let event = try Approvals.reject(registry, store, model: model, version: version, by: approver, reason: reason)
        await publish(event, model: model)
        state.withLock { $0.status.approvalRejections += 1 }
        record(RetrainDecisionLog(at: Self.now(), model: model, action: "rejected", trigger: "approval",
                                  reason: "version \(version) rejected by \(approver)" + (reason.map { ": \($0)" } ?? "")))
        return event
    }

    /// Promotes a registered version by hand (``ManualPromotion``) and publishes the event; the version replaced is
    /// not watched for a rollback (a person chose).
    public func promote(_ model: String, version: String, by requester: String, reason: String?) async throws -> JSONValue {
        let event = try ManualPromotion.run(registry, store, model: model, version: version, by: requester, reason: reason)
        await publish(event, model: model)
        state.withLock { state in
            state.status.promotions += 1
            state.watches[model] = nil
        }
        record(RetrainDecisionLog(at: Self.now(), model: model, action: "promoted", trigger: "manual",
                                  reason: "version \(version) promoted by \(requester)" + (reason.map { ": \($0)" } ?? "")))
        return event
    }

    /// Rolls a model back by hand (to its previous champion or `target`) and publishes both events.
    public func rollback(_ model: String, to target: String?, by requester: String, reason: String?) async throws -> [JSONValue] {
        let why = "rolled back by \(requester)" + (reason.map { ": \($0)" } ?? "")
        let events = try Rollback.run(registry, model: model, to: target, reason: why)
        for event in events { await publish(event, model: model) }
        state.withLock { state in
            state.status.rollbacks += 1
            state.watches[model] = nil
        }
        record(RetrainDecisionLog(at: Self.now(), model: model, action: "rolled_back", trigger: "manual", reason: why))
        return events
    }

    /// Expires pending challengers whose time ran out (checked as often as the schedule: each check reads every
    /// model's history).
    private func runApprovalExpiry() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(settings.scheduleCheckInterval))
            guard !Task.isCancelled else { return }
            for (model, event) in Approvals.expire(registry, store) {
                await publish(event, model: model)
                state.withLock { $0.status.approvalExpiries += 1 }
                record(RetrainDecisionLog(at: Self.now(), model: model, action: "expired", trigger: "approval",
                                          reason: (event["reasons"]?.arrayValue?.first?.stringValue) ?? "expired"))
            }
        }
    }

    /// Feeds a window of a watched version to the rollback policy; rolls back when it says so.
    private func watchForRollback(_ signal: DriftSignal) {
        let outcome = state.withLock { state -> RollbackPolicy.Outcome? in
            guard var watch = state.watches[signal.modelID] else { return nil }
            let outcome = settings.rollback.observe(&watch, version: signal.modelVersion, labelled: signal.labelled,
                                                    value: signal.performance[settings.rollback.metric])
            switch outcome {
            case .watching, .ignored: state.watches[signal.modelID] = watch
            case .confirmed, .rollBack: state.watches[signal.modelID] = nil
            }
            return outcome
        }
        guard case .rollBack(let reason)? = outcome else { return }
        do {
            let events = try Rollback.run(registry, model: signal.modelID, reason: reason)
            state.withLock { $0.status.rollbacks += 1 }
            record(RetrainDecisionLog(at: Self.now(), model: signal.modelID, action: "rolled_back", trigger: "performance", reason: reason))
            Task { for event in events { await self.publish(event, model: signal.modelID) } }
        } catch {
            record(RetrainDecisionLog(at: Self.now(), model: signal.modelID, action: "failed", trigger: "rollback", reason: "\(error)"))
        }
    }

    private func runSchedule() async {
        guard settings.trigger.scheduleInterval != nil else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(settings.scheduleCheckInterval))
            guard !Task.isCancelled else { return }
            for model in registry.models() { consider(.schedule, model: model) }
        }
    }

    /// Publishes a model-version event (key: the model id) and waits for the broker.
    func publish(_ event: JSONValue, model: String) async {
        guard let producer = producer.withLock({ $0 }) else { return }
        do {
            _ = try await producer.send(KafkaProducerMessage(topic: settings.modelVersionsTopic, key: Array(model.utf8),
                                                             value: Array(event.serialized().utf8)))
        } catch {
            log("model-version event not published", .error, ["model": .string(model), "error": .string("\(error)")])
        }
    }

    @discardableResult
    private func record(_ entry: RetrainDecisionLog) -> RetrainDecisionLog {
        state.withLock { state in
            state.status.decisions.append(entry)
            if state.status.decisions.count > Self.decisionsKept { state.status.decisions.removeFirst() }
        }
        let level: Logger.Level = entry.action == "failed" ? .error : (entry.action == "skip" ? .debug : .info)
        log("retraining decision", level, ["model": .string(entry.model), "action": .string(entry.action), "trigger": .string(entry.trigger),
                                           "reason": .string(entry.reason)])
        return entry
    }

    func log(_ message: String, _ level: Logger.Level = .info, _ metadata: Logger.Metadata = [:]) {
        logger.log(level: level, "\(message)", metadata: metadata)
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000) }
}
