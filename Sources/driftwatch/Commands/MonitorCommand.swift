public import ArgumentParser
import DriftKafka
public import DriftMonitor
import Foundation

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

    @Option(name: .customLong("profile"), help: "A reference profile JSON file (repeatable, one per model version).")
    var profiles: [String] = []

    @Option(help: "Event-time window size: 250ms, 10s, 1m, 1h.")
    var window: String = "1m"
    @Option(help: "Hop of hopping windows (default: tumbling).")
    var hop: String?
    @Option(help: "How long a window stays open after its end for out-of-order events.")
    var grace: String = "10s"
    @Option(help: "How far the watermark trails the newest event time.")
    var allowedLateness: String = "0s"
    @Option(help: "After this long without events, a partition's watermark moves with the clock.")
    var idleTimeout: String = "30s"
    @Option(help: "Count windows of N events per partition and model instead of time windows.")
    var windowEvents: Int?

    @Option(help: "Consumer group of stage 1 (stage 2 uses GROUP.stage2).")
    var group: String = "driftwatch-monitor"
    @Option(help: "Inference events topic.")
    var inferenceTopic: String = "inference-events"
    @Option(help: "Feedback (ground truth) topic.")
    var feedbackTopic: String = "feedback-events"
    @Flag(help: "Do not read feedback events.")
    var noFeedback = false
    @Option(help: "Partial summaries topic (internal).")
    var partialsTopic: String = "driftwatch.partials"
    @Option(help: "Drift events topic.")
    var driftTopic: String = "drift-events"
    @Option(help: "Dead-letter topic.")
    var deadLetterTopic: String = "driftwatch.dead-letter"

    @Option(help: "PSI above which a feature is WARNING.")
    var psiWarning: Double = 0.1
    @Option(help: "PSI above which a feature is CRITICAL.")
    var psiCritical: Double = 0.25
    @Option(help: "Significance of the KS and chi-square tests, after the correction.")
    var alpha: Double = 0.05
    @Option(help: "Multiple-testing correction across features: benjamini-hochberg, bonferroni or none.")
    var correction: MonitorPolicy.Correction = .benjaminiHochberg
    @Option(help: "Relative drop of accuracy or F1 below the profile's baseline that is CRITICAL.")
    var performanceDrop: Double = 0.10
    @Option(help: "Fewest labelled events in a window for performance to be judged.")
    var minLabelled: Int = 50
    @Option(help: "Domain classifier ROC-AUC above which covariate shift is WARNING.")
    var domainClassifierThreshold: Double = 0.55
    @Flag(help: "Do not train the domain classifier.")
    var noDomainClassifier = false
    @Option(help: "Windows in a row above the current level before the alert rises.")
    var raiseAfter: Int = 1
    @Option(help: "Windows in a row below the current level before the alert clears.")
    var clearAfter: Int = 2
    @Option(help: "How long stage 2 waits for a silent partition before evaluating a window without it.")
    var completionTimeout: String = "30s"

    @Option(help: "Stop after publishing this many drift events (scripts, demos, tests).")
    var exitAfterWindows: Int?
    @Option(help: "Stop after this long (e.g. 5m).")
    var maxRuntime: String?

    func validate() throws {
        guard !profiles.isEmpty else { throw ValidationError("give at least one --profile (build one with `driftwatch profile`)") }
        _ = try settings(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:9092"))
    }

    func duration(_ text: String, _ flag: String) throws -> Int64 {
        guard let value = WindowSpec.parseDuration(text) else { throw ValidationError("\(flag): '\(text)' is not a duration (250ms, 10s, 1m, 2h)") }
        return value
    }

    func settings(kafka configuration: KafkaConfiguration) throws -> MonitorSettings {
        var spec: WindowSpec
        if let windowEvents {
            spec = .count(windowEvents)
        } else {
            let size = try duration(window, "--window")
            let hopSize = try hop.map { try duration($0, "--hop") } ?? size
            spec = .hopping(size, hop: hopSize, grace: try duration(grace, "--grace"), allowedLateness: try duration(allowedLateness, "--allowed-lateness"),
                            idleTimeout: try duration(idleTimeout, "--idle-timeout"))
        }
        do {
            try spec.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        var settings = MonitorSettings(kafka: configuration, window: spec)
        settings.inferenceTopic = inferenceTopic
        settings.feedbackTopic = noFeedback ? nil : feedbackTopic
        settings.stage1.joinFeedback = !noFeedback
        settings.partialsTopic = partialsTopic
        settings.driftTopic = driftTopic
        settings.deadLetterTopic = deadLetterTopic
        settings.groupID = group
        settings.completionTimeout = try duration(completionTimeout, "--completion-timeout")
        settings.domainClassifier = !noDomainClassifier
        var policy = MonitorPolicy()
        policy.psiWarning = psiWarning
        policy.psiCritical = psiCritical
        policy.alpha = alpha
        policy.correction = correction
        policy.performanceDropCritical = performanceDrop
        policy.performanceDropWarning = min(policy.performanceDropWarning, performanceDrop)
        policy.minimumLabelled = minLabelled
        policy.domainClassifierWarning = domainClassifierThreshold
        policy.domainClassifierCritical = max(policy.domainClassifierCritical, domainClassifierThreshold)
        policy.raiseAfter = raiseAfter
        policy.clearAfter = clearAfter
        do {
            try policy.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        settings.policy = policy
        return settings
    }

    func run() async throws {
        var loaded: [ReferenceProfile] = []
        for path in profiles {
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
            configuration = try kafka.configuration(defaultBootstrapServers: "127.0.0.1:9092", role: .consumer)
        } catch {
            StandardError.emit("driftwatch monitor: \(error)\n")
            throw ExitCode(2)
        }
        let settings = try settings(kafka: configuration)
        let service = MonitorService(settings: settings, profiles: loaded) { line in StandardError.emit(line + "\n") }
        StandardError.emit("driftwatch monitor: \(loaded.count) profile(s): \(loaded.map { "\($0.modelID)@\($0.modelVersion)" }.joined(separator: ", "))\n")
        let running = Task { try await service.run() }
        let limit = exitAfterWindows
        let deadline = try maxRuntime.map { try duration($0, "--max-runtime") }
        // Whichever comes first stops the service: a signal, the window count, the run time.
        let signals = Task {
            let signal = await TerminationSignal.wait()
            StandardError.emit("driftwatch monitor: signal \(signal), closing windows\n")
            service.stop()
        }
        let stopper = Task {
            await withTaskGroup(of: Void.self) { group in
                if let limit {
                    group.addTask {
                        var seen = 0
                        for await _ in service.driftEvents {
                            seen += 1
                            if seen >= limit { return }
                        }
                    }
                }
                if let deadline {
                    group.addTask { try? await Task.sleep(for: .milliseconds(deadline)) }
                }
                guard await group.next() != nil else { return }
                group.cancelAll()
                service.stop()
            }
        }
        do {
            try await running.value
        } catch {
            stopper.cancel()
            signals.cancel()
            StandardError.emit("driftwatch monitor: \(error)\n")
            throw ExitCode(1)
        }
        stopper.cancel()
        signals.cancel()
        let status = service.status
        StandardOutput.emitLine(
            "windows=\(status.driftEventsProduced) events=\(status.stage1.inferenceAccepted) feedback=\(status.stage1.feedbackAccepted) dead_letters=\(status.deadLettersProduced)")
    }
}
