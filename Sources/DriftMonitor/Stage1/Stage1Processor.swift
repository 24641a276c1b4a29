public import DriftContracts
import DriftJSON
import DriftStats

/// Stage 1 of the monitor (pure: bytes and clock readings in, ``Stage1Output``s out): decodes and validates
/// inference and feedback events, refuses bad ones with a dead-letter record, routes good ones by model
/// version into event-time windows per source partition, joins feedback labels with their predictions, and
/// summarises each window into a ``WindowPartial`` when it closes.
///
/// Outputs accumulate in ``outputs``; the caller drains them (``drain()``) after each batch.
public struct Stage1Processor {
    public let configuration: Stage1Configuration
    public internal(set) var counters = Stage1Counters()
    public internal(set) var outputs: [Stage1Output] = []

    var symbols = SymbolTable()
    private var inferenceDecoder: InferenceEventDecoder
    private var feedbackDecoder: FeedbackEventDecoder
    /// The profiles loaded (those a limit refused are not).
    private(set) var profiles: [ProfileKey: ReferenceProfile] = [:]
    private var bindings: [ModelKey: ModelBinding?] = [:]
    private var models: Set<Symbol> = []
    /// Model versions whose profiles a limit refused (at most ``refusedMemory``), for their events' dead letters.
    private var refused: [ProfileKey: MonitorLimits.Refusal] = [:]
    private static let refusedMemory = 1_024
    var partitions: [SourcePartition: PartitionWindows] = [:]
    private var join: LabelJoinBuffer<PendingPrediction, PendingLabel>
    private var event = InferenceEvent()
    /// The latest processing time seen (stamped on partials as the time their window closed).
    var clock: Int64 = .min
    private var resolved = ResolvedFeatures()

    /// A prediction waiting for its label.
    struct PendingPrediction: Sendable {
        var model: ModelKey
        var predicted: Symbol?
        var positiveProbability: Double?
        var score: Double?
    }

    /// A label that arrived before its prediction.
    struct PendingLabel: Sendable {
        var label: LabelValue
        var source: SourcePartition
        var timestamp: Int64
    }

    /// A processor with `configuration`, its decoder bounded by `configuration.limits.decoder`, and `profiles`
    /// loaded (those a limit refuses are in ``initialRefusals``).
    public init(configuration: Stage1Configuration, profiles: [ReferenceProfile]) {
        self.configuration = configuration
        inferenceDecoder = InferenceEventDecoder(symbols: SymbolTable(capacity: 1), limits: configuration.limits.decoder)
        feedbackDecoder = FeedbackEventDecoder(symbols: SymbolTable(capacity: 1), limits: configuration.limits.decoder)
        join = LabelJoinBuffer(capacity: configuration.joinCapacity, timeToLive: configuration.joinTimeToLive)
        for profile in profiles {
            if let refusal = add(profile) { initialRefusals.append(refusal) }
        }
    }

    /// The profiles given to ``init(configuration:profiles:)`` that a limit refused.
    public private(set) var initialRefusals: [MonitorLimits.Refusal] = []

    /// Loads (or replaces) a model version's profile, unless it breaks a limit (``MonitorLimits``): then it is
    /// refused, its events are dead-lettered `model_over_limit`, and the refusal is returned. Windows already
    /// open keep the binding they were opened with; new windows use the new profile.
    @discardableResult
    public mutating func add(_ profile: ReferenceProfile) -> MonitorLimits.Refusal? {
        let key = ProfileKey(model: profile.modelID, version: profile.modelVersion)
        let others = profiles.count - (profiles[key] == nil ? 0 : 1)
        if let refusal = configuration.limits.check(profile, loaded: others) {
            if refused.count < Self.refusedMemory || refused[key] != nil { refused[key] = refusal }
            return refusal
        }
        refused[key] = nil
        profiles[key] = profile
        models.insert(symbols.intern(profile.modelID))
        bindings.removeAll()  // rebuilt on demand: cheap, and versions refused before may be known now
        return nil
    }

