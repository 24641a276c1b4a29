import ArgumentParser
import DriftContracts
import DriftJSON
import DriftKafka
import DriftMonitor
import DriftRegistry
import DriftReport
import Foundation

/// `driftwatch report`: a model's HTML and JSON report over a period.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a model's drift report: self-contained HTML (inline SVG, works offline) and JSON (schemas/report.schema.json).",
        discussion: """
            Drift events come from the drift-events topic (--bootstrap-servers: everything the topic retains) or \
            from a JSON Lines file (--drift-events); model versions, their history and reference profiles from \
            the registry (--registry). --from and --to bound the windows by their end: RFC 3339 times, or a \
            duration meaning that long before now (--from 6h).
            """
    )

    @OptionGroup var kafka: KafkaOptions

    @Option(help: "The model.")
    var modelId: String

    @Option(help: "The model registry directory (versions, history, reference profiles).")
    var registry: String?

    @Option(help: "Read drift events from this JSON Lines file instead of Kafka.")
    var driftEvents: String?

    @Option(help: "The drift events topic.")
    var driftTopic = "drift-events"

    @Option(help: "Windows ending at or after this time (RFC 3339, or a duration before now: 6h).")
    var from: String?

    @Option(help: "Windows ending at or before this time (RFC 3339, or a duration before now).")
    var to: String?

    @Option(help: "Directory for report.html and report.json.")
    var out = "driftwatch-report"

    func validate() throws {
        _ = try Self.time(from, "--from")
        _ = try Self.time(to, "--to")
        if driftEvents == nil, !kafka.clusterGiven, registry == nil {
            throw ValidationError("give --bootstrap-servers or --drift-events for the windows, and --registry for the versions")
        }
    }

    static func time(_ text: String?, _ flag: String) throws -> Int64? {
        guard let text else { return nil }
        if let time = EventTimestamp.parse(text) { return time }
        if let duration = WindowSpec.parseDuration(text) { return Int64(Date().timeIntervalSince1970 * 1_000) - duration }
        throw ValidationError("\(flag) takes an RFC 3339 time (2026-11-23T10:00:00Z) or a duration (6h), got \(text)")
    }

    func run() async throws {
        var events: [JSONValue] = []
        do {
            if let driftEvents {
                events = try ReportSources.driftEvents(file: driftEvents)
            } else if kafka.clusterGiven {
                let configuration = try kafka.configuration(defaultBootstrapServers: "127.0.0.1:9092", role: .consumer)
                events = try await ReportSources.driftEvents(configuration: configuration, topic: driftTopic)
            }
            let input = try ReportSources.input(modelID: modelId, driftEvents: events, registry: registry,
                                                from: try Self.time(from, "--from"), to: try Self.time(to, "--to"))
            let paths = try ReportSources.write(input, directory: out)
            StandardError.emit("driftwatch report: \(paths.html) and \(paths.json)\n")
        } catch let error as ValidationError {
            throw error
        } catch {
            StandardError.emit("driftwatch report: \(error)\n")
            throw ExitCode(1)
        }
    }
}

/// Where reports get their inputs, and how they are written (the report command and the demo).
enum ReportSources {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Drift events from a JSON Lines file (blank and unparsable lines are skipped).
    static func driftEvents(file: String) throws -> [JSONValue] {
        guard let data = FileManager.default.contents(atPath: file) else { throw Failure(description: "--drift-events \(file): cannot read it") }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in try? JSONValue.parse(Array(line)) }
    }

    /// Everything the drift topic retains.
    static func driftEvents(configuration: KafkaConfiguration, topic: String) async throws -> [JSONValue] {
        let admin = try KafkaAdmin(configuration: configuration)
        guard let description = try await admin.listTopics().first(where: { $0.name == topic }) else {
            throw Failure(description: "topic \(topic) does not exist on the cluster")
        }
        let partitions = (0..<Int32(description.partitions.count)).map { $0 }
        let messages = try await KafkaRangeReader.read(configuration: configuration, topic: topic, partitions: partitions, timeout: .seconds(60))
        return messages.compactMap { try? JSONValue.parse($0.value) }
    }

    /// The report input: the events, and the registry's history and profiles of `modelID`.
    static func input(modelID: String, driftEvents: [JSONValue], registry: String?, from: Int64?, to: Int64?) throws -> ReportInput {
        var history: [JSONValue] = []
        var profiles: [String: JSONValue] = [:]
        if let registry {
            let models = ModelRegistry(directory: registry)
            history = try models.history(modelID)
            for version in try models.versions(modelID) {
                let path = try models.profilePath(modelID, version)
                if let data = FileManager.default.contents(atPath: path), let profile = try? JSONValue.parse(Array(data)) { profiles[version] = profile }
            }
        }
        return ReportInput(modelID: modelID, driftEvents: driftEvents, versionEvents: history, profiles: profiles, from: from, to: to,
                           generatedAt: Int64(Date().timeIntervalSince1970 * 1_000))
    }

    /// Builds the report and writes `report.json` and `report.html` into `directory`.
    static func write(_ input: ReportInput, directory: String) throws -> (html: String, json: String, report: JSONValue) {
        let report = try ReportBuilder.build(input)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let json = directory + "/report.json"
        let html = directory + "/report.html"
        try Data(report.serialized(pretty: true).utf8).write(to: URL(fileURLWithPath: json))
        try Data(HTMLReport.render(report).utf8).write(to: URL(fileURLWithPath: html))
        return (html, json, report)
    }
}
