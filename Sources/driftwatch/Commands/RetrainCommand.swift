import ArgumentParser
import DriftJSON
import DriftKafka
import DriftRegistry
import DriftRetrain
import DriftServer
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `driftwatch retrain`: the retraining worker (a service), or one retraining now (`--now`).
struct Retrain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the retraining worker: drift events in, validated model versions out, with rollback.",
        discussion: """
            The worker consumes inference and feedback events into each registered model's labelled data \
            (DIR/<model>/data), and drift events into trigger decisions: drift verdicts (CRITICAL by default), \
            a 10 % performance drop, a schedule, or a request (POST /api/retrain/{model}). A training \
            cross-validates on the new data and on old and new mixed, fits a challenger, compares it with the \
            champion on the newest held-out rows, registers it, and promotes or rejects it; every outcome is \
            published on model-versions. A promoted version whose windows then fall below the previous \
            champion by the rollback margin is rolled back. With --now it trains one model once and exits. \
            Settings: --config (RetrainConfig's keys, docs/retrain.md), then flags.
            """
    )

    @OptionGroup var kafka: KafkaOptions

    @Option(help: "The model registry directory (driftwatch train creates it).")
    var registry: String

    @Option(help: "A YAML configuration file (docs/retrain.md lists every key).")
    var config: String?

    @Option(help: "Mirror the registry to this MLflow tracking server (http://host:port).")
    var mlflowUri: String?

    @Flag(help: "Retrain --model-id once now and exit (publishes the outcome when --bootstrap-servers is given).")
    var now = false

    @Option(help: "The model to retrain with --now.")
    var modelId: String?

    @Option(help: "Listen for HTTP (/healthz, /readyz, /metrics, /api/retrain/...) on host:port, or off (default 127.0.0.1:9465).")
    var httpAddress: String?

    @Option(help: "No automatic training within this long after the last (default 30m).")
    var cooldown: String?

    @Option(help: "New labelled events needed since the last training (default 500).")
    var minNewLabelled: Int?

    @Option(help: "Retrain at least this often (1h, 1d; default off).")
    var schedule: String?

    @Option(help: "The metric that decides promotion: accuracy, f1 or roc_auc.")
    var primaryMetric: String?

    @Option(help: "The challenger must beat the champion by this on the held-out slice (default 0).")
    var margin: Double?

    @Option(help: "automatic (default) or manual: validated challengers wait as pending for driftwatch approve / reject.")
    var approval: String?

    @Option(help: "How long a pending challenger waits before it expires (default 24h).")
    var approvalTimeout: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func resolved() throws -> RetrainConfig {
        var config = RetrainConfig()
        do {
            if let path = self.config {
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("--config \(path): cannot read it") }
                try config.load(yaml: text, path: path)
            }
            let flags: [(String, String, String?)] = [
                ("trigger.cooldown", "--cooldown", cooldown), ("trigger.min_new_labelled", "--min-new-labelled", minNewLabelled.map(String.init)),
                ("trigger.schedule", "--schedule", schedule), ("promotion.primary_metric", "--primary-metric", primaryMetric),
                ("promotion.margin", "--margin", margin.map { "\($0)" }), ("http.address", "--http-address", httpAddress),
                ("promotion.approval", "--approval", approval), ("promotion.approval_timeout", "--approval-timeout", approvalTimeout),
            ]
            // The token comes from the environment (a flag would show it in the process list), over the file's.
            let environment = ProcessInfo.processInfo.environment
            if let token = environment["DRIFTWATCH_API_TOKEN"] { try config.set("api.token", token, origin: "DRIFTWATCH_API_TOKEN") }
            if let token = environment["DRIFTWATCH_API_READ_TOKEN"] { try config.set("api.read_token", token, origin: "DRIFTWATCH_API_READ_TOKEN") }
            for (key, flag, value) in flags { if let value { try config.set(key, value, origin: flag) } }
            var probe = RetrainSettings(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:9092"), registry: registry)
            try config.apply(to: &probe)
            _ = try config.httpAddress()
        } catch let error as ConfigError {
            throw ValidationError("\(error)")
        }
        return config
    }

    func validate() throws {
        _ = try resolved()
        guard FileManager.default.fileExists(atPath: registry) else { throw ValidationError("--registry \(registry): no such directory (create it with driftwatch train)") }
        if now, modelId == nil { throw ValidationError("--now needs --model-id") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level \(logLevel) is not a log level") }
    }

    func run() async throws {
        MallocTuning.applyForService()
        let config = try resolved()
        ProcessLogging.bootstrap(level: Logger.Level(rawValue: logLevel) ?? .info)
        let logger = Logger(label: "driftwatch.retrain")
        let connection: KafkaConfiguration
        do {
            connection = try kafka.settings().configuration(defaultBootstrapServers: "127.0.0.1:9092", environment: ProcessInfo.processInfo.environment)
        } catch {
            StandardError.emit("driftwatch retrain: \(error)\n")
            throw ExitCode(2)
        }
        var settings = RetrainSettings(kafka: connection, registry: registry)
        settings.mlflowURI = mlflowUri
        try config.apply(to: &settings)
        if now, let modelId { return try await retrainNow(modelId, settings: settings, publish: kafka.bootstrapServers != nil) }

        let service = RetrainService(settings: settings, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: StoppableService(service), successTerminationBehavior: .gracefullyShutdownGroup,
                  failureTerminationBehavior: .gracefullyShutdownGroup)
        ]
        if let (host, port) = try config.httpAddress() {
            services.append(.init(service: RetrainHTTPAPI.application(service: service, host: host, port: port, logger: logger) { port in
                logger.info("http listening", metadata: ["address": .string("\(host):\(port)")])
                StandardError.emit("driftwatch retrain: http on \(host):\(port)\n")
            }))
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            StandardError.emit("driftwatch retrain: \(error)\n")
            throw ExitCode(1)
        }
    }

    /// One retraining of `model` now, outside the policy's guards (a request by hand).
    func retrainNow(_ model: String, settings: RetrainSettings, publish: Bool) async throws {
        var models = ModelRegistry(directory: registry, mirror: settings.mlflowURI.map(MLflowMirror.init(trackingURI:)))
        models.onMirrorFailure = { StandardError.emit("warning: \($0)\n") }
        var store = LabelledStore(directory: registry)
        store.recentLimit = settings.recentRows
        let retrainer = settings.retrainer(registry: models, store: store)
        let outcome: Retrainer.Outcome
        do {
            outcome = try retrainer.retrain(model, trigger: "manual", detail: "requested by driftwatch retrain --now")
        } catch {
            StandardError.emit("driftwatch retrain: \(error)\n")
            throw ExitCode(1)
        }
        StandardError.emit("\(model) version \(outcome.record.version): \(outcome.promoted ? "promoted" : (outcome.pending ? "pending approval" : "rejected")) — \(outcome.reasons.joined(separator: "; "))\n")
        print(outcome.event.serialized())
        if publish { try await Self.publish([outcome.event], model: model, settings: settings) }
    }

    /// Publishes model-version events and waits for the broker.
    static func publish(_ events: [JSONValue], model: String, settings: RetrainSettings) async throws {
        var configuration = settings.kafka
        configuration.clientID = "driftwatch-retrain"
        do {
            let producer = try KafkaProducer(configuration: configuration)
            for event in events {
                _ = try await producer.send(KafkaProducerMessage(topic: settings.modelVersionsTopic, key: Array(model.utf8), value: Array(event.serialized().utf8)))
            }
            await producer.close()
        } catch {
            StandardError.emit("driftwatch retrain: the model-version event was not published: \(error)\n")
            throw ExitCode(1)
        }
    }
}