    /// Removes and returns the outputs produced so far.
    public mutating func drain() -> [Stage1Output] {
        defer { outputs.removeAll(keepingCapacity: true) }
        return outputs
    }

    // MARK: Partitions

    /// Starts tracking `source` and announces it to stage 2.
    public mutating func assign(_ source: SourcePartition) {
        if partitions[source] == nil { partitions[source] = PartitionWindows(source: source, spec: configuration.window) }
        outputs.append(.progress(PartitionProgress(source: source, closedThrough: partitions[source]?.closedThrough ?? .min, released: false)))
    }

    /// Stops tracking `source`: its open windows are summarised as they are, and stage 2 is told.
    public mutating func release(_ source: SourcePartition) {
        guard var windows = partitions.removeValue(forKey: source) else { return }
        emitAll(&windows)
        outputs.append(.progress(PartitionProgress(source: source, closedThrough: windows.closedThrough, released: true)))
    }

    /// Summarises every open window of every partition (on shutdown).
    public mutating func flush() {
        for source in partitions.keys.sorted() { release(source) }
    }

    /// Moves idle partitions' watermarks with the clock and closes what that closes.
    public mutating func tick(now: Int64) {
        clock = max(clock, now)
        for source in partitions.keys.sorted() {
            guard var windows = partitions.removeValue(forKey: source) else { continue }
            windows.timeAssigner.tick(now: now)
            closeWindows(&windows, closed: windows.timeAssigner.closable())
            reportProgress(&windows)
            reportIdle(&windows)
            partitions[source] = windows
        }
    }

    // MARK: Events

    /// Processes one inference event read from `source` at `offset`.
    /// `key` is only read when the event is dead-lettered.
    public mutating func processInference(
        _ payload: UnsafeRawBufferPointer, key: @autoclosure () -> [UInt8]? = nil, source: SourcePartition, offset: Int64, now: Int64
    ) {
        clock = max(clock, now)
        // Swaps, not copies: the event's arrays and the symbol table stay uniquely referenced, so decoding
        // reuses their storage instead of copying it on write.
        swap(&symbols, &inferenceDecoder.symbols)
        var decoded = InferenceEvent()
        swap(&decoded, &event)
        let failure: ContractViolation?
        do throws(ContractViolation) {
            try inferenceDecoder.decode(payload, into: &decoded)
            failure = nil
        } catch {
            failure = error
        }
        swap(&symbols, &inferenceDecoder.symbols)
        swap(&decoded, &event)
        if let failure { return deadLetter(failure, "inference", payload, key, source, offset, now) }
        let model = ModelKey(model: event.modelID, version: event.modelVersion)
        guard let binding = binding(for: model) else {
            return deadLetter(unknownModel(model), "inference", payload, key, source, offset, now)
        }
        if event.timestamp > now + configuration.maximumFutureSkew {
            return deadLetter(futureTimestamp(event.timestamp, now: now), "inference", payload, key, source, offset, now)
        }
        var windows = partitions.removeValue(forKey: source) ?? PartitionWindows(source: source, spec: configuration.window)
        defer { partitions[source] = windows }
        let assignment: WindowAssigner.Assignment
        if case .count = configuration.window.kind {
            var assigner = windows.countAssigners[model] ?? WindowAssigner(spec: configuration.window)
            assignment = assigner.assign(timestamp: event.timestamp, now: now)
            closeWindows(&windows, closed: assigner.closable().map { ($0, model) })
            windows.countAssigners[model] = assigner
        } else {
            assignment = windows.timeAssigner.assign(timestamp: event.timestamp, now: now)
        }
        switch assignment {
        case .late:
            windows.late[model, default: 0] += 1
            return deadLetter(
                ContractViolation(.lateEvent, path: "timestamp", "the event's windows closed before it arrived (watermark \(EventTimestamp.format(windows.timeAssigner.watermark)))"),
                "inference", payload, key, source, offset, now)
        case .tooManyOpenWindows:
            return deadLetter(
                ContractViolation(.tooManyWindows, path: "timestamp",
                                  "the event would open a window beyond the \(configuration.window.maximumOpenWindows) in flight on its partition (limits.max_windows_in_flight)"),
                "inference", payload, key, source, offset, now)
        case .windows(let run):
            binding.resolve(event, into: &resolved)
            counters.unexpectedFeatures += UInt64(resolved.unexpected)
            counters.typeMismatches += UInt64(resolved.typeMismatches)
            var outcome: OutcomeRecord? = nil
            if let label = event.label {
                outcome = outcomeRecord(label: label, binding: binding)
            } else if configuration.joinFeedback {
                let pending = PendingPrediction(
                    model: model, predicted: event.predictedLabel, positiveProbability: positiveProbability(binding), score: event.score)
                if let early = join.addPrediction(id: event.eventID, time: event.timestamp, pending) {
                    outcome = classified(OutcomeRecord(
                        predicted: pending.predicted, positiveProbability: pending.positiveProbability, score: pending.score, label: early.label))
                }
            }
            for window in run {
                accumulate(in: &windows, PartitionWindows.Slot(model: model, window: window), binding) { accumulator in
                    accumulator.add(resolved, event)
                    if let outcome { accumulator.add(outcome) }
                }
            }
            if outcome != nil { counters.labelsJoined += 1 }
            counters.inferenceAccepted += 1
            if case .time = configuration.window.kind { closeWindows(&windows, closed: windows.timeAssigner.closable()) }
        }
    }

