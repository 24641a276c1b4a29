import DriftContracts
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
/// | `POST /api/retrain/{model}` | a training by hand: 202 with the decision when it starts, 409 when the policy refuses (a training running, no champion) |
public enum RetrainHTTPAPI {
    /// The routes over `service`.
    public static func router(service: RetrainService) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("healthz") { _, _ in text("ok\n") }
        router.get("readyz") { _, _ in service.isReady ? text("ready\n") : text("not ready\n", status: .serviceUnavailable) }
        router.get("metrics") { _, _ in
            HTTPResponses.prometheus(ByteBuffer(string: metrics(service.status)))
        }
        router.get("api/retrain/status") { _, _ in json(statusJSON(service.status).serialized()) }
        let token = service.settings.apiToken.flatMap(BearerToken.init)
        router.post("api/retrain/:model") { request, context in
            if let token, let refusal = token.refusal(request) { return refusal }
            guard let model = context.parameters.get("model") else { return text("a model id is required\n", status: .badRequest) }
            let requester = request.headers[.userAgent].map { "HTTP POST (\($0))" } ?? "HTTP POST"
            let decision = service.requestTraining(model, by: requester)
            return json(decisionJSON(decision).serialized(), status: decision.action == "train" ? .accepted : .conflict)
        }
        router.get("api/approvals") { _, _ in
            json(JSONValue.object([("pending", .array(service.status.pending.map(pendingJSON)))]).serialized())
        }
        router.post("api/models/:model/versions/:version/approve") { request, context in
            await decide(request, context, service: service, token: token, approve: true)
        }
        router.post("api/models/:model/versions/:version/reject") { request, context in
            await decide(request, context, service: service, token: token, approve: false)
        }
        return router
    }

    /// The largest body an approval or rejection may have.
    static let maximumDecisionBodyBytes = 16_384

    /// Approves or rejects a pending challenger for an authenticated request whose optional JSON body may name
    /// who decides (`by`) and why (`reason`).
    static func decide(_ request: Request, _ context: BasicRequestContext, service: RetrainService, token: BearerToken?, approve: Bool) async -> Response {
        guard let token else {
            return json(#"{"error":"approvals over HTTP need a token: set api.token (DRIFTWATCH_API_TOKEN) on the retraining worker"}"#, status: .forbidden)
        }
        if let refusal = token.refusal(request) { return refusal }
        guard let model = context.parameters.get("model"), let version = context.parameters.get("version") else {
            return json(#"{"error":"a model id and a version are required"}"#, status: .badRequest)
        }
        var by = "HTTP API"
        var reason: String? = nil
        do {
            let body = try await request.body.collect(upTo: maximumDecisionBodyBytes)
            if body.readableBytes > 0 {
                guard let value = try? JSONValue.parse(Array(body.readableBytesView)), value.objectValue != nil else {
                    return json(#"{"error":"the body must be a JSON object: {\"by\": \"name\", \"reason\": \"text\"}"}"#, status: .badRequest)
                }
                if let name = value["by"]?.stringValue, !name.isEmpty { by = String(name.prefix(200)) }
                reason = value["reason"]?.stringValue.map { String($0.prefix(1_000)) }
            }
        } catch {
            return json(#"{"error":"the body is larger than \#(maximumDecisionBodyBytes) bytes"}"#, status: .contentTooLarge)
        }
        do {
            let event = approve ? try await service.approve(model, version: version, by: by)
                                : try await service.reject(model, version: version, by: by, reason: reason)
            return json(event.serialized())
        } catch let refusal as Approvals.Refusal {
            return json(JSONValue.object([("error", .string(refusal.reason))]).serialized(), status: refusal.code == "expired" ? .conflict : .notFound)
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
