import DriftContracts
public import DriftJSON
public import DriftKafka
import DriftLearn
public import DriftRegistry
import DriftStats
import Foundation
public import Logging
import Synchronization

/// The reference model server's engine (`driftwatch serve`): serves a model's champion from the registry,
/// scores a challenger in shadow when asked, publishes every prediction as an inference event, and swaps
/// versions without a restart when a model-version event (or the registry's `champion.json`) says the champion
/// changed. The HTTP layer is ``ModelServerHTTPAPI``.
public final class ModelServer: Sendable {
    /// Which version, if any, is scored in shadow beside the champion.
    public enum Shadow: Sendable, Equatable {
        case none
        /// A fixed version.
        case version(String)
        /// The newest registered version when it is newer than the champion (a challenger not yet promoted).
        case latest
    }

    /// Everything the server runs with.
    public struct Settings: Sendable {
        public var modelID: String
        public var registry: String
        /// The Kafka connection; `nil`: predictions are served but not published.
        public var kafka: KafkaConfiguration?
        public var inferenceTopic = "inference-events"
        public var modelVersionsTopic = "model-versions"
        public var shadow = Shadow.none
        /// How often the registry's champion is re-read when the server does not follow model-version events
        /// (no Kafka connection, or no model-versions topic).
        public var pollInterval: Duration = .seconds(5)
        /// How long after a model-version event the swap happens: monitors read the same event to load the new
        /// version's reference profile, and events of a version they have no profile for are dead-lettered.
        public var swapDelay: Duration = .seconds(2)
        /// When set, every request but the probes needs `Authorization: Bearer <token>` (`DRIFTWATCH_API_READ_TOKEN`).
        public var readToken: String?

        public init(modelID: String, registry: String, kafka: KafkaConfiguration?) {
            self.modelID = modelID
            self.registry = registry
            self.kafka = kafka
        }
    }

    /// One scored instance.
    public struct Scored: Sendable {
        public var eventID: String
        public var prediction: ServedModel.Prediction
        public var shadow: ServedModel.Prediction?
    }

    /// What a request was answered with.
    public struct Answer: Sendable {
        public var modelVersion: String
        public var shadowVersion: String?
        public var results: [Scored]
        public var latencyMilliseconds: Double
    }

    struct Models: Sendable {
        var champion: ServedModel
        var shadow: ServedModel?
    }

    struct Counters: Sendable {
        var predictions: [String: UInt64] = [:]
        var shadowPredictions: [String: UInt64] = [:]
        var requests: [String: UInt64] = [:]
        var published: UInt64 = 0
        var publishFailures: UInt64 = 0
        var swaps: UInt64 = 0
        var reloadFailures: UInt64 = 0
        var latency = LatencyHistogram()
    }

    public let settings: Settings
    let registry: ModelRegistry
    let models: Mutex<Models>
    let counters = Mutex(Counters())
    let producer: KafkaProducer?
    let logger: Logger
    let stopping = Atomic<Bool>(false)

    /// Loads the champion (and the shadow) and connects the producer; throws when the model has no champion.
    public init(settings: Settings, logger: Logger = Logger(label: "driftwatch.serve")) throws {
        self.settings = settings
        self.logger = logger
        registry = ModelRegistry(directory: settings.registry)
        models = Mutex(try Self.resolve(registry, settings))
        if var configuration = settings.kafka {
            configuration.clientID = "driftwatch-serve"
            configuration.properties["linger.ms"] = configuration.properties["linger.ms"] ?? "5"
            producer = try KafkaProducer(configuration: configuration)
        } else {
            producer = nil
        }
    }

    /// The champion and the shadow as the registry has them now.
    static func resolve(_ registry: ModelRegistry, _ settings: Settings, current: Models? = nil) throws -> Models {
        let model = settings.modelID
        guard let championVersion = try registry.champion(model) else {
            throw RegistryError.io(path: settings.registry, reason: "\(model) has no champion (train one with driftwatch train)")
        }
        let champion: ServedModel
        if let loaded = current?.champion, loaded.version == championVersion { champion = loaded } else {
            champion = try ServedModel.load(registry, model, championVersion)
        }
        var shadowVersion: String?
        switch settings.shadow {
        case .none: shadowVersion = nil
        case .version(let version): shadowVersion = version == championVersion ? nil : version
        case .latest:
            let newest = try registry.versions(model).compactMap(Int.init).max()
            if let newest, let serving = Int(championVersion), newest > serving { shadowVersion = String(newest) }
        }
        let shadow = try shadowVersion.map { version -> ServedModel in
            if let loaded = current?.shadow, loaded.version == version { return loaded }
            return try ServedModel.load(registry, model, version)
        }
        return Models(champion: champion, shadow: shadow)
    }

