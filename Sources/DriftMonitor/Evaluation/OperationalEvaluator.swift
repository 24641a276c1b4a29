import DriftStats

/// The operational part of a window's evaluation: the model server's latency quantiles (from `latency_ms`)
/// and its error rate (events with `error`), against the policy's absolute thresholds.
enum OperationalEvaluator {
    static func evaluate(_ window: OperationalPartial, count: UInt64, policy: MonitorPolicy) -> OperationalEvaluation? {
        guard window.latency != nil || window.errors > 0 else { return nil }
        var metrics = MetricList()
        var distribution: FeatureDistribution? = nil
        var p99: Double? = nil
        if let latency = window.latency, latency.count > 0 {
            let quantiles = latency.sketch.quantiles([0.5, 0.95, 0.99])
            metrics.set("latency_p50_ms", quantiles[0])
            metrics.set("latency_p95_ms", quantiles[1])
            metrics.set("latency_p99_ms", quantiles[2])
            metrics.set("latency_mean_ms", latency.moments.mean)
            metrics.set("latency_max_ms", latency.moments.max)
            metrics.set("latency_count", integer: Int(latency.count))
            p99 = quantiles[2]
            distribution = .numeric(latency)
        }
        let errorRate = count > 0 ? Double(window.errors) / Double(count) : nil
        metrics.set("errors", integer: Int(window.errors))
        metrics.set("error_rate", errorRate)
        var rules = TriggerSet()
        if count >= UInt64(policy.minimumCount) {
            rules.graded("latency_p99_ms", p99, warning: policy.latencyP99Warning, critical: policy.latencyP99Critical)
            rules.graded("error_rate", errorRate, warning: policy.errorRateWarning, critical: policy.errorRateCritical)
        }
        return OperationalEvaluation(severity: rules.severity, metrics: metrics, triggers: rules.triggers, distribution: distribution)
    }
}
