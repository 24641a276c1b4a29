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

    /// Makes the decision `action` (`approve`, `reject` or `promote`) on `model` `version`: in the registry directory with
    /// `local` (publishing the event when a cluster is given), or through the worker; prints the event.
    func decide(_ action: String, model: String, version: String, reason: String?,
                local: (ModelRegistry, LabelledStore) throws -> JSONValue) async throws {
        let event: JSONValue
        if let registry {
            do {
                event = try local(ModelRegistry(directory: registry), LabelledStore(directory: registry))
            } catch {
                StandardError.emit("driftwatch \(action): \(error)\n")
                throw ExitCode(1)
            }
            if kafka.bootstrapServers != nil {
                let connection = try kafka.settings().configuration(defaultBootstrapServers: "127.0.0.1:9092", environment: ProcessInfo.processInfo.environment)
                var settings = RetrainSettings(kafka: connection, registry: registry)
                settings.modelVersionsTopic = modelVersionsTopic
                try await Retrain.publish([event], model: model, settings: settings)
            }
        } else {
            var body: [(String, JSONValue)] = [("by", .string(decider))]
            if let reason { body.append(("reason", .string(reason))) }
            event = try await post("/api/models/\(model)/versions/\(version)/\(action)", body: .object(body), command: action)
        }
        let outcome = switch action {
        case "approve": "approved: it is the champion"
        case "promote": "promoted: it is the champion"
        default: "rejected"
        }
        StandardError.emit("\(model) version \(version) \(outcome)\n")
        print(event.serialized())
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
        try await target.decide("approve", model: model, version: version, reason: nil) { registry, store in
            try Approvals.approve(registry, store, model: model, version: version, by: target.decider)
        }
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
        try await target.decide("reject", model: model, version: version, reason: reason) { registry, store in
            try Approvals.reject(registry, store, model: model, version: version, by: target.decider, reason: reason)
        }
    }
}

/// `driftwatch promote MODEL VERSION`: makes a registered version the champion by hand (an earlier champion, a
/// rejected challenger; a pending one is approved).
struct Promote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a registered version the champion by hand (published on model-versions as champion).",
        discussion: """
            Through the retraining worker (POST /api/models/MODEL/versions/VERSION/promote with the API token), or in \
            a registry directory with --registry when no worker runs.
            """)

    @Argument(help: "The model.") var model: String
    @Argument(help: "The registered version to promote.") var version: String
    @Option(help: "Why (recorded in the event).") var reason: String?
    @OptionGroup var target: ApprovalTarget

    func run() async throws {
        try await target.decide("promote", model: model, version: version, reason: reason) { registry, store in
            try ManualPromotion.run(registry, store, model: model, version: version, by: target.decider, reason: reason)
        }
    }
}