    /// Processes one feedback event: joins it with its prediction, or holds it until the prediction comes.
    public mutating func processFeedback(
        _ payload: UnsafeRawBufferPointer, key: @autoclosure () -> [UInt8]? = nil, source: SourcePartition, offset: Int64, now: Int64
    ) {
        clock = max(clock, now)
        swap(&symbols, &feedbackDecoder.symbols)
        let result: Result<FeedbackEvent, ContractViolation>
        do throws(ContractViolation) {
            result = .success(try feedbackDecoder.decode(payload))
        } catch {
            result = .failure(error)
        }
        swap(&symbols, &feedbackDecoder.symbols)
        let feedback: FeedbackEvent
        switch result {
        case .failure(let failure): return deadLetter(failure, "feedback", payload, key, source, offset, now)
        case .success(let value): feedback = value
        }
        guard models.contains(feedback.modelID) else {
            return deadLetter(
                ContractViolation(.unknownModel, path: "model_id", "no reference profile is loaded for model \(symbols.string(feedback.modelID))"),
                "feedback", payload, key, source, offset, now)
        }
        if feedback.timestamp > now + configuration.maximumFutureSkew {
            return deadLetter(futureTimestamp(feedback.timestamp, now: now), "feedback", payload, key, source, offset, now)
        }
        counters.feedbackAccepted += 1
        let pending = PendingLabel(label: feedback.label, source: source, timestamp: feedback.timestamp)
        guard let prediction = join.addLabel(id: feedback.eventID, time: feedback.timestamp, pending),
              let binding = binding(for: prediction.model) else { return }
        let outcome = classified(OutcomeRecord(
            predicted: prediction.predicted, positiveProbability: prediction.positiveProbability, score: prediction.score, label: feedback.label))
        var windows = partitions.removeValue(forKey: source) ?? PartitionWindows(source: source, spec: configuration.window)
        defer { partitions[source] = windows }
        guard case .windows(let run) = windows.timeAssigner.assign(timestamp: feedback.timestamp, now: now) else {
            windows.late[prediction.model, default: 0] += 1
            return deadLetter(
                ContractViolation(.lateEvent, path: "timestamp", "the label's window closed before it arrived"), "feedback", payload, key, source, offset, now)
        }
        for window in run {
            accumulate(in: &windows, PartitionWindows.Slot(model: prediction.model, window: window), binding) { $0.add(outcome) }
        }
        counters.labelsJoined += 1
        closeWindows(&windows, closed: windows.timeAssigner.closable())
    }

