public import ArgumentParser
import DriftKafka
public import DriftMonitor
import DriftRegistry
import DriftServer
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import UnixSignals

extension MonitorPolicy.Correction: ExpressibleByArgument {}

/// `driftwatch monitor`: stage 1 and stage 2 on a Kafka cluster, drift events out.
struct Monitor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch models' inference and feedback events on Kafka and publish a drift event per model and window.",
        discussion: """
            Reads inference-events (and feedback-events) with consumer group --group, cuts event-time windows \
            (--window, --hop, --grace) or count windows (--window-events), summarises each window per partition on \
            driftwatch.partials, merges and evaluates them against each model version's reference profile \
            (--profile, from `driftwatch profile`), and publishes one drift event per (model, version, window) on \
            drift-events, keyed by model id. Events that break the contract, or arrive after their window closed, \
            go to driftwatch.dead-letter with a reason. Stops on SIGINT / SIGTERM after closing its windows.
            """
    )

    @OptionGroup var kafka: KafkaOptions

    @Option(help: "A YAML configuration file; flags and DRIFTWATCH_* variables override it (docs/monitor.md lists every key).")
    var config: String?

    @Option(name: .customLong("profile"), help: "A reference profile JSON file (repeatable, one per model version).")
    var profiles: [String] = []

    @Option(help: "A model registry directory (driftwatch train): every registered model's champion is watched with its profile.")
    var registry: String?

    @Option(help: "Event-time window size: 250ms, 10s, 1m, 1h (default 1m).")
    var window: String?
    @Option(help: "Hop of hopping windows (default: tumbling).")
    var hop: String?
    @Option(help: "How long a window stays open after its end for out-of-order events (default 10s).")
    var grace: String?
    @Option(help: "How far the watermark trails the newest event time (default 0s).")
    var allowedLateness: String?
    @Option(help: "After this long without events, a partition's watermark moves with the clock (default 30s).")
    var idleTimeout: String?
    @Option(help: "Count windows of N events per partition and model instead of time windows.")
    var windowEvents: Int?

    @Option(help: "Consumer group of stage 1 (stage 2 uses GROUP.stage2; default driftwatch-monitor).")
    var group: String?
    @Option(help: "Inference events topic (default inference-events).")
    var inferenceTopic: String?
    @Option(help: "Feedback (ground truth) topic (default feedback-events).")
    var feedbackTopic: String?
    @Flag(help: "Do not read feedback events.")
    var noFeedback = false
    @Option(help: "Partial summaries topic (internal; default driftwatch.partials).")
    var partialsTopic: String?
    @Option(help: "Drift events topic (default drift-events).")
    var driftTopic: String?
    @Option(help: "Dead-letter topic (default driftwatch.dead-letter).")
    var deadLetterTopic: String?
    @Option(help: "Model-version events whose inline profiles are loaded (default model-versions; `off`: --profile files only).")
    var modelVersionsTopic: String?

    @Option(help: "PSI above which a feature is WARNING (default 0.1).")
    var psiWarning: Double?
    @Option(help: "PSI above which a feature is CRITICAL (default 0.25).")
    var psiCritical: Double?
    @Option(help: "Significance of the KS and chi-square tests, after the correction (default 0.05).")
    var alpha: Double?
    @Option(help: "Multiple-testing correction across features: benjamini-hochberg (default), bonferroni or none.")
    var correction: MonitorPolicy.Correction?
    @Option(help: "Relative drop of accuracy or F1 below the profile's baseline that is CRITICAL (default 0.10).")
    var performanceDrop: Double?
    @Option(help: "Fewest labelled events in a window for performance to be judged (default 50).")
    var minLabelled: Int?
    @Option(help: "Domain classifier ROC-AUC above which covariate shift is WARNING (default 0.55).")
    var domainClassifierThreshold: Double?
    @Flag(help: "Do not train the domain classifier.")
    var noDomainClassifier = false
    @Option(help: "Windows in a row above the current level before the alert rises (default 1).")
    var raiseAfter: Int?
    @Option(help: "Windows in a row below the current level before the alert clears (default 2).")
    var clearAfter: Int?
    @Option(help: "How long stage 2 waits for a silent partition before evaluating a window without it (default 30s).")
    var completionTimeout: String?

    @Option(help: "HTTP API and Prometheus /metrics address, host:port, or `off` (default 127.0.0.1:9464).")
    var httpAddress: String?
    @Option(help: "trace, debug, info (default), notice, warning, error or critical.")
    var logLevel: String?
    @Option(help: "Log lines as text (default) or json.")
    var logFormat: String?

    @Option(help: "Rows sampled per window and partition for the domain classifier (default 256).")
    var sampleRows: Int?
    @Flag(help: "No checkpoints: commit offsets per batch (at least once) and close open windows on stop instead of handing them over.")
    var noCheckpoint = false

    @Flag(help: "Do not commit offsets to the consumer group (partitions resume from their checkpoints either way; lag tools then see no progress).")
    var noCommitOffsets = false
    @Option(help: "How often each stage checkpoints its changed partitions (default 1s).")
    var checkpointInterval: String?

    @Option(help: "Stop after publishing this many drift events (scripts, demos, tests).")
    var exitAfterWindows: Int?
    @Option(help: "Stop after this long (e.g. 5m).")
    var maxRuntime: String?

    /// Defaults, then the YAML file, then DRIFTWATCH_* variables, then the flags given.
    func resolvedConfig(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MonitorConfig {
        var resolved = MonitorConfig()
        do {
            if let config {
                guard let text = try? String(contentsOfFile: config, encoding: .utf8) else { throw ValidationError("--config: cannot read \(config)") }
                try resolved.load(yaml: text, path: config)
            }
            try resolved.apply(environment: environment)
            let flags: [(String, String, String?)] = [
                ("window.size", "--window", window), ("window.hop", "--hop", hop), ("window.grace", "--grace", grace),
                ("window.allowed_lateness", "--allowed-lateness", allowedLateness), ("window.idle_timeout", "--idle-timeout", idleTimeout),
                ("window.events", "--window-events", windowEvents.map(String.init)), ("group", "--group", group),
                ("topics.inference", "--inference-topic", inferenceTopic), ("topics.feedback", "--feedback-topic", feedbackTopic),
                ("feedback.enabled", "--no-feedback", noFeedback ? "false" : nil), ("topics.partials", "--partials-topic", partialsTopic),
                ("topics.drift", "--drift-topic", driftTopic), ("topics.dead_letter", "--dead-letter-topic", deadLetterTopic),
                ("topics.model_versions", "--model-versions-topic", modelVersionsTopic),
                ("policy.psi_warning", "--psi-warning", psiWarning.map { "\($0)" }), ("policy.psi_critical", "--psi-critical", psiCritical.map { "\($0)" }),
                ("policy.alpha", "--alpha", alpha.map { "\($0)" }), ("policy.correction", "--correction", correction?.rawValue),
                ("policy.performance_drop", "--performance-drop", performanceDrop.map { "\($0)" }),
                ("policy.min_labelled", "--min-labelled", minLabelled.map(String.init)),
                ("policy.domain_classifier", "--no-domain-classifier", noDomainClassifier ? "false" : nil),
                ("policy.domain_classifier_threshold", "--domain-classifier-threshold", domainClassifierThreshold.map { "\($0)" }),
                ("policy.raise_after", "--raise-after", raiseAfter.map(String.init)), ("policy.clear_after", "--clear-after", clearAfter.map(String.init)),
                ("completion_timeout", "--completion-timeout", completionTimeout), ("http.address", "--http-address", httpAddress),
                ("window.sample_rows", "--sample-rows", sampleRows.map(String.init)),
                ("checkpoint.enabled", "--no-checkpoint", noCheckpoint ? "false" : nil),
                ("checkpoint.commit_offsets", "--no-commit-offsets", noCommitOffsets ? "false" : nil), ("checkpoint.interval", "--checkpoint-interval", checkpointInterval),
                ("log.level", "--log-level", logLevel), ("log.format", "--log-format", logFormat),
                ("kafka.bootstrap_servers", "--bootstrap-servers", kafka.bootstrapServers),
            ]
            for (key, flag, value) in flags { if let value { try resolved.set(key, value, origin: flag) } }
            if !profiles.isEmpty { resolved.setProfiles(profiles, origin: "--profile") }
            if let registry {
                let champions = try Self.championProfiles(registry)
                resolved.setProfiles(resolved.profiles + champions, origin: "--registry")
            }
        } catch let error as ConfigError {
            throw ValidationError("\(error)")
        }
        return resolved
    }

    func validate() throws {
        let resolved = try resolvedConfig()
        guard !resolved.profiles.isEmpty || resolved.string("topics.model_versions")?.lowercased() != "off" else {
            throw ValidationError("with --model-versions-topic off, give at least one --profile (or `profiles:` in --config; build one with `driftwatch profile`)")
        }
        if let problem = Self.problem(in: resolved) { throw ValidationError(problem) }
        if let format = resolved.string("log.format"), !["text", "json"].contains(format) {
            throw ValidationError("\(resolved.origins["log.format"] ?? "log.format"): log.format = '\(format)' is not text or json")
        }
    }

    /// The profile files of every champion in a registry.
    static func championProfiles(_ directory: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { throw ValidationError("--registry \(directory): no such directory") }
        let paths: [String]
        do {
            paths = try ModelRegistry(directory: directory).championProfilePaths()
        } catch {
            throw ValidationError("--registry \(directory): \(error)")
        }
        guard !paths.isEmpty else { throw ValidationError("--registry \(directory) has no model with a champion (register one with driftwatch train)") }
        return paths
    }

    /// The first error the resolved settings hold, if any.
    static func problem(in resolved: MonitorConfig) -> String? {
        do throws(ConfigError) {
            _ = try resolved.settings(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:9092"))
            _ = try resolved.httpAddress()
            _ = try logLevel(resolved)
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func logLevel(_ resolved: MonitorConfig) throws(ConfigError) -> Logger.Level {
        let text = resolved.string("log.level") ?? "info"
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw .invalidValue("log.level", text, origin: resolved.origins["log.level"] ?? "log.level", expected: "a log level (trace … critical)")
        }
        return level
    }

    func duration(_ text: String, _ flag: String) throws -> Int64 {
        guard let value = WindowSpec.parseDuration(text) else { throw ValidationError("\(flag): '\(text)' is not a duration (250ms, 10s, 1m, 2h)") }
        return value
    }

    func run() async throws {
        let allocator = MallocTuning.applyForService()
        let resolved = try resolvedConfig()
        let level = try Self.logLevel(resolved)
        ProcessLogging.bootstrap(level: level, json: resolved.string("log.format") == "json")
        let logger = Logger(label: "driftwatch.monitor")
        logger.debug("memory allocator", metadata: ["allocator": "\(allocator.rawValue)"])
        var loaded: [ReferenceProfile] = []
        for path in resolved.profiles {
            guard let data = FileManager.default.contents(atPath: path) else {
                StandardError.emit("driftwatch monitor: cannot read the profile \(path)\n")
                throw ExitCode(2)
            }
            do {
                loaded.append(try ReferenceProfile(json: Array(data), path: path))
            } catch {
                StandardError.emit("driftwatch monitor: \(error)\n")
                throw ExitCode(2)
            }
        }
        let configuration: KafkaConfiguration
        do {
            var connection = try kafka.settings()
            connection.bootstrapServers = resolved.string("kafka.bootstrap_servers")
            // The YAML file's kafka.properties sit below -X flags.
            connection.overrides = resolved.kafkaProperties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + connection.overrides
            configuration = try connection.configuration(defaultBootstrapServers: "127.0.0.1:9092", environment: ProcessInfo.processInfo.environment)
            try configuration.validate(for: .consumer)
        } catch {
            StandardError.emit("driftwatch monitor: \(error)\n")
            throw ExitCode(2)
        }
        let settings = try resolved.settings(kafka: configuration)
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000].map { Duration.milliseconds($0) }
        let metrics = MonitorMetrics(factory: factory)
        let service = MonitorService(settings: settings, profiles: loaded, logger: logger, metrics: metrics)
        logger.info("starting", metadata: [
            "profiles": .string(loaded.map { "\($0.modelID)@\($0.modelVersion)" }.joined(separator: ",")),
            "bootstrap_servers": .string(configuration.bootstrapServers), "config": .string(config ?? "-")])

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: StoppableService(service), successTerminationBehavior: .gracefullyShutdownGroup,
                  failureTerminationBehavior: .gracefullyShutdownGroup)
        ]
        if let address = try resolved.httpAddress() {
            let http = MonitorHTTPAPI.application(
                service: service, registry: registry, access: try resolved.access(), host: address.host, port: address.port, logger: logger
            ) { port in
                logger.info("http listening", metadata: ["address": .string("\(address.host):\(port)")])
                StandardError.emit("driftwatch monitor: http on \(address.host):\(port)\n")
            }
            services.append(.init(service: http))
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        let limit = exitAfterWindows
        let deadline = try maxRuntime.map { try duration($0, "--max-runtime") }
        // The window count or the run time, whichever comes first, shuts the group down gracefully.
        let stopper = Task {
            await withTaskGroup(of: Void.self) { tasks in
                if let limit {
                    tasks.addTask {
                        var seen = 0
                        for await _ in service.driftEvents {
                            seen += 1
                            if seen >= limit { return }
                        }
                    }
                }
                if let deadline {
                    tasks.addTask { try? await Task.sleep(for: .milliseconds(deadline)) }
                }
                guard await tasks.next() != nil else { return }
                tasks.cancelAll()
                await group.triggerGracefulShutdown()
            }
        }
        do {
            try await group.run()
        } catch {
            stopper.cancel()
            StandardError.emit("driftwatch monitor: \(error)\n")
            throw ExitCode(1)
        }
        stopper.cancel()
        let status = service.status
        StandardOutput.emitLine(
            "windows=\(status.driftEventsProduced) events=\(status.stage1.inferenceAccepted) feedback=\(status.stage1.feedbackAccepted) dead_letters=\(status.deadLettersProduced)")
    }
}
