public import CoreMetrics
import DriftContracts
import Synchronization

/// The monitor's Prometheus-style metrics, recorded through swift-metrics into the factory it is given (the
/// `driftwatch monitor` command gives swift-prometheus's; tests give their own — nothing global).
///
/// | metric | type | labels |
/// |---|---|---|
/// | `driftwatch_events_consumed_total` | counter | `topic` |
/// | `driftwatch_events_accepted_total` | counter | `type` (`inference`, `feedback`) |
/// | `driftwatch_dead_letters_total` | counter | `reason` |
/// | `driftwatch_labels_joined_total` | counter | |
/// | `driftwatch_label_requests_total` | counter | |
/// | `driftwatch_model_latency_ms` | gauge | `model`, `version`, `quantile` (`0.5`, `0.95`, `0.99`) |
/// | `driftwatch_model_error_rate` | gauge | `model`, `version` |
/// | `driftwatch_model_performance` | gauge | `model`, `version`, `metric` (accuracy, f1_macro, roc_auc, mae, rmse, r2, …) |
/// | `driftwatch_feature_out_of_range_share`, `driftwatch_feature_missing_rate` | gauge | `model`, `version`, `feature` |
/// | `driftwatch_partials_produced_total` | counter | |
/// | `driftwatch_drift_events_total` | counter | `model`, `severity` |
/// | `driftwatch_consumer_lag` | gauge | `topic`, `partition` |
/// | `driftwatch_feature_psi`, `driftwatch_feature_ks_statistic`, `driftwatch_feature_ks_pvalue`, `driftwatch_feature_js_distance` | gauge | `model`, `version`, `feature` |
/// | `driftwatch_feature_severity`, `driftwatch_model_severity` | gauge (0 NORMAL, 1 RECOVERED, 2 WARNING, 3 CRITICAL) | `model`, `version`[, `feature`] |
/// | `driftwatch_window_events` | gauge | `model`, `version` |
/// | `driftwatch_window_close_latency_seconds` | histogram | |
/// | `driftwatch_model_versions_total` | counter | `outcome` (`loaded`, `no_profile`, `invalid`, `refused`) |
/// | `driftwatch_limits_reached_total` | counter | `limit` (``MonitorLimits/Name``: a refused profile, or an event dead-lettered by a limit) |
/// | `driftwatch_checkpoint_records_total`, `driftwatch_checkpoint_bytes_total` | counter | `stage` |
/// | `driftwatch_checkpoint_seconds` | histogram | `stage` |
/// | `driftwatch_checkpoint_failures_total` | counter | `stage` |
/// | `driftwatch_checkpoints_refused_total` | counter | `stage` (damaged records found on restore, never used) |
/// | `driftwatch_checkpoints_restored_total` | counter | `stage` |
/// | `driftwatch_drift_events_suppressed_total` | counter | (already published before a restart) |
///
/// Counters are updated once per consumed batch from the stage's own counters (no atomics per event).
public final class MonitorMetrics: Sendable {
    private let factory: any MetricsFactory
    private let handles = Mutex(Handles())
    private let windowCloseLatency: CoreMetrics.Timer

    private struct Handles {
        var counters: [String: Counter] = [:]
        var gauges: [String: Gauge] = [:]
        var timers: [String: CoreMetrics.Timer] = [:]
        var reported = Stage1Counters()
    }

    public init(factory: any MetricsFactory) {
        self.factory = factory
        windowCloseLatency = CoreMetrics.Timer(label: "driftwatch_window_close_latency_seconds", dimensions: [], factory: factory)
    }

    /// Counts a consumed batch.
    public func consumed(_ count: Int, topic: String) {
        counter("driftwatch_events_consumed_total", [("topic", topic)]).increment(by: Int64(count))
    }

    /// Brings the counters derived from stage 1's totals up to `counters`.
    public func stage1(_ counters: Stage1Counters) {
        let previous = handles.withLock { state -> Stage1Counters in
            defer { state.reported = counters }
            return state.reported
        }
        increment("driftwatch_events_accepted_total", [("type", "inference")], counters.inferenceAccepted, previous.inferenceAccepted)
        increment("driftwatch_events_accepted_total", [("type", "feedback")], counters.feedbackAccepted, previous.feedbackAccepted)
        increment("driftwatch_labels_joined_total", [], counters.labelsJoined, previous.labelsJoined)
        increment("driftwatch_partials_produced_total", [], counters.partialsEmitted, previous.partialsEmitted)
        increment("driftwatch_label_requests_total", [], counters.labelRequests, previous.labelRequests)
        for (reason, count) in counters.deadLettered {
            increment("driftwatch_dead_letters_total", [("reason", reason.rawValue)], count, previous.deadLettered[reason] ?? 0)
            if let limit = MonitorLimits.Name(deadLetter: reason) {
                increment("driftwatch_limits_reached_total", [("limit", limit.rawValue)], count, previous.deadLettered[reason] ?? 0)
            }
        }
    }

