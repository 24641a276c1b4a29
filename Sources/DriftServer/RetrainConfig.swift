import DriftMonitor
public import DriftRetrain
import DriftLearn
import Foundation

/// `driftwatch retrain --config retrain.yaml`: nested YAML mappings whose dotted paths are the keys below;
/// flags override the file. Unknown keys and bad values are errors naming the key and the file.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `group` | driftwatch-retrain | consumer group |
/// | `topics.inference` / `topics.feedback` / `topics.drift` / `topics.model_versions` | inference-events / feedback-events / drift-events / model-versions | topics (`feedback: off` to read labels from inference events only) |
/// | `trigger.severities` | CRITICAL | drift severities that trigger (comma-separated) |
/// | `trigger.metrics` | any | drift metrics that trigger (psi, ks, js, kl, chi2, wasserstein, …; comma-separated) |
/// | `trigger.performance_metric` / `trigger.performance_drop` | accuracy / 0.10 | relative fall below the baseline that triggers |
/// | `trigger.schedule` | off | retrain at least this often (1h, 1d) |
/// | `trigger.cooldown` | 30m | no automatic training within this long after the last |
/// | `trigger.min_new_labelled` | 500 | new labelled events needed since the last training |
/// | `promotion.primary_metric` | accuracy | accuracy, f1 or roc_auc |
/// | `promotion.margin` | 0 | the challenger must beat the champion by this on the held-out slice |
/// | `promotion.guard_tolerance` | 0.02 | how far another metric may fall |
/// | `promotion.approval` | automatic | `manual`: a validated challenger waits as `pending` until `driftwatch approve` / `reject` or an authenticated POST decides |
/// | `promotion.approval_timeout` | 24h | how long a pending challenger waits before it expires (rejected) |
/// | `api.token` | none | the bearer token of state-changing HTTP requests (retrain now, approve, reject, promote, roll back; refused without it); best set as DRIFTWATCH_API_TOKEN |
/// | `api.read_token` | none | when set, read requests (`/api`, `/metrics`) need it or `api.token`; best set as DRIFTWATCH_API_READ_TOKEN |
/// | `rollback.metric` / `rollback.margin` / `rollback.windows` / `rollback.consecutive` | accuracy / 0.05 / 5 / 2 | automatic rollback |
/// | `training.folds` / `training.holdout_share` / `training.C` / `training.class_weight` | 5 / 0.2 / 1.0 / none | the learner |
/// | `training.recent_rows` | 100000 | recent labelled rows kept per model (the newest) |
/// | `training.max_old_rows` | all | rows of the last training mixed with the new ones (the newest) |
/// | `training.reference` | all | the new version's reference profile: `all` (the training mixture) or `recent` (the new rows only) |
public struct RetrainConfig: Sendable {
    /// Every key.
    public static let keys: Set<String> = [
        "group", "topics.inference", "topics.feedback", "topics.drift", "topics.model_versions", "trigger.severities", "trigger.metrics",
        "trigger.performance_metric", "trigger.performance_drop", "trigger.schedule", "trigger.cooldown", "trigger.min_new_labelled",
        "promotion.primary_metric", "promotion.margin", "promotion.guard_tolerance", "promotion.approval", "promotion.approval_timeout", "api.token", "api.read_token", "rollback.metric", "rollback.margin", "rollback.windows",
        "rollback.consecutive", "training.folds", "training.holdout_share", "training.C", "training.class_weight", "training.recent_rows", "training.max_old_rows", "training.reference", "http.address", "log.level",
    ]

    /// The values set, by key, with where each came from.
    public private(set) var values: [String: (value: String, origin: String)] = [:]

    public init() {}

    /// Reads a YAML document (lists become comma-separated values).
    public mutating func load(yaml text: String, path: String) throws(ConfigError) {
        try YAMLSettings.walk(text, path: path, listsAsText: true) { (key, value) throws(ConfigError) in try set(key, value, origin: path) }
    }

    /// Sets a key (a flag, an environment variable).
    public mutating func set(_ key: String, _ value: String, origin: String) throws(ConfigError) {
        guard Self.keys.contains(key) else { throw .unknownKey(key, origin: origin) }
        values[key] = (value, origin)
    }

    /// A key's text, if set.
    public func string(_ key: String) -> String? { values[key]?.value }

    /// The HTTP address to listen on (default 127.0.0.1:9465), or `nil` when the API is off.
    public func httpAddress() throws(ConfigError) -> (host: String, port: Int)? {
        try MonitorConfig.httpAddress(values["http.address"]?.value ?? "127.0.0.1:9465", origin: values["http.address"]?.origin ?? "default")
    }

