import ArgumentParser
import DriftCompare
import DriftContracts
import DriftJSON
import DriftKafka
import DriftLearn
import DriftMonitor
import DriftRegistry
import DriftServer
import Foundation
import Synchronization

/// `driftwatch demo`: the whole loop on the embedded dev broker, on real data.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole loop on an embedded broker: serve, monitor, detect drift, retrain, promote, report.",
        discussion: """
            Trains version 1 of a model on the first rows of a real dataset (Adult census income, shipped in \
            data/), starts the dev broker, the model server (driftwatch serve), a monitor (with its live \
            dashboard) and the retraining worker, then replays the remaining rows through the model server — \
            with ground-truth labels arriving a moment later as feedback events — and injects drift from a \
            scenario (data/scenarios: concept-drift, covariate-shift, label-shift, or a YAML file of your own). \
            The terminal shows each window as the monitor evaluates it and each model version as it is \
            registered; the demo ends by itself once a new version has been promoted and its windows are calm \
            (or when the rows or --duration run out; --follow keeps it running until Ctrl-C), then writes the \
            HTML and JSON report.
            """
    )

    @Option(help: "A scenario name (data/scenarios/NAME.yaml) or a scenario YAML file.")
    var scenario = "concept-drift"

    @Option(help: "The dataset (CSV, optionally gzipped) and its target column.")
    var data = "data/adult.csv.gz"

    @Option(help: "The dataset's target column.")
    var target = "income"

    @Option(help: "Columns left out of the model.")
    var exclude = "fnlwgt"

    @Option(help: "The model id.")
    var modelId = "adult-income"

    @Option(help: "Rows version 1 is trained on (the first ones).")
    var trainRows = 8_000

    @Option(help: "Rows replayed per second through the model server.")
    var rate = 800

    @Option(help: "The monitor's window (event time).")
    var window = "5s"

    @Option(help: "How long after a prediction its label arrives as a feedback event.")
    var labelDelay = "1s"

    @Option(help: "Stop after this long even if the story is not complete.")
    var duration = "150s"

    @Option(help: "Directory for the registry, logs, drift events and the report.")
    var out = "demo-output"

    @Option(help: "First of four consecutive ports on 127.0.0.1: model server, monitor (dashboard), retraining worker, broker.")
    var portBase = 18_080

    @Flag(help: "Keep replaying (the rows again, drifted) until Ctrl-C.")
    var follow = false

    func validate() throws {
        guard rate > 0, rate <= 50_000 else { throw ValidationError("--rate must be between 1 and 50000") }
        guard trainRows >= 500 else { throw ValidationError("--train-rows must be at least 500") }
        guard (1_024...65_000).contains(portBase) else { throw ValidationError("--port-base must be between 1024 and 65000") }
        for (flag, value) in [("--window", window), ("--label-delay", labelDelay), ("--duration", duration)] {
            guard WindowSpec.parseDuration(value) != nil else { throw ValidationError("\(flag) takes a duration (5s, 2m), got \(value)") }
        }
    }

    func run() async throws {
        do {
            try await DemoRun(options: self).run()
        } catch let failure as DemoFailure {
            StandardError.emit("driftwatch demo: \(failure)\n")
            throw ExitCode(1)
        }
    }
}

/// One run of the demo.
struct DemoRun {
    let options: Demo

    func say(_ line: String) { StandardOutput.emitLine(line) }

    func run() async throws {
        let began = ContinuousClock.now
        let out = options.out
        let registryPath = out + "/registry"
        let logs = out + "/logs"
        try? FileManager.default.removeItem(atPath: registryPath)
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)

        // The scenario and the data.
        let scenario = try loadScenario()
        let (table, labels) = try loadTable()
        guard table.rowCount > options.trainRows + 1_000 else {
            throw DemoFailure("\(options.data) has \(table.rowCount) rows; --train-rows \(options.trainRows) leaves too few to replay")
        }
        say("Driftwatch demo — scenario \(scenario.name): \(scenario.description)")

