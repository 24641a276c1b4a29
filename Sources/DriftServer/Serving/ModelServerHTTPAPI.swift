public import DriftJSON
import DriftLearn
import Foundation
public import Hummingbird
public import Logging

/// The model server's HTTP API (`driftwatch serve`); the full contract is ``ModelServerOpenAPI/document``,
/// served at `/openapi.json`.
///
/// | route | answer |
/// |---|---|
/// | `POST /v1/predict` | one instance: `{"features": {...}, "event_id"?, "label"?}` → its prediction |
/// | `POST /v1/predict/batch` | `{"instances": [...]}` (at most 10,000) → one prediction per instance, in order |
/// | `GET /v1/model` | the champion and shadow served: version, features, classes, registry metrics; counters |
/// | `GET /healthz`, `GET /readyz` | liveness; readiness (a champion is loaded) |
/// | `GET /metrics` | Prometheus text |
/// | `GET /openapi.json` | the OpenAPI 3.0 document |
///
/// With `DRIFTWATCH_API_READ_TOKEN` set, every route but `/healthz` and `/readyz` needs `Authorization: Bearer <token>`.
public enum ModelServerHTTPAPI {
    /// The largest request body accepted (bytes).
    public static let maximumBodyBytes = 16 << 20

    /// The routes over `server`.
    public static func router(server: ModelServer) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ReadAccessMiddleware(access: APIAccess(adminToken: nil, readToken: server.settings.readToken), everyMethod: true))
        router.get("healthz") { _, _ in HTTPResponses.text("ok\n") }
        router.get("readyz") { _, _ in HTTPResponses.text("ready\n") }
        router.get("metrics") { _, _ in
            HTTPResponses.prometheus(ByteBuffer(string: server.metricsText + ProcessMetrics.text()))
        }
        router.get("openapi.json") { _, _ in HTTPResponses.json(ModelServerOpenAPI.document(modelID: server.settings.modelID).serialized(pretty: true)) }
        router.get("v1/model") { _, _ in HTTPResponses.json(server.statusJSON.serialized()) }
        router.post("v1/predict") { request, _ in
            await answer(request, server: server, endpoint: "predict", single: true)
        }
        router.post("v1/predict/batch") { request, _ in
            await answer(request, server: server, endpoint: "batch", single: false)
        }
        return router
    }

    static func answer(_ request: Request, server: ModelServer, endpoint: String, single: Bool) async -> Response {
        let bytes: [UInt8]
        do {
            let buffer = try await request.body.collect(upTo: maximumBodyBytes)
            bytes = Array(buffer.readableBytesView)
        } catch {
            server.refused(endpoint)
            return problem("the body is larger than \(maximumBodyBytes) bytes", status: .contentTooLarge)
        }
        let parsed: PredictionRequest
        do {
            parsed = single ? try PredictionRequest.single(bytes) : try PredictionRequest.batch(bytes)
        } catch {
            server.refused(endpoint)
            return problem(error.reason, status: .badRequest)
        }
        do {
            let answer = try await server.predict(parsed, endpoint: endpoint)
            let results = answer.results.map { result -> JSONValue in
                var members: [(String, JSONValue)] = [
                    ("event_id", .string(result.eventID)), ("label", .string(result.prediction.label)),
                    ("probabilities", .object(result.prediction.probabilities.map { ($0.0, .number($0.1)) })),
                ]
                if let shadow = result.shadow {
                    members.append(("shadow", .object([
                        ("model_version", .string(answer.shadowVersion ?? "")), ("label", .string(shadow.label)),
                        ("probabilities", .object(shadow.probabilities.map { ($0.0, .number($0.1)) })),
                    ])))
                }
                return .object(members)
            }
            var body: [(String, JSONValue)] = [("model_id", .string(server.settings.modelID)), ("model_version", .string(answer.modelVersion))]
            if single, let first = results.first, case .object(let members) = first {
                body += members
            } else {
                body.append(("predictions", .array(results)))
            }
            body.append(("latency_ms", .number(answer.latencyMilliseconds)))
            return HTTPResponses.json(JSONValue.object(body).serialized())
        } catch {
            server.refused(endpoint)
            return problem("the instances could not be scored: \(error)", status: .unprocessableContent)
        }
    }

    static func problem(_ reason: String, status: HTTPResponse.Status) -> Response {
        HTTPResponses.json(JSONValue.object([("error", .string(reason))]).serialized(), status: status)
    }

    /// The server on `host:port` (0: any free port, reported to `onRunning`).
    public static func application(
        server: ModelServer, host: String, port: Int, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        HTTPResponses.application(router(server: server), serverName: "driftwatch-serve", host: host, port: port, logger: logger, onRunning: onRunning)
    }
}
