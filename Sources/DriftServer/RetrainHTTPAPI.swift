import DriftContracts
import DriftRegistry
public import DriftJSON
public import DriftRetrain
import Foundation
public import Hummingbird
public import Logging

/// The retraining worker's HTTP API:
///
/// | route | answer |
/// |---|---|
/// | `GET /healthz` | 200 `ok` while the process serves |
/// | `GET /readyz` | 200 once the Kafka clients run; 503 otherwise |
/// | `GET /metrics` | Prometheus text: events consumed, labelled rows, trainings, promotions, rejections, rollbacks, failures |
/// | `GET /api/retrain/status` | counters, each model (champion, training now, new labelled rows, watched version) and the recent decisions with their reasons |
/// | `GET /api/approvals` | the challengers awaiting approval |
/// | `POST /api/retrain/{model}` | a training by hand: 202 with the decision when it starts, 409 when the policy refuses (a training running, no champion) |
/// | `POST /api/models/{model}/versions/{version}/approve` / `reject` | decides on a pending challenger: 200 with the model-version event |
/// | `POST /api/models/{model}/versions/{version}/promote` | makes a registered version the champion by hand |
/// | `POST /api/models/{model}/rollback` | restores the previous champion (or `{"to": VERSION}`): 200 with both events |
///
/// Every `POST` needs `Authorization: Bearer <api.token>` (401 without, 403 with a wrong one, 403 when no token is
/// configured); its optional JSON body (at most ``maximumActionBodyBytes``) may say who acts (`by`) and why
/// (`reason`). With `api.read_token` set, the `GET` routes but the probes need a token too (``APIAccess``).
public enum RetrainHTTPAPI {
    /// The routes over `service`.
    public static func router(service: RetrainService) -> Router<BasicRequestContext> {
        let access = APIAccess(adminToken: service.settings.apiToken, readToken: service.settings.apiReadToken)
        let router = Router()
        router.add(middleware: ReadAccessMiddleware(access: access))
        router.get("healthz") { _, _ in text("ok\n") }
        router.get("readyz") { _, _ in service.isReady ? text("ready\n") : text("not ready\n", status: .serviceUnavailable) }
        router.get("metrics") { _, _ in
            HTTPResponses.prometheus(ByteBuffer(string: metrics(service.status) + ProcessMetrics.text()))
        }
        router.get("api/retrain/status") { _, _ in json(statusJSON(service.status).serialized()) }
        router.get("api/approvals") { _, _ in
            json(JSONValue.object([("pending", .array(service.status.pending.map(pendingJSON)))]).serialized())
        }
        router.post("api/retrain/:model") { request, context in
            await act(request, context, access: access, action: "retraining") { model, _, action in
                let requester = request.headers[.userAgent].map { "HTTP POST (\($0))" } ?? "HTTP POST"
                let decision = service.requestTraining(model, by: action.by == "HTTP API" ? requester : action.by)
                return json(decisionJSON(decision).serialized(), status: decision.action == "train" ? .accepted : .conflict)
            }
        }
        router.post("api/models/:model/versions/:version/approve") { request, context in
            await act(request, context, access: access, action: "approval") { model, version, action in
                json(try await service.approve(model, version: version ?? "", by: action.by).serialized())
            }
        }
        router.post("api/models/:model/versions/:version/reject") { request, context in
            await act(request, context, access: access, action: "rejection") { model, version, action in
                json(try await service.reject(model, version: version ?? "", by: action.by, reason: action.reason).serialized())
            }
        }
        router.post("api/models/:model/versions/:version/promote") { request, context in
            await act(request, context, access: access, action: "promotion") { model, version, action in
                json(try await service.promote(model, version: version ?? "", by: action.by, reason: action.reason).serialized())
            }
        }
        router.post("api/models/:model/rollback") { request, context in
            await act(request, context, access: access, action: "rollback") { model, _, action in
                let events = try await service.rollback(model, to: action.target, by: action.by, reason: action.reason)
                return json(JSONValue.object([("events", .array(events))]).serialized())
            }
        }
        return router
    }

    /// The largest body a state-changing request may have.
    public static let maximumActionBodyBytes = 16_384

    /// Who acts and why, from a state-changing request's optional JSON body (`by`, `reason`, `to`).
    struct Action {
        var by = "HTTP API"
        var reason: String?
        var target: String?
    }