    /// The versions served now: the champion's and the shadow's.
    public var versions: (champion: String, shadow: String?) {
        models.withLock { ($0.champion.version, $0.shadow?.version) }
    }

    /// Re-reads the registry; returns whether the champion or the shadow changed.
    @discardableResult
    public func reload(reason: String) -> Bool {
        let current = models.withLock { $0 }
        do {
            let next = try Self.resolve(registry, settings, current: current)
            guard next.champion.version != current.champion.version || next.shadow?.version != current.shadow?.version else { return false }
            // `reload` is public and may run concurrently: only the first of two racing reloads swaps (and counts).
            let swapped = models.withLock { models -> Bool in
                guard models.champion.version == current.champion.version, models.shadow?.version == current.shadow?.version else { return false }
                models = next
                return true
            }
            guard swapped else { return false }
            counters.withLock { $0.swaps += 1 }
            logger.info("model swapped", metadata: [
                "model": .string(settings.modelID), "champion": .string(next.champion.version), "previous": .string(current.champion.version),
                "shadow": .string(next.shadow?.version ?? "none"), "reason": .string(reason)])
            return true
        } catch {
            counters.withLock { $0.reloadFailures += 1 }
            logger.warning("model reload failed; serving the loaded version", metadata: ["reason": .string("\(error)")])
            return false
        }
    }

    /// Scores `request` and publishes an inference event per instance (and per shadow score).
    public func predict(_ request: PredictionRequest, endpoint: String, now: Int64? = nil) async throws -> Answer {
        let served = models.withLock { $0 }
        let started = ContinuousClock.now
        let features = request.instances.map(\.features)
        let predictions = try served.champion.score(features)
        let shadows = try served.shadow?.score(features)
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.inSeconds * 1_000
        let time = now ?? Int64(Date().timeIntervalSince1970 * 1_000)
        var results: [Scored] = []
        results.reserveCapacity(predictions.count)
        for (index, instance) in request.instances.enumerated() {
            let id = instance.eventID ?? "\(settings.modelID)-\(UUID().uuidString.lowercased())"
            results.append(Scored(eventID: id, prediction: predictions[index], shadow: shadows?[index]))
        }
        let perInstance = milliseconds / Double(max(1, predictions.count))
        counters.withLock { counters in
            counters.predictions[served.champion.version, default: 0] += UInt64(predictions.count)
            if let shadow = served.shadow { counters.shadowPredictions[shadow.version, default: 0] += UInt64(predictions.count) }
            counters.requests[endpoint, default: 0] += 1
            counters.latency.record(milliseconds / 1_000)
        }
        if let producer {
            var messages: [KafkaProducerMessage] = []
            messages.reserveCapacity(results.count * (served.shadow == nil ? 1 : 2))
            for (instance, result) in zip(request.instances, results) {
                let values = LabelledRow.inferenceFeatures(instance.features)
                messages.append(message(result.eventID, served.champion, result.prediction, values, label: instance.label, time: time, latency: perInstance, shadow: false))
                if let shadow = served.shadow, let prediction = result.shadow {
                    messages.append(message(result.eventID + ":shadow", shadow, prediction, values, label: nil, time: time, latency: perInstance, shadow: true))
                }
            }
            do {
                try await Self.enqueue(producer, messages)
                counters.withLock { $0.published += UInt64(messages.count) }
            } catch {
                counters.withLock { $0.publishFailures += UInt64(messages.count) }
                logger.warning("inference events not published", metadata: ["count": .stringConvertible(messages.count), "reason": .string("\(error)")])
            }
        }
        return Answer(modelVersion: served.champion.version, shadowVersion: served.shadow?.version, results: results, latencyMilliseconds: milliseconds)
    }