        // Version 1 on the first rows.
        var initial = InitialTraining(modelID: options.modelId, target: options.target)
        initial.folds = 3
        let registry = ModelRegistry(directory: registryPath)
        let outcome = try initial.run(features: table.subset(Array(0..<options.trainRows)), labels: Array(labels.prefix(options.trainRows)),
                                      source: options.data, registry: registry)
        say(String(format: "  version 1 trained on the first %@ rows of %@: 3-fold accuracy %.3f, ROC-AUC %.3f",
                   options.trainRows.formatted(), options.data, outcome.crossValidation.mean("accuracy") ?? .nan, outcome.crossValidation.mean("roc_auc") ?? .nan))
        let rest = Array(options.trainRows..<table.rowCount)
        let (replay, driftStart) = scenario.apply(LabelledRow.rows(table.subset(rest), labels: rest.map { labels[$0] }, time: 0))

        // The broker and the services.
        let ports = (serve: options.portBase, monitor: options.portBase + 1, retrain: options.portBase + 2, broker: options.portBase + 3)
        let broker: DevBroker
        do {
            broker = try DevBroker(brokers: 1, port: UInt16(ports.broker), topics: DevBroker.defaultTopics(partitions: 4))
        } catch {
            throw DemoFailure("the dev broker could not start on 127.0.0.1:\(ports.broker) (\(error)); choose other ports with --port-base")
        }
        defer { broker.shutdown() }
        let bootstrap = broker.bootstrapServers
        let windowMilliseconds = WindowSpec.parseDuration(options.window) ?? 5_000
        try writeConfigs(out: out, bootstrap: bootstrap, windowMilliseconds: windowMilliseconds, ports: (ports.monitor, ports.retrain))
        var children: [ChildProcess] = []
        func stopAll() async { for child in children.reversed() { await child.stop() } }
        do {
            children.append(try ChildProcess(name: "monitor", arguments: ["monitor", "--config", out + "/monitor.yaml", "--registry", registryPath], logPath: logs + "/monitor.log"))
            children.append(try ChildProcess(name: "retrain", arguments: ["retrain", "--config", out + "/retrain.yaml", "--registry", registryPath, "--bootstrap-servers", bootstrap], logPath: logs + "/retrain.log"))
            children.append(try ChildProcess(name: "serve", arguments: ["serve", "--registry", registryPath, "--model-id", options.modelId, "--bootstrap-servers", bootstrap,
                                                                        "--http-address", "127.0.0.1:\(ports.serve)"], logPath: logs + "/serve.log"))
            try await children[2].waitUntilReady("http://127.0.0.1:\(ports.serve)/healthz", timeout: .seconds(60))
            try await children[0].waitUntilReady("http://127.0.0.1:\(ports.monitor)/readyz", timeout: .seconds(90))
            try await children[1].waitUntilReady("http://127.0.0.1:\(ports.retrain)/readyz", timeout: .seconds(90))
        } catch {
            await stopAll()
            throw error
        }
        say("  broker \(bootstrap) · model server http://127.0.0.1:\(ports.serve) · dashboard http://127.0.0.1:\(ports.monitor)/ · logs \(logs)/")
        let seconds = Double(replay.count) / Double(options.rate)
        say("  replaying \(replay.count.formatted()) rows at \(options.rate)/s (≈ \(Int(seconds)) s), drift from row \(driftStart.formatted()); labels \(options.labelDelay) later")
        say("")
        say(DemoTimeline.header)