    /// Counts a profile refused by a limit.
    public func limitReached(_ limit: MonitorLimits.Name) {
        counter("driftwatch_limits_reached_total", [("limit", limit.rawValue)]).increment()
    }

    /// Records a published drift event: severities, per-feature PSI / KS / JS, the window-close latency.
    public func published(_ event: DriftEvent, at now: Int64) {
        let model = [("model", event.modelID), ("version", event.modelVersion)]
        counter("driftwatch_drift_events_total", [("model", event.modelID), ("severity", event.severity.rawValue)]).increment()
        gauge("driftwatch_model_severity", model).record(Self.level(event.severity))
        gauge("driftwatch_window_events", model).record(Double(event.window.count))
        for feature in event.features {
            let labels = model + [("feature", feature.name)]
            gauge("driftwatch_feature_severity", labels).record(Self.level(feature.severity))
            for name in ["psi", "ks_statistic", "ks_pvalue", "js_distance"] {
                if let value = feature.metrics[name], value.isFinite { gauge("driftwatch_feature_\(name)", labels).record(value) }
            }
            if let share = feature.outOfRangeShare { gauge("driftwatch_feature_out_of_range_share", labels).record(share) }
            if let rate = feature.missingRate { gauge("driftwatch_feature_missing_rate", labels).record(rate) }
        }
        if let operations = event.operations {
            for (quantile, name) in [("0.5", "latency_p50_ms"), ("0.95", "latency_p95_ms"), ("0.99", "latency_p99_ms")] {
                if let value = operations.metrics[name], value.isFinite { gauge("driftwatch_model_latency_ms", model + [("quantile", quantile)]).record(value) }
            }
            if let rate = operations.metrics["error_rate"], rate.isFinite { gauge("driftwatch_model_error_rate", model).record(rate) }
        }
        for (name, value) in event.performance?.metrics.numbers ?? [] where value.isFinite {
            gauge("driftwatch_model_performance", model + [("metric", name)]).record(value)
        }
        if event.window.closedAt != .min, now >= event.window.closedAt {
            windowCloseLatency.recordMilliseconds(now - event.window.closedAt)
        }
    }

    /// Counts a model-version event by what became of it: `loaded`, `no_profile` or `invalid`.
    public func modelVersion(_ outcome: String) {
        counter("driftwatch_model_versions_total", [("outcome", outcome)]).increment()
    }

    /// Records a checkpoint: records written, their bytes, and how long it took (flush and write).
    public func checkpoint(stage: String, records: Int, bytes: Int, duration: Duration) {
        counter("driftwatch_checkpoint_records_total", [("stage", stage)]).increment(by: Int64(records))
        counter("driftwatch_checkpoint_bytes_total", [("stage", stage)]).increment(by: Int64(bytes))
        let timer = handle(\.timers, "driftwatch_checkpoint_seconds", [("stage", stage)]) {
            CoreMetrics.Timer(label: "driftwatch_checkpoint_seconds", dimensions: [("stage", stage)], factory: factory)
        }
        let (seconds, attoseconds) = duration.components
        timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Counts a checkpoint event of a stage: `failures`, `refused` (damaged records) or `restored`.
    public func checkpointEvent(stage: String, _ event: String, count: Int = 1) {
        let label = event == "failures" ? "driftwatch_checkpoint_failures_total" : "driftwatch_checkpoints_\(event)_total"
        counter(label, [("stage", stage)]).increment(by: Int64(count))
    }

    /// Counts evaluations not published because their drift event was already on the topic.
    public func suppressed(_ count: Int) {
        counter("driftwatch_drift_events_suppressed_total", []).increment(by: Int64(count))
    }

    /// Records the consumer lag of each partition.
    public func lag(topic: String, partition: Int32, messages: Int64) {
        gauge("driftwatch_consumer_lag", [("topic", topic), ("partition", String(partition))]).record(Double(messages))
    }

    private func increment(_ label: String, _ dimensions: [(String, String)], _ now: UInt64, _ before: UInt64) {
        guard now > before else { return }
        counter(label, dimensions).increment(by: Int64(clamping: now - before))
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        handle(\.counters, label, dimensions) { Counter(label: label, dimensions: dimensions, factory: factory) }
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)]) -> Gauge {
        handle(\.gauges, label, dimensions) { Gauge(label: label, dimensions: dimensions, factory: factory) }
    }

    /// The handle of (`label`, `dimensions`) in `table`, made on first use.
    private func handle<Handle: Sendable>(
        _ table: WritableKeyPath<Handles, [String: Handle]>, _ label: String, _ dimensions: [(String, String)], make: () -> Handle
    ) -> Handle {
        let key = ([label] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: "\u{0}")
        return handles.withLock { state in
            if let existing = state[keyPath: table][key] { return existing }
            let created = make()
            state[keyPath: table][key] = created
            return created
        }
    }

    /// The gauge value of a severity: 0 NORMAL, 1 RECOVERED, 2 WARNING, 3 CRITICAL.
    static func level(_ severity: Severity) -> Double {
        switch severity {
        case .normal: 0
        case .recovered: 1
        case .warning: 2
        case .critical: 3
        }
    }
}