    /// Applies the values to `settings`.
    public func apply(to settings: inout RetrainSettings) throws(ConfigError) {
        func number(_ key: String, _ range: ClosedRange<Double>) throws(ConfigError) -> Double? {
            guard let (text, origin) = values[key] else { return nil }
            guard let value = Double(text), range.contains(value) else {
                throw .invalidValue(key, text, origin: origin, expected: "a number in \(range.lowerBound)...\(range.upperBound)")
            }
            return value
        }
        func whole(_ key: String, _ minimum: Int) throws(ConfigError) -> Int? {
            guard let (text, origin) = values[key] else { return nil }
            guard let value = Int(text), value >= minimum else { throw .invalidValue(key, text, origin: origin, expected: "a whole number ≥ \(minimum)") }
            return value
        }
        func duration(_ key: String) throws(ConfigError) -> Int64?? {
            guard let (text, origin) = values[key] else { return nil }
            if text.lowercased() == "off" { return .some(nil) }
            guard let value = WindowSpec.parseDuration(text) else { throw .invalidValue(key, text, origin: origin, expected: "a duration (30s, 10m, 1h) or off") }
            return .some(value)
        }
        func list(_ key: String) -> [String]? {
            values[key].map { $0.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        }
        func choice(_ key: String, _ allowed: [String]) throws(ConfigError) -> String? {
            guard let (text, origin) = values[key] else { return nil }
            guard allowed.contains(text) else { throw .invalidValue(key, text, origin: origin, expected: allowed.joined(separator: ", ")) }
            return text
        }
        if let group = string("group") { settings.groupID = group }
        if let topic = string("topics.inference") { settings.inferenceTopic = topic }
        if let topic = string("topics.feedback") { settings.feedbackTopic = topic.lowercased() == "off" ? nil : topic }
        if let topic = string("topics.drift") { settings.driftTopic = topic }
        if let topic = string("topics.model_versions") { settings.modelVersionsTopic = topic }
        if let severities = list("trigger.severities") {
            for severity in severities where !["NORMAL", "WARNING", "CRITICAL"].contains(severity) {
                throw .invalidValue("trigger.severities", severity, origin: values["trigger.severities"]?.origin ?? "", expected: "WARNING, CRITICAL")
            }
            settings.trigger.driftSeverities = Set(severities)
        }
        if let metrics = list("trigger.metrics") { settings.trigger.driftMetrics = Set(metrics.filter { $0 != "any" }) }
        if let metric = try choice("trigger.performance_metric", ["accuracy", "f1", "precision", "recall", "roc_auc"]) { settings.trigger.performanceMetric = metric }
        if let drop = try number("trigger.performance_drop", 0...1) { settings.trigger.performanceDrop = drop }
        if let schedule = try duration("trigger.schedule") { settings.trigger.scheduleInterval = schedule }
        if let cooldown = try duration("trigger.cooldown") { settings.trigger.cooldown = cooldown ?? 0 }
        if let minimum = try whole("trigger.min_new_labelled", 0) { settings.trigger.minimumNewLabelled = minimum }
        if let metric = try choice("promotion.primary_metric", PromotionPolicy.primaryMetrics) { settings.promotion.primaryMetric = metric }
        if let margin = try number("promotion.margin", -1...1) { settings.promotion.margin = margin }
        if let tolerance = try number("promotion.guard_tolerance", 0...1) { settings.promotion.guardTolerance = tolerance }
        if let mode = try choice("promotion.approval", ApprovalMode.allCases.map(\.rawValue)) { settings.approval = ApprovalMode(rawValue: mode) ?? .automatic }
        if let timeout = try duration("promotion.approval_timeout") {
            guard let timeout, timeout > 0 else {
                throw .invalidValue("promotion.approval_timeout", values["promotion.approval_timeout"]?.value ?? "", origin: values["promotion.approval_timeout"]?.origin ?? "", expected: "a positive duration (30m, 24h)")
            }
            settings.approvalTimeout = timeout
        }
        for (key, path) in [("api.token", \RetrainSettings.apiToken), ("api.read_token", \RetrainSettings.apiReadToken)] {
            guard let token = string(key) else { continue }
            settings[keyPath: path] = try APIAccess.token(token, setting: key, origin: values[key]?.origin ?? "")
        }
        if let metric = try choice("rollback.metric", PromotionPolicy.primaryMetrics) { settings.rollback.metric = metric }
        if let margin = try number("rollback.margin", 0...1) { settings.rollback.margin = margin }
        if let windows = try whole("rollback.windows", 1) { settings.rollback.windows = windows }
        if let consecutive = try whole("rollback.consecutive", 1) { settings.rollback.consecutive = consecutive }
        if let folds = try whole("training.folds", 2) { settings.folds = folds }
        if let share = try number("training.holdout_share", 0.05...0.5) { settings.holdoutShare = share }
        if let c = try number("training.C", 1e-6...1e6) { settings.trainer.regression.inverseRegularization = c }
        if let weight = try choice("training.class_weight", ["none", "balanced"]) { settings.trainer.regression.classWeight = weight == "balanced" ? .balanced : .none }
        if let rows = try whole("training.recent_rows", 100) { settings.recentRows = rows }
        if string("training.max_old_rows") == "all" { settings.maximumOldRows = nil } else if let rows = try whole("training.max_old_rows", 0) { settings.maximumOldRows = rows }
        if let scope = try choice("training.reference", ["all", "recent"]) { settings.reference = scope == "recent" ? .recent : .all }
    }
}