        let fullWindow = Int(Int64(options.rate) * windowMilliseconds / 1_000)
        let timeline = DemoTimeline(modelID: options.modelId, fullWindow: fullWindow, began: began) { line in StandardOutput.emitLine(line) }
        let consumer = try await outputConsumer(bootstrap: bootstrap)
        let watcher = Task {
            for await message in consumer.messages {
                guard let event = try? JSONValue.parse(message.value) else { continue }
                if message.topic == "drift-events" { timeline.driftEvent(event) } else { timeline.versionEvent(event) }
            }
        }
        let replayer = DemoReplay(
            rows: replay, driftStart: driftStart, scenarioName: scenario.name, modelID: options.modelId, rate: options.rate,
            labelDelay: WindowSpec.parseDuration(options.labelDelay) ?? 1_000, serveURL: "http://127.0.0.1:\(ports.serve)", bootstrap: bootstrap,
            follow: options.follow, timeline: timeline, windowMilliseconds: windowMilliseconds)
        let deadline = options.follow ? nil : ContinuousClock.now + .milliseconds(WindowSpec.parseDuration(options.duration) ?? 150_000)
        let interrupted = Atomic<Bool>(false)
        let signals = Task {
            _ = await TerminationSignal.wait()
            interrupted.store(true, ordering: .relaxed)
        }
        let replayed: DemoReplay.Totals
        do {
            replayed = try await replayer.run { () -> Bool in
                if interrupted.load(ordering: .relaxed) { return true }
                if let deadline, ContinuousClock.now >= deadline { return true }
                if !options.follow, timeline.complete { return true }
                return children.contains { !$0.isRunning }
            }
        } catch {
            await stopAll()
            throw error
        }
        // The last windows close a grace period after their end; give them a moment unless interrupted.
        if !interrupted.load(ordering: .relaxed), !timeline.complete {
            let settle = ContinuousClock.now + .milliseconds(windowMilliseconds + 8_000)
            while ContinuousClock.now < settle, !timeline.complete { try? await Task.sleep(for: .milliseconds(250)) }
        }
        signals.cancel()
        let crashed = children.filter { !$0.isRunning }
        await stopAll()
        try? await Task.sleep(for: .milliseconds(500))
        await consumer.close()
        watcher.cancel()

