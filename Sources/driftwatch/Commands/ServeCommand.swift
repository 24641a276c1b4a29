import ArgumentParser
import DriftKafka
import DriftServer
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `driftwatch serve`: the reference model server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a model's champion over HTTP and publish every prediction as an inference event.",
        discussion: """
            POST /v1/predict scores one instance ({"features": {...}}), POST /v1/predict/batch many \
            ({"instances": [...]}); GET /v1/model, /metrics, /healthz, /readyz; the contract is at /openapi.json. \
            Each prediction is published on the inference topic (with --bootstrap-servers) so the monitor sees \
            it; the champion is swapped without a restart when a model-version event (or the registry) says it \
            changed. --shadow scores a second version beside the champion and publishes its predictions with \
            "shadow": true, so it can be compared before promotion.
            """
    )

    @OptionGroup var kafka: KafkaOptions

    @Option(help: "The model registry directory.")
    var registry: String

    @Option(help: "The model to serve.")
    var modelId: String

    @Option(help: "Listen on host:port.")
    var httpAddress = "127.0.0.1:8080"

    @Option(help: "Score this version in shadow as well: a version number, or `latest` (the newest registered version when newer than the champion).")
    var shadow: String?

    @Option(help: "The inference events topic.")
    var inferenceTopic = "inference-events"

    @Option(help: "The model-versions topic whose events swap the champion.")
    var modelVersionsTopic = "model-versions"

    @Flag(help: "Serve without publishing inference events (no Kafka).")
    var noPublish = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard FileManager.default.fileExists(atPath: registry) else { throw ValidationError("--registry \(registry): no such directory (create it with driftwatch train)") }
        do { _ = try MonitorConfig.httpAddress(httpAddress, origin: "--http-address") } catch { throw ValidationError("\(error)") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level \(logLevel) is not a log level") }
        if let shadow, shadow != "latest", Int(shadow) == nil { throw ValidationError("--shadow takes a version number or latest, got \(shadow)") }
    }

    func run() async throws {
        MallocTuning.applyForService()
        ProcessLogging.bootstrap(level: Logger.Level(rawValue: logLevel) ?? .info)
        let logger = Logger(label: "driftwatch.serve")
        var settings = ModelServer.Settings(modelID: modelId, registry: registry, kafka: nil)
        if !noPublish {
            do {
                settings.kafka = try kafka.configuration(defaultBootstrapServers: "127.0.0.1:9092", role: .producer)
            } catch {
                StandardError.emit("driftwatch serve: \(error)\n")
                throw ExitCode(2)
            }
        }
        settings.inferenceTopic = inferenceTopic
        settings.modelVersionsTopic = modelVersionsTopic
        settings.shadow = shadow.map { $0 == "latest" ? .latest : .version($0) } ?? .none
        if let token = ProcessInfo.processInfo.environment["DRIFTWATCH_API_READ_TOKEN"] {
            do {
                settings.readToken = try APIAccess.token(token, setting: "api.read_token", origin: "DRIFTWATCH_API_READ_TOKEN")
            } catch {
                throw ValidationError("\(error)")
            }
        }
        let server: ModelServer
        do {
            server = try ModelServer(settings: settings, logger: logger)
        } catch {
            StandardError.emit("driftwatch serve: \(error)\n")
            throw ExitCode(1)
        }
        guard let address = try MonitorConfig.httpAddress(httpAddress, origin: "--http-address") else {
            throw ValidationError("--http-address cannot be off for the model server")
        }
        let versions = server.versions
        let application = ModelServerHTTPAPI.application(server: server, host: address.host, port: address.port, logger: logger) { port in
            logger.info("http listening", metadata: ["address": .string("\(address.host):\(port)")])
            StandardError.emit("driftwatch serve: \(modelId) version \(versions.champion)\(versions.shadow.map { " (shadow \($0))" } ?? "") on http://\(address.host):\(port)\n")
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [
            .init(service: StoppableService(server), successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: application, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
        ], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            StandardError.emit("driftwatch serve: \(error)\n")
            throw ExitCode(1)
        }
    }
}