    // MARK: Helpers

    /// Applies `update` to the slot's accumulator in place, opening it first if needed: one hash look-up
    /// when the window is open. A window whose state cannot be created (profile edges a sketch refuses) is
    /// skipped.
    private func accumulate(
        in windows: inout PartitionWindows, _ slot: PartitionWindows.Slot, _ binding: ModelBinding, _ update: (inout WindowAccumulator) -> Void
    ) {
        if let index = windows.open.index(forKey: slot) {
            update(&windows.open.values[index])
            return
        }
        guard var accumulator = try? WindowAccumulator(
            binding: binding, sketchK: configuration.sketchK, sampleCapacity: configuration.sampleCapacity,
            seed: configuration.seed ^ UInt64(bitPattern: slot.window.start), labelRequests: configuration.labelRequests) else { return }
        update(&accumulator)
        windows.open[slot] = accumulator
    }

    mutating func binding(for model: ModelKey) -> ModelBinding? {
        if let cached = bindings[model] { return cached }
        let key = ProfileKey(model: symbols.string(model.model), version: symbols.string(model.version))
        let binding = profiles[key].map { ModelBinding(profile: $0, symbols: &symbols) }
        bindings[model] = .some(binding)
        return binding
    }

    private func unknownModel(_ model: ModelKey) -> ContractViolation {
        let id = symbols.string(model.model)
        let version = symbols.string(model.version)
        if let refusal = refused[ProfileKey(model: id, version: version)] {
            return ContractViolation(.modelOverLimit, path: "model_version", refusal.description)
        }
        if models.contains(model.model) {
            return ContractViolation(.unknownModel, path: "model_version", "no reference profile is loaded for model \(id) version \(version)")
        }
        return ContractViolation(.unknownModel, path: "model_id", "no reference profile is loaded for model \(id)")
    }

    private func futureTimestamp(_ timestamp: Int64, now: Int64) -> ContractViolation {
        ContractViolation(
            .invalidTimestamp, path: "timestamp",
            "\(EventTimestamp.format(timestamp)) is more than \(configuration.maximumFutureSkew / 1000) s ahead of the clock (\(EventTimestamp.format(now)))")
    }

    private func positiveProbability(_ binding: ModelBinding) -> Double? {
        guard let positive = binding.positiveClass, let index = event.probabilityClasses.firstIndex(of: positive) else { return nil }
        return event.probabilities[index]
    }

    private mutating func outcomeRecord(label: LabelValue, binding: ModelBinding) -> OutcomeRecord {
        classified(OutcomeRecord(predicted: event.predictedLabel, positiveProbability: positiveProbability(binding), score: event.score, label: label))
    }

    /// A numeric label of a classification (a predicted class and no score: classes 0 and 1 sent as numbers) is
    /// the class spelled as JSON spells the number; only a scored prediction takes a numeric label as a regression target.
    private mutating func classified(_ record: OutcomeRecord) -> OutcomeRecord {
        guard case .number(let value) = record.label, record.score == nil, record.predicted != nil else { return record }
        var converted = record
        converted.label = .category(symbols.intern(value.canonicalText))
        return converted
    }

    private mutating func deadLetter(
        _ violation: ContractViolation, _ type: String, _ payload: UnsafeRawBufferPointer, _ key: () -> [UInt8]?, _ source: SourcePartition,
        _ offset: Int64, _ now: Int64
    ) {
        counters.deadLettered[violation.reason, default: 0] += 1
        outputs.append(.deadLetter(DeadLetterRecord(
            eventType: type, violation: violation, sourceTopic: source.topic, sourcePartition: source.partition, sourceOffset: offset,
            key: key(), payload: payload, detectedAt: now)))
    }

    /// Time windows closed on a partition: one partial per model version that had events in it.
    private mutating func closeWindows(_ windows: inout PartitionWindows, closed: [WindowKey]) {
        guard !closed.isEmpty else { return }
        emit(&windows, slots: windows.slots.filter { closed.contains($0.window) }.sorted())
        reportProgress(&windows)
    }