        // The report and the summary.
        let story = timeline.story.withLock { $0 }
        let lines = story.windows.map { $0.serialized() }.joined(separator: "\n")
        try Data((lines + (lines.isEmpty ? "" : "\n")).utf8).write(to: URL(fileURLWithPath: out + "/drift-events.jsonl"))
        var reportPath = "(none: no windows were evaluated)"
        if !story.windows.isEmpty {
            let input = try ReportSources.input(modelID: options.modelId, driftEvents: story.windows, registry: registryPath, from: nil, to: nil)
            reportPath = try ReportSources.write(input, directory: out + "/report").html
        }
        let severities = Dictionary(grouping: story.windows.compactMap { $0["severity"]?.stringValue }, by: { $0 }).mapValues(\.count)
        let total = ContinuousClock.now - began
        say("")
        say("Summary")
        say("  \(story.windows.count) windows: " + ["NORMAL", "WARNING", "CRITICAL", "RECOVERED"].map { "\($0) \(severities[$0] ?? 0)" }.joined(separator: ", "))
        say("  \(replayed.events.formatted()) events replayed (\(Int(replayed.rate)) /s through the model server), \(replayed.labels.formatted()) labels")
        if let onset = story.driftOnset {
            say("  drift injected at \(timeline.elapsed(onset))" + (story.firstAlert.map { "; detected at \(timeline.elapsed($0)) (\(DemoTimeline.seconds($0 - onset)) later)" } ?? "; not detected"))
        }
        if let promotion = story.promotion {
            say("  version \(promotion.version) promoted at \(timeline.elapsed(promotion.at))" + (story.subsided.map { "; drift subsided at \(timeline.elapsed($0))" } ?? "; its windows had not settled when the demo ended"))
        } else {
            say("  no version was promoted (see \(logs)/retrain.log)")
        }
        say("  report: \(reportPath) (and report.json); drift events: \(out)/drift-events.jsonl; registry: \(registryPath)")
        say("  took \(DemoTimeline.seconds(total))")
        if !crashed.isEmpty {
            throw DemoFailure("\(crashed.map(\.name).joined(separator: ", ")) stopped unexpectedly:\n" + crashed.map { "\($0.name): \($0.tail())" }.joined(separator: "\n"))
        }
    }

    func loadScenario() throws -> DemoScenario {
        let path = options.scenario.hasSuffix(".yaml") || options.scenario.hasSuffix(".yml") ? options.scenario : "data/scenarios/\(options.scenario).yaml"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            let known = (try? FileManager.default.contentsOfDirectory(atPath: "data/scenarios"))?.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted() ?? []
            throw DemoFailure("no scenario \(options.scenario) (\(path))" + (known.isEmpty ? "; run the demo from the repository's root" : "; known: \(known.joined(separator: ", "))"))
        }
        do { return try DemoScenario(yaml: text, path: path) } catch { throw DemoFailure("\(error)") }
    }

    /// The dataset's features (the excluded columns and the target left out) and its labels, rows without a label dropped.
    func loadTable() throws -> (TrainingTable, [String]) {
        guard FileManager.default.fileExists(atPath: options.data) else {
            throw DemoFailure("no data at \(options.data); run the demo from the repository's root or give --data")
        }
        let data = try DataTable.load(path: options.data)
        guard data.columnNames.contains(options.target) else { throw DemoFailure("\(options.data) has no column \(options.target)") }
        let excluded = Set(CommaSeparated.items([options.exclude])).union([options.target])
        let (labels, labelledRows) = try TrainingTable.labels(data, target: options.target)
        let all = try TrainingTable(data, excluding: excluded)
        return (labelledRows.count == all.rowCount ? all : all.subset(labelledRows), labels)
    }

    /// The monitor's and the retraining worker's configuration files, tuned for a one-minute story.
    func writeConfigs(out: String, bootstrap: String, windowMilliseconds: Int64, ports: (monitor: Int, retrain: Int)) throws {
        let labelDelay = WindowSpec.parseDuration(options.labelDelay) ?? 1_000
        let monitor = """
            # Written by driftwatch demo.
            kafka:
              bootstrap_servers: \(bootstrap)
            window:
              size: \(windowMilliseconds)ms
              grace: \(labelDelay + 2_000)ms
              idle_timeout: 5s
            completion_timeout: 10s
            policy:
              raise_after: 1
              clear_after: 2
              # Windows here are seconds long and the domain classifier samples 256 rows of each: its ROC-AUC
              # has a standard error near 0.03, so the default WARNING threshold (0.55) would fire on noise.
              domain_classifier_threshold: 0.6
            http:
              address: 127.0.0.1:\(ports.monitor)

            """
        let retrain = """
            # Written by driftwatch demo.
            trigger:
              severities: [CRITICAL]
              cooldown: 30s
              min_new_labelled: \(max(1_000, options.rate * 3))
            promotion:
              primary_metric: accuracy
              margin: 0.01
            rollback:
              windows: 3
              consecutive: 2
            training:
              folds: 3
              holdout_share: 0.25
              recent_rows: \(max(2_000, options.rate * 5))
              max_old_rows: \(max(1_000, options.rate * 2))
              reference: recent
            http:
              address: 127.0.0.1:\(ports.retrain)

            """
        try Data(monitor.utf8).write(to: URL(fileURLWithPath: out + "/monitor.yaml"))
        try Data(retrain.utf8).write(to: URL(fileURLWithPath: out + "/retrain.yaml"))
    }

    /// A consumer of the drift-events and model-versions topics from their beginning.
    func outputConsumer(bootstrap: String) async throws -> KafkaConsumer {
        var configuration = KafkaConfiguration(bootstrapServers: bootstrap)
        configuration.clientID = "driftwatch-demo-timeline"
        let admin = try KafkaAdmin(configuration: configuration)
        let topics = try await admin.listTopics()
        var assignment: [KafkaTopicPartitionOffset] = []
        for name in ["drift-events", "model-versions"] {
            let count = topics.first { $0.name == name }?.partitions.count ?? 0
            for partition in 0..<Int32(count) {
                assignment.append(KafkaTopicPartitionOffset(KafkaTopicPartition(topic: name, partition: partition), offset: KafkaOffset.beginning))
            }
        }
        return try KafkaConsumer(configuration: configuration, assignment: assignment)
    }
}
