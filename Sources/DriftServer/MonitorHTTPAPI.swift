import DriftContracts
import DriftJSON
public import DriftMonitor
import Foundation
public import Hummingbird
public import Logging
public import Prometheus

/// The monitor's HTTP API (Hummingbird):
///
/// | route | answer |
/// |---|---|
/// | `GET /healthz` | 200 `ok` while the process serves |
/// | `GET /readyz` | 200 `ready` once the clients run and stage 1 joined its group; 503 otherwise (and while stopping) |
/// | `GET /metrics` | Prometheus text exposition of the registry, ``stateMetrics(_:recentWindowsBytes:)`` and ``ProcessMetrics`` |
/// | `GET /api/models` | the models with retained windows: versions, latest severity, top features; the loaded profiles |
/// | `GET /api/models/{id}/windows[?version=V&limit=N]` | the model's recent drift events (as on `drift-events`), oldest first; 404 for an unknown model |
/// | `GET /api/status` | the service's counters |
/// | `GET /`, `GET /dashboard` | the live dashboard (``MonitorDashboard``) |
///
/// Every route reads. With `api.read_token` set (``APIAccess``), all but `/healthz` and `/readyz` need
/// `Authorization: Bearer <token>`.
public enum MonitorHTTPAPI {
    /// The routes over `service` and `registry`, guarded by `access`.
    public static func router(
        service: MonitorService, registry: PrometheusCollectorRegistry, access: APIAccess = APIAccess(adminToken: nil)
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ReadAccessMiddleware(access: access))
        router.get("healthz") { _, _ in text("ok\n") }
        let dashboard = { @Sendable (_: Request, _: BasicRequestContext) -> Response in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: MonitorDashboard.html)))
        }
        router.get("/", use: dashboard)
        router.get("dashboard", use: dashboard)
        router.get("readyz") { _, _ in
            service.isReady ? text("ready\n") : text("not ready\n", status: .serviceUnavailable)
        }
        router.get("metrics") { _, _ in
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            var buffer = ByteBuffer(bytes: bytes)
            buffer.writeString(stateMetrics(service.status.partitions, recentWindowsBytes: service.recentWindows.storedBytes) + ProcessMetrics.text())
            return HTTPResponses.prometheus(buffer)
        }
        router.get("api/models") { _, _ in
            let models = service.recentWindows.models.map { model -> JSONValue in
                .object([
                    ("model_id", .string(model.modelID)),
                    ("versions", .array(model.versions.map { .string($0) })),
                    ("severity", .string(model.severity.rawValue)),
                    ("latest_window_end", .string(EventTimestamp.format(model.latestWindowEnd))),
                    ("windows", .int(model.windows)),
                    ("top_features", .array(model.topFeatures.map { .string($0) })),
                ])
            }
            let profiles = service.profileKeys.map { JSONValue.string($0) }
            let body = JSONValue.object([("models", JSONValue.array(models)), ("profiles", JSONValue.array(profiles))])
            return json(body.serialized())
        }
        router.get("api/models/:id/windows") { request, context in
            guard let id = context.parameters.get("id") else { return text("a model id is required\n", status: .badRequest) }
            let version = request.uri.queryParameters.get("version")
            var limit: Int?
            if let text = request.uri.queryParameters.get("limit") {
                guard let value = Int(text), value >= 0 else { return Self.text("limit must be a whole number ≥ 0\n", status: .badRequest) }
                limit = value
            }
            guard let windows = service.recentWindows.windows(of: id, version: version, limit: limit) else {
                return text("no windows for model \(id)\n", status: .notFound)
            }
            // Each window is the drift event exactly as published.
            let body = "{\"model_id\":" + JSONValue.string(id).serialized() + ",\"windows\":[" + windows.joined(separator: ",") + "]}"
            return json(body)
        }
        router.get("api/status") { _, _ in
            let status = service.status
            let deadLetters = status.stage1.deadLettered.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, JSONValue.int(Int($0.value))) }
            return json(JSONValue.object([
                ("ready", .bool(service.isReady)),
                ("messages_consumed", .int(Int(status.messagesConsumed))),
                ("inference_accepted", .int(Int(status.stage1.inferenceAccepted))),
                ("feedback_accepted", .int(Int(status.stage1.feedbackAccepted))),
                ("labels_joined", .int(Int(status.stage1.labelsJoined))),
                ("label_requests", .int(Int(status.labelRequestsProduced))),
                ("dead_letters", .object(deadLetters)),
                ("profiles_refused", .object(status.limitsReached.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int(Int($0.value))) })),
                ("partials_produced", .int(Int(status.partialsProduced))),
                ("drift_events_produced", .int(Int(status.driftEventsProduced))),
                ("late_partials", .int(Int(status.latePartials))),
                ("duplicate_partials", .int(Int(status.duplicatePartials))),
                ("timed_out_windows", .int(Int(status.timedOutWindows))),
                ("assigned_partitions", .array(status.assignedPartitions.map { .string($0.description) })),
                ("worker", .string(status.worker)),
                ("checkpointing", .bool(service.settings.checkpointing)),
                ("checkpoints", .object([
                    ("written", .int(Int(status.checkpointsWritten))), ("bytes", .int(Int(status.checkpointBytes))),
                    ("failures", .int(Int(status.checkpointFailures))), ("restored", .int(Int(status.checkpointsRestored))),
                    ("refused", .int(Int(status.checkpointsRefused))),
                ])),
                ("suppressed_drift_events", .int(Int(status.suppressedDriftEvents))),
                ("records_lost", .int(Int(status.recordsLost))),
                ("restore_merge_failures", .int(Int(status.stage1.restoreMergeFailures))),
                ("unowned_messages_dropped", .int(Int(status.unownedMessagesDropped))),
                ("partitions", .array(status.partitions.map(Self.json))),
            ]).serialized())
        }
        return router
    }

    /// An application serving ``router(service:registry:)`` on `host:port`; `onRunning` gets the bound port
    /// (useful with port 0).
    public static func application(
        service: MonitorService, registry: PrometheusCollectorRegistry, access: APIAccess = APIAccess(adminToken: nil), host: String, port: Int,
        logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        HTTPResponses.application(router(service: service, registry: registry, access: access), serverName: "driftwatch", host: host, port: port, logger: logger, onRunning: onRunning)
    }

    /// What the monitor's memory holds, at scrape time: `driftwatch_state_bytes{stage}` and
    /// `driftwatch_open_windows{stage}`, the owned partitions' state as of their last checkpoints summed per
    /// stage (absent before the first checkpoint), and `driftwatch_recent_windows_bytes`, the recent drift
    /// events kept for the API.
    static func stateMetrics(_ partitions: [PartitionStatus], recentWindowsBytes: Int) -> String {
        var out = PrometheusText()
        out.family("driftwatch_recent_windows_bytes", "gauge", "Bytes of the recent drift events kept for the API (compressed JSON).")
        out.sample("driftwatch_recent_windows_bytes", recentWindowsBytes)
        for (name, help, figure) in [
            ("driftwatch_state_bytes", "Bytes of the owned partitions' state at their last checkpoints.", { (p: PartitionStatus) in p.stateBytes }),
            ("driftwatch_open_windows", "Windows open in the owned partitions at their last checkpoints.", { (p: PartitionStatus) in p.openWindows }),
        ] {
            var sums: [PartitionStatus.Stage: Int] = [:]
            for partition in partitions { if let value = figure(partition) { sums[partition.stage, default: 0] += value } }
            guard !sums.isEmpty else { continue }
            out.family(name, "gauge", help)
            for (stage, sum) in sums.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { out.sample(name, sum, labels: [("stage", stage.rawValue)]) }
        }
        return out.text
    }

    /// One owned partition in `/api/status` (absent figures are null).
    static func json(_ partition: PartitionStatus) -> JSONValue {
        func int(_ value: Int64?) -> JSONValue { value.map { .int(Int($0)) } ?? .null }
        return .object([
            ("stage", .string(partition.stage.rawValue)), ("topic", .string(partition.topic)), ("partition", .int(Int(partition.partition))),
            ("next_offset", int(partition.nextOffset)), ("lag", int(partition.lag)),
            ("checkpoint_offset", int(partition.checkpointOffset)),
            ("checkpoint_at", partition.checkpointAt.map { .string(EventTimestamp.format($0)) } ?? .null),
            ("state_bytes", int(partition.stateBytes.map(Int64.init))), ("open_windows", int(partition.openWindows.map(Int64.init))),
            ("restored_from_offset", int(partition.restoredFromOffset)),
            ("waiting_for", .array(partition.waitingFor.map { .string($0) })),
            ("refused_checkpoints", .array(partition.refusedCheckpoints.map { .string($0) })),
        ])
    }

    private static func text(_ body: String, status: HTTPResponse.Status = .ok) -> Response { HTTPResponses.text(body, status: status) }

    private static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response { HTTPResponses.json(body, status: status) }
}