    /// Enqueues `messages` (batch path: failures arrive as producer events). Non-inlined: typed-throwing async
    /// calls inlined into callers crashed Swift 6.3.1's release build.
    @inline(never)
    public static func enqueue(_ producer: KafkaProducer, _ messages: [KafkaProducerMessage]) async throws {
        try await producer.enqueue(contentsOf: messages)
    }

    private func message(_ id: String, _ model: ServedModel, _ prediction: ServedModel.Prediction, _ features: [(String, InferenceRecord.Value)],
                         label: String?, time: Int64, latency: Double, shadow: Bool) -> KafkaProducerMessage {
        let record = model.event(id, prediction, features: features, label: label, time: time, latency: latency, shadow: shadow)
        return KafkaProducerMessage(topic: settings.inferenceTopic, key: Array(id.utf8), value: record.json())
    }

    /// Counts a refused request.
    func refused(_ endpoint: String) {
        counters.withLock { $0.requests[endpoint + ":refused", default: 0] += 1 }
    }

    /// Watches for champion changes until ``stop()``: model-version events of this model, or, without them, the
    /// registry every ``Settings/pollInterval``. Never both: the registry names a new champion a moment before
    /// its event is published, and a swap seen there first would send the new version's events to monitors that
    /// load its profile from that event — they dead-letter them (about a second of traffic in the demo).
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            guard let consumer = await modelVersionsConsumer() else {
                group.addTask { await self.poll() }
                return
            }
            group.addTask {
                for await batch in consumer.batches {
                    if self.stopping.load(ordering: .relaxed) { break }
                    let ours = batch.contains { message in
                        (try? JSONValue.parse(message.value))?["model_id"]?.stringValue == self.settings.modelID
                    }
                    if ours {
                        try? await Task.sleep(for: self.settings.swapDelay)
                        self.reload(reason: "model-version event")
                    }
                }
                await consumer.close()
            }
            group.addTask {
                while !self.stopping.load(ordering: .relaxed) { try? await Task.sleep(for: .milliseconds(200)) }
                await consumer.close()
            }
        }
        if let producer {
            try? await Self.flush(producer)
            await producer.close()
        }
    }

    /// Waits (up to 10 s) until every enqueued message is delivered. Non-inlined, as ``enqueue(_:_:)``.
    @inline(never)
    public static func flush(_ producer: KafkaProducer) async throws { try await producer.flush(timeout: .seconds(10)) }

    /// Stops ``run()``.
    public func stop() { stopping.store(true, ordering: .relaxed) }

    private func poll() async {
        while !stopping.load(ordering: .relaxed) {
            let deadline = ContinuousClock.now + settings.pollInterval
            while !stopping.load(ordering: .relaxed), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(200)) }
            if !stopping.load(ordering: .relaxed) { reload(reason: "registry poll") }
        }
    }

    /// Every partition of the model-versions topic from its end (no group: each server follows all of them).
    private func modelVersionsConsumer() async -> KafkaConsumer? {
        guard var configuration = settings.kafka else { return nil }
        configuration.clientID = "driftwatch-serve-versions"
        configuration.groupID = nil
        do {
            let admin = try KafkaAdmin(configuration: configuration)
            let partitions = try await admin.listTopics().first { $0.name == settings.modelVersionsTopic }?.partitions.count ?? 0
            guard partitions > 0 else {
                logger.warning("model-versions topic missing: champion changes from the registry poll only", metadata: ["topic": .string(settings.modelVersionsTopic)])
                return nil
            }
            let assignment = (0..<Int32(partitions)).map {
                KafkaTopicPartitionOffset(KafkaTopicPartition(topic: settings.modelVersionsTopic, partition: $0), offset: KafkaOffset.end)
            }
            return try KafkaConsumer(configuration: configuration, assignment: assignment)
        } catch {
            logger.warning("model-versions consumer not started: champion changes from the registry poll only", metadata: ["reason": .string("\(error)")])
            return nil
        }
    }

    /// `GET /v1/model`.
    public var statusJSON: JSONValue {
        let served = models.withLock { $0 }
        let counted = counters.withLock { $0 }
        func describe(_ model: ServedModel) -> JSONValue {
            let record = try? registry.record(model.modelID, model.version)
            return .object([
                ("version", .string(model.version)), ("target", .string(model.classifier.target)),
                ("classes", .array(model.classifier.classes.map(JSONValue.string))),
                ("features", .array(model.features.map { .object([("name", .string($0.name)), ("type", .string($0.numeric ? "numeric" : "categorical"))]) })),
                ("run_id", record.map { .string($0.runID) } ?? .null),
                ("created_at", record.map { .string(EventTimestamp.format($0.createdAt)) } ?? .null),
                ("metrics", .object((record?.metrics ?? []).map { ($0.0, .number($0.1)) })),
            ])
        }
        return .object([
            ("model_id", .string(settings.modelID)),
            ("champion", describe(served.champion)),
            ("shadow", served.shadow.map(describe) ?? .null),
            ("publishing", .bool(producer != nil)),
            ("inference_topic", .string(settings.inferenceTopic)),
            ("predictions", .int(Int(counted.predictions.values.reduce(0, +)))),
            ("shadow_predictions", .int(Int(counted.shadowPredictions.values.reduce(0, +)))),
            ("events_published", .int(Int(counted.published))),
            ("publish_failures", .int(Int(counted.publishFailures))),
            ("swaps", .int(Int(counted.swaps))),
        ])
    }

    /// `GET /metrics`: Prometheus text exposition.
    public var metricsText: String {
        let counted = counters.withLock { $0 }
        let served = versions
        let model = settings.modelID
        var out = PrometheusText()
        out.family("driftwatch_serve_predictions_total", "counter", "Instances scored, by version and role.")
        for (role, counts) in [("champion", counted.predictions), ("shadow", counted.shadowPredictions)] {
            for (version, count) in counts.sorted(by: { $0.key < $1.key }) {
                out.sample("driftwatch_serve_predictions_total", count, labels: [("model", model), ("version", version), ("role", role)])
            }
        }
        out.family("driftwatch_serve_requests_total", "counter", "Prediction requests, by endpoint (refused ones with :refused).")
        for (endpoint, count) in counted.requests.sorted(by: { $0.key < $1.key }) {
            out.sample("driftwatch_serve_requests_total", count, labels: [("endpoint", endpoint)])
        }
        out.counter("driftwatch_serve_events_published_total", "Inference events handed to the producer.", counted.published)
        out.counter("driftwatch_serve_publish_failures_total", "Inference events the producer refused.", counted.publishFailures)
        out.counter("driftwatch_serve_model_swaps_total", "Champion or shadow changes without a restart.", counted.swaps)
        out.counter("driftwatch_serve_reload_failures_total", "Registry reads that failed (the loaded version kept serving).", counted.reloadFailures)
        out.family("driftwatch_serve_champion_version", "gauge", "The champion version served (numeric versions).")
        out.sample("driftwatch_serve_champion_version", Int(served.champion) ?? -1, labels: [("model", model)])
        out.family("driftwatch_serve_request_duration_seconds", "histogram", "Scoring time per request.")
        counted.latency.write("driftwatch_serve_request_duration_seconds", into: &out)
        return out.text
    }
}

/// A Prometheus histogram of durations (seconds) with fixed buckets.
struct LatencyHistogram: Sendable {
    static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
    var counts = [UInt64](repeating: 0, count: LatencyHistogram.bounds.count + 1)
    var sum = 0.0

    mutating func record(_ seconds: Double) {
        let index = Self.bounds.firstIndex { seconds <= $0 } ?? Self.bounds.count
        counts[index] += 1
        sum += seconds
    }

    /// The histogram's samples (cumulative buckets, sum, count) under `name`.
    func write(_ name: String, into out: inout PrometheusText) {
        var cumulative: UInt64 = 0
        for (index, bound) in Self.bounds.enumerated() {
            cumulative += counts[index]
            out.sample(name + "_bucket", cumulative, labels: [("le", "\(bound)")])
        }
        cumulative += counts[Self.bounds.count]
        out.sample(name + "_bucket", cumulative, labels: [("le", "+Inf")])
        out.sample(name + "_sum", sum)
        out.sample(name + "_count", cumulative)
    }
}
