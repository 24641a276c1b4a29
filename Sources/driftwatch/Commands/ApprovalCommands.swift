import ArgumentParser
import DriftJSON
import DriftKafka
import DriftRegistry
import DriftRetrain
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where an approval decision is made: on the running retraining worker (an authenticated POST, the default:
/// it owns the registry, publishes the event and watches the new champion), or directly in a registry
/// directory when no worker runs (`--registry`, publishing when `--bootstrap-servers` is given).
struct ApprovalTarget: ParsableArguments {
    @OptionGroup var kafka: KafkaOptions

    @Option(help: "The retraining worker's HTTP address (default http://127.0.0.1:9465).")
    var url = "http://127.0.0.1:9465"

    @Option(help: "The worker's API token (default: the DRIFTWATCH_API_TOKEN environment variable).")
    var token: String?

    @Option(help: "Decide in this registry directory instead of through a running worker.")
    var registry: String?

    @Option(help: "The model-versions topic (with --registry and --bootstrap-servers).")
    var modelVersionsTopic = "model-versions"

    @Option(help: "Who decides (recorded in the event; default: $USER).")
    var by: String?

    var decider: String { by ?? ProcessInfo.processInfo.environment["USER"].map { "\($0) (driftwatch CLI)" } ?? "driftwatch CLI" }

    /// Sends the decision to the worker; the event it answers with.
    func post(_ path: String, body: JSONValue, command: String) async throws -> JSONValue {
        guard let token = token ?? ProcessInfo.processInfo.environment["DRIFTWATCH_API_TOKEN"], !token.isEmpty else {
            throw ValidationError("the worker needs its API token: --token or DRIFTWATCH_API_TOKEN")
        }
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        guard let address = URL(string: base + path) else { throw ValidationError("--url \(url) is not a URL") }
        var request = URLRequest(url: address)
        request.httpMethod = "POST"
        request.httpBody = Data(body.serialized().utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.timeoutInterval = 30
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            StandardError.emit("driftwatch \(command): the worker at \(url) did not answer: \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let answer = try? JSONValue.parse(Array(data))
        guard status == 200, let answer else {
            StandardError.emit("driftwatch \(command): HTTP \(status): \(answer?["error"]?.stringValue ?? String(decoding: data, as: UTF8.self))\n")
            throw ExitCode(status == 401 || status == 403 ? 3 : 1)
        }
        return answer
    }

    /// Publishes a decision made in a registry directory, when a cluster is given.
    func publish(_ event: JSONValue, model: String) async throws {
        guard let registry, kafka.bootstrapServers != nil else { return }
        let connection = try kafka.settings().configuration(defaultBootstrapServers: "127.0.0.1:9092", environment: ProcessInfo.processInfo.environment)
        var settings = RetrainSettings(kafka: connection, registry: registry)
        settings.modelVersionsTopic = modelVersionsTopic
        try await Retrain.publish([event], model: model, settings: settings)
    }
}

/// `driftwatch approve MODEL VERSION`: promotes a challenger waiting for approval (`promotion.approval: manual`).
struct Approve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Approve a pending challenger: it becomes the champion (published on model-versions).",
        discussion: """
            Under promotion.approval: manual the retraining worker registers a validated challenger as pending \
            instead of promoting it. This approves it through the worker (POST /api/models/MODEL/versions/VERSION/approve \
            with the API token), or in a registry directory with --registry when no worker runs.
            """)

    @Argument(help: "The model.") var model: String
    @Argument(help: "The pending version.") var version: String
    @OptionGroup var target: ApprovalTarget

    func run() async throws {
        let event: JSONValue
        if let directory = target.registry {
            do {
                event = try Approvals.approve(ModelRegistry(directory: directory), LabelledStore(directory: directory), model: model, version: version, by: target.decider)
            } catch {
                StandardError.emit("driftwatch approve: \(error)\n")
                throw ExitCode(1)
            }
            try await target.publish(event, model: model)
        } else {
            event = try await target.post("/api/models/\(model)/versions/\(version)/approve", body: .object([("by", .string(target.decider))]), command: "approve")
        }
        StandardError.emit("\(model) version \(version) approved: it is the champion\n")
        print(event.serialized())
    }
}

/// `driftwatch reject MODEL VERSION`: turns a pending challenger down.
struct Reject: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reject a pending challenger (published on model-versions as rejected).")

    @Argument(help: "The model.") var model: String
    @Argument(help: "The pending version.") var version: String
    @Option(help: "Why (recorded in the event).") var reason: String?
    @OptionGroup var target: ApprovalTarget

    func run() async throws {
        let event: JSONValue
        if let directory = target.registry {
            do {
                event = try Approvals.reject(ModelRegistry(directory: directory), LabelledStore(directory: directory), model: model, version: version,
                                             by: target.decider, reason: reason)
            } catch {
                StandardError.emit("driftwatch reject: \(error)\n")
                throw ExitCode(1)
            }
            try await target.publish(event, model: model)
        } else {
            var body: [(String, JSONValue)] = [("by", .string(target.decider))]
            if let reason { body.append(("reason", .string(reason))) }
            event = try await target.post("/api/models/\(model)/versions/\(version)/reject", body: .object(body), command: "reject")
        }
        StandardError.emit("\(model) version \(version) rejected\n")
        print(event.serialized())
    }
}