    /// Count windows closed for one model.
    private mutating func closeWindows(_ windows: inout PartitionWindows, closed: [(WindowKey, ModelKey)]) {
        guard !closed.isEmpty else { return }
        emit(&windows, slots: closed.map { PartitionWindows.Slot(model: $0.1, window: $0.0) })
    }

    private mutating func emit(_ windows: inout PartitionWindows, slots: [PartitionWindows.Slot]) {
        for slot in slots {
            guard var partial = windows.summary(of: slot, symbols: symbols, kind: configuration.windowKind, counters: &counters) else { continue }
            if let candidates = windows.open[slot]?.candidates { requestLabels(candidates, partial, source: windows.source) }
            windows.open.removeValue(forKey: slot)
            windows.restored.removeValue(forKey: slot)
            partial.late += windows.late.removeValue(forKey: slot.model) ?? 0
            partial.closedAt = clock
            outputs.append(.partial(partial))
            counters.partialsEmitted += 1
        }
    }

    /// Publishes the window's label requests when too few of its events got labels: its least certain
    /// predictions that are still waiting for one.
    private mutating func requestLabels(_ candidates: LabelRequestCandidates, _ partial: WindowPartial, source: SourcePartition) {
        let policy = candidates.policy
        guard partial.count > 0,
              Double(partial.outcomes.labelled) < policy.minimumLabelledShare * Double(partial.count) else { return }
        var unlabelled: [LabelRequestCandidates.Candidate] = []
        for candidate in candidates.ranked where unlabelled.count < policy.perWindow {
            if !configuration.joinFeedback || join.isWaiting(prediction: candidate.eventID) { unlabelled.append(candidate) }
        }
        guard !unlabelled.isEmpty else { return }
        let requests = unlabelled.enumerated().map { rank, candidate in
            LabelRequest(
                eventID: candidate.eventID, modelID: partial.modelID, modelVersion: partial.modelVersion, timestamp: candidate.timestamp,
                windowStart: partial.window.start, windowEnd: partial.window.end, predicted: candidate.predicted.map { symbols.string($0) },
                confidence: candidate.confidence, uncertaintyMeasure: policy.uncertainty.rawValue, uncertainty: candidate.uncertainty,
                rank: rank + 1, windowEvents: partial.count, windowLabelled: partial.outcomes.labelled,
                features: zip(candidate.featureNames, candidate.featureValues).map { name, value in
                    let sent: InferenceRecord.Value = switch value {
                    case .number(let number): .number(number)
                    case .category(let symbol): .string(symbols.string(symbol))
                    case .missing: .null
                    }
                    return (symbols.string(name), sent)
                },
                source: source, requestedAt: clock)
        }
        counters.labelRequests += UInt64(requests.count)
        outputs.append(.labelRequests(requests))
    }

    private mutating func emitAll(_ windows: inout PartitionWindows) {
        emit(&windows, slots: windows.slots.sorted())
    }

    /// A partition that has had no event for the idle timeout since it was assigned stops holding stage 2's
    /// windows back (as Flink's idle sources): it is reported released. Its first window to close reports
    /// progress again, so from then on stage 2 waits for it.
    private mutating func reportIdle(_ windows: inout PartitionWindows) {
        guard windows.timeAssigner.idleWithoutEvents, !windows.reportedIdle else { return }
        windows.reportedIdle = true
        outputs.append(.progress(PartitionProgress(source: windows.source, closedThrough: .min, released: true)))
    }

    private mutating func reportProgress(_ windows: inout PartitionWindows) {
        let closedThrough = windows.closedThrough
        guard closedThrough > windows.reportedClosedThrough else { return }
        windows.reportedClosedThrough = closedThrough
        outputs.append(.progress(PartitionProgress(source: windows.source, closedThrough: closedThrough, released: false)))
    }
}