/// `driftwatch rollback`: puts a model's previous champion (or a named version) back.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Roll a model back to its previous champion (or --to VERSION), and publish the change on model-versions.")

    @OptionGroup var kafka: KafkaOptions

    @Option(help: "The model registry directory.")
    var registry: String

    @Option(help: "The model.")
    var modelId: String

    @Option(help: "The version to restore (default: the previous champion).")
    var to: String?

    @Option(help: "Why (recorded in the events).")
    var reason = "rolled back by hand"

    @Option(help: "The model-versions topic.")
    var modelVersionsTopic = "model-versions"

    @Option(help: "Mirror the registry to this MLflow tracking server (http://host:port).")
    var mlflowUri: String?

    func run() async throws {
        let events: [JSONValue]
        do {
            var models = ModelRegistry(directory: registry, mirror: mlflowUri.map(MLflowMirror.init(trackingURI:)))
            models.onMirrorFailure = { StandardError.emit("warning: \($0)\n") }
            events = try Rollback.run(models, model: modelId, to: to, reason: reason)
        } catch {
            StandardError.emit("driftwatch rollback: \(error)\n")
            throw ExitCode(1)
        }
        StandardError.emit("\(modelId): version \(events[0]["version"]?.stringValue ?? "?") rolled back, version \(events[1]["version"]?.stringValue ?? "?") is the champion\n")
        for event in events { print(event.serialized()) }
        guard kafka.bootstrapServers != nil else { return }
        let connection = try kafka.settings().configuration(defaultBootstrapServers: "127.0.0.1:9092", environment: ProcessInfo.processInfo.environment)
        var settings = RetrainSettings(kafka: connection, registry: registry)
        settings.modelVersionsTopic = modelVersionsTopic
        try await Retrain.publish(events, model: modelId, settings: settings)
    }
}