    /// Runs a state-changing request: authenticates it, reads its body, then `perform`s it with the route's model
    /// (and version) and maps refusals to answers (404 unknown, 409 conflicts, 500 otherwise).
    static func act(
        _ request: Request, _ context: BasicRequestContext, access: APIAccess, action name: String,
        perform: (String, String?, Action) async throws -> Response
    ) async -> Response {
        if let refusal = access.refusalOfChange(request, action: name) { return refusal }
        guard let model = context.parameters.get("model"), !model.isEmpty else {
            return json(#"{"error":"a model id is required"}"#, status: .badRequest)
        }
        var action = Action()
        do {
            let bytes = try await request.body.collect(upTo: maximumActionBodyBytes)
            if bytes.readableBytes > 0 {
                guard let value = try? JSONValue.parse(Array(bytes.readableBytesView)), value.objectValue != nil else {
                    return json(#"{"error":"the body must be a JSON object: {\"by\": \"name\", \"reason\": \"text\"}"}"#, status: .badRequest)
                }
                if let name = value["by"]?.stringValue, !name.isEmpty { action.by = String(name.prefix(200)) }
                action.reason = value["reason"]?.stringValue.map { String($0.prefix(1_000)) }
                action.target = value["to"]?.stringValue.map { String($0.prefix(200)) }
            }
        } catch {
            return json(#"{"error":"the body is larger than \#(maximumActionBodyBytes) bytes"}"#, status: .contentTooLarge)
        }
        do {
            return try await perform(model, context.parameters.get("version"), action)
        } catch let refusal as Approvals.Refusal {
            let status: HTTPResponse.Status = switch refusal.code {
            case "not_found": .notFound
            default: .conflict
            }
            return json(JSONValue.object([("error", .string(refusal.reason))]).serialized(), status: status)
        } catch let refusal as Rollback.Refusal {
            return json(JSONValue.object([("error", .string(refusal.reason))]).serialized(), status: .conflict)
        } catch let error as RegistryError {
            return json(JSONValue.object([("error", .string("\(error)"))]).serialized(), status: .notFound)
        } catch {
            return json(JSONValue.object([("error", .string("\(error)"))]).serialized(), status: .internalServerError)
        }
    }

    static func pendingJSON(_ pending: Approvals.Pending) -> JSONValue {
        .object([
            ("model_id", .string(pending.model)), ("version", .string(pending.version)),
            ("since", .string(EventTimestamp.format(pending.since))), ("expires_at", .string(EventTimestamp.format(pending.expiresAt))),
            ("reasons", .array(pending.reasons.map(JSONValue.string))),
        ])
    }

    /// The server over `service`, on `host:port` (0: any free port, reported to `onRunning`).
    public static func application(
        service: RetrainService, host: String, port: Int, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        HTTPResponses.application(router(service: service), serverName: "driftwatch-retrain", host: host, port: port, logger: logger, onRunning: onRunning)
    }

    /// `/api/retrain/status`.
    public static func statusJSON(_ status: RetrainStatus) -> JSONValue {
        .object([
            ("inference_consumed", .int(Int(status.inferenceConsumed))), ("feedback_consumed", .int(Int(status.feedbackConsumed))),
            ("drift_events_consumed", .int(Int(status.driftEventsConsumed))), ("labelled_rows", .int(Int(status.labelledRows))),
            ("rejected_events", .int(Int(status.rejectedEvents))), ("trainings", .int(Int(status.trainings))),
            ("promotions", .int(Int(status.promotions))), ("rejections", .int(Int(status.rejections))),
            ("rollbacks", .int(Int(status.rollbacks))), ("failures", .int(Int(status.failures))),
            ("approvals", .object([
                ("pending", .int(status.pending.count)), ("requested", .int(Int(status.pendingApprovals))), ("approved", .int(Int(status.approvals))),
                ("rejected", .int(Int(status.approvalRejections))), ("expired", .int(Int(status.approvalExpiries))),
            ])),
            ("pending", .array(status.pending.map(pendingJSON))),
            ("models", .array(status.models.map { model in
                .object([
                    ("model_id", .string(model.model)), ("champion", model.champion.map(JSONValue.string) ?? .null),
                    ("training", .bool(model.training)),
                    ("last_training_started", model.lastTrainingStarted.map { .string(EventTimestamp.format($0)) } ?? .null),
                    ("new_labelled", .int(model.newLabelled)), ("watching_version", model.watching.map(JSONValue.string) ?? .null),
                ])
            })),
            ("decisions", .array(status.decisions.map(decisionJSON))),
        ])
    }

    static func decisionJSON(_ decision: RetrainDecisionLog) -> JSONValue {
        .object([
            ("at", .string(EventTimestamp.format(decision.at))), ("model_id", .string(decision.model)), ("action", .string(decision.action)),
            ("trigger", .string(decision.trigger)), ("reason", .string(decision.reason)),
        ])
    }

    /// Prometheus text exposition of the counters.
    static func metrics(_ status: RetrainStatus) -> String {
        var out = PrometheusText()
        out.counter("driftwatch_retrain_inference_events_total", "Inference events consumed.", status.inferenceConsumed)
        out.counter("driftwatch_retrain_feedback_events_total", "Feedback events consumed.", status.feedbackConsumed)
        out.counter("driftwatch_retrain_drift_events_total", "Drift events consumed.", status.driftEventsConsumed)
        out.counter("driftwatch_retrain_labelled_rows_total", "Labelled rows stored.", status.labelledRows)
        out.counter("driftwatch_retrain_rejected_events_total", "Events that could not be used.", status.rejectedEvents)
        out.counter("driftwatch_retrain_trainings_total", "Trainings started.", status.trainings)
        out.counter("driftwatch_retrain_promotions_total", "Challengers promoted.", status.promotions)
        out.counter("driftwatch_retrain_rejections_total", "Challengers rejected.", status.rejections)
        out.counter("driftwatch_retrain_rollbacks_total", "Automatic rollbacks.", status.rollbacks)
        out.counter("driftwatch_retrain_failures_total", "Trainings that failed.", status.failures)
        out.counter("driftwatch_retrain_approvals_requested_total", "Challengers that waited for approval.", status.pendingApprovals)
        out.counter("driftwatch_retrain_approvals_total", "Pending challengers approved.", status.approvals)
        out.counter("driftwatch_retrain_approval_rejections_total", "Pending challengers rejected by hand.", status.approvalRejections)
        out.counter("driftwatch_retrain_approval_expiries_total", "Pending challengers that expired.", status.approvalExpiries)
        out.family("driftwatch_retrain_pending_approvals", "gauge", "Challengers awaiting approval.")
        out.sample("driftwatch_retrain_pending_approvals", Double(status.pending.count), labels: [])
        out.family("driftwatch_retrain_training", "gauge", "Whether a training of the model runs.")
        for model in status.models { out.sample("driftwatch_retrain_training", model.training ? 1 : 0, labels: [("model", model.model)]) }
        return out.text
    }

    private static func text(_ body: String, status: HTTPResponse.Status = .ok) -> Response { HTTPResponses.text(body, status: status) }

    private static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response { HTTPResponses.json(body, status: status) }
}
