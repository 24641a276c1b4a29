public import DriftKafka
public import DriftMonitor
import DriftContracts
import Foundation
import Yams

/// `driftwatch monitor`'s configuration, in layers, lowest first: built-in defaults, a YAML file
/// (`--config monitor.yaml`), `DRIFTWATCH_*` environment variables, command-line flags.
///
/// Every setting has a dotted key (`window.size`, `policy.psi_warning`); in YAML it is a path of nested
/// mappings, in the environment `DRIFTWATCH_` + the key upper-cased with `.` as `_`
/// (`DRIFTWATCH_WINDOW_SIZE`, `DRIFTWATCH_POLICY_PSI_WARNING`). Unknown YAML keys are errors (a typo must not
/// silently leave a default in place); each error names the layer the bad value came from.
public struct MonitorConfig: Sendable {
    /// A setting: its key, its default (as text) and what it means.
    public struct Key: Sendable {
        public let name: String
        public let defaultValue: String?
        public let help: String

        /// The environment variable that overrides it.
        public var environmentName: String {
            "DRIFTWATCH_" + name.uppercased().replacingOccurrences(of: ".", with: "_")
        }
    }

    /// Every setting.
    public static let keys: [Key] = [
        Key(name: "kafka.bootstrap_servers", defaultValue: nil, help: "Kafka brokers, host:port[,host:port...]"),
        Key(name: "profiles", defaultValue: nil, help: "reference profile files (YAML list; comma-separated in the environment)"),
        Key(name: "group", defaultValue: "driftwatch-monitor", help: "stage 1's consumer group (stage 2 uses GROUP.stage2)"),
        Key(name: "topics.inference", defaultValue: "inference-events", help: "inference events topic"),
        Key(name: "topics.feedback", defaultValue: "feedback-events", help: "feedback events topic"),
        Key(name: "topics.partials", defaultValue: "driftwatch.partials", help: "partial summaries topic (internal)"),
        Key(name: "topics.drift", defaultValue: "drift-events", help: "drift events topic"),
        Key(name: "topics.dead_letter", defaultValue: "driftwatch.dead-letter", help: "dead-letter topic"),
        Key(name: "topics.model_versions", defaultValue: "model-versions", help: "model-version events whose inline profiles are loaded (`off`: files only)"),
        Key(name: "feedback.enabled", defaultValue: "true", help: "read feedback events and join their labels"),
        Key(name: "feedback.join_capacity", defaultValue: "1000000", help: "predictions (and early labels) held per worker waiting for their partner; beyond it the oldest go first, counted (about 100 bytes each)"),
        Key(name: "feedback.join_ttl", defaultValue: "1h", help: "how long (in event time) a prediction waits for its label, and a label for its prediction"),
        Key(name: "window.size", defaultValue: "1m", help: "event-time window size"),
        Key(name: "window.hop", defaultValue: nil, help: "hop of hopping windows (default: tumbling)"),
        Key(name: "window.grace", defaultValue: "10s", help: "how long a window stays open after its end"),
        Key(name: "window.allowed_lateness", defaultValue: "0s", help: "how far the watermark trails the newest event time"),
        Key(name: "window.idle_timeout", defaultValue: "30s", help: "after this long without events a partition's watermark follows the clock"),
        Key(name: "window.sample_rows", defaultValue: "256", help: "rows sampled per window and partition for the domain classifier (traffic and checkpoint size grow with it)"),
        Key(name: "window.events", defaultValue: nil, help: "count windows of N events per partition and model instead of time windows"),
        Key(name: "completion_timeout", defaultValue: "30s", help: "how long stage 2 waits for a silent partition"),
        Key(name: "checkpoint.commit_offsets", defaultValue: "true", help: "commit the offsets checkpoints cover to the consumer group (lag tools, autoscalers); false: never commit (partitions resume from their checkpoints either way)"),
        Key(name: "checkpoint.enabled", defaultValue: "true", help: "checkpoint both stages to changelog topics (exactly-once window counts; a stopping worker hands its windows over); false: commit per batch and close windows on stop"),
        Key(name: "checkpoint.interval", defaultValue: "1s", help: "how often each stage checkpoints its changed partitions"),
        Key(name: "checkpoint.max_write_share", defaultValue: "0.25", help: "checkpoint bytes allowed per byte of input read: a stage whose last round was larger than 1 MiB waits until it has read round / share bytes (0 keeps it to checkpoint.max_interval)"),
        Key(name: "checkpoint.max_interval", defaultValue: "60s", help: "the longest a large checkpoint round is held back by checkpoint.max_write_share (bounds what a restart replays)"),
        Key(name: "topics.stage1_changelog", defaultValue: "driftwatch.stage1-changelog", help: "stage 1's checkpoint changelog (internal, compacted)"),
        Key(name: "topics.stage2_changelog", defaultValue: "driftwatch.stage2-changelog", help: "stage 2's checkpoint changelog (internal, compacted)"),
        Key(name: "policy.psi_warning", defaultValue: "0.1", help: "PSI above which a feature is WARNING"),
        Key(name: "policy.psi_critical", defaultValue: "0.25", help: "PSI above which a feature is CRITICAL"),
        Key(name: "policy.alpha", defaultValue: "0.05", help: "significance of the KS and chi-square tests after the correction"),
        Key(name: "policy.correction", defaultValue: "benjamini-hochberg", help: "benjamini-hochberg, bonferroni or none"),
        Key(name: "policy.performance_drop", defaultValue: "0.1", help: "relative drop of accuracy or F1 that is CRITICAL"),
        Key(name: "policy.min_labelled", defaultValue: "50", help: "fewest labelled events for performance to be judged"),
        Key(name: "policy.domain_classifier", defaultValue: "true", help: "train the domain classifier per window"),
        Key(name: "policy.domain_classifier_threshold", defaultValue: "0.55", help: "domain classifier ROC-AUC above which covariate shift is WARNING"),
        Key(name: "policy.missing_rate_warning", defaultValue: "0.05", help: "rise of a feature's missing rate over the reference's (absolute) that is WARNING"),
        Key(name: "policy.missing_rate_critical", defaultValue: "0.2", help: "rise of a feature's missing rate that is CRITICAL"),
        Key(name: "policy.out_of_range_warning", defaultValue: "0.02", help: "share of a numeric feature's values outside the reference's range that is WARNING"),
        Key(name: "policy.out_of_range_critical", defaultValue: "0.1", help: "share outside the reference's range that is CRITICAL"),
        Key(name: "policy.unseen_share_warning", defaultValue: "0.01", help: "share of a categorical feature's values in categories the reference never had that is WARNING"),
        Key(name: "policy.unseen_share_critical", defaultValue: "0.05", help: "share in new categories that is CRITICAL"),
        Key(name: "policy.latency_p99_warning", defaultValue: "500", help: "the model server's p99 latency (latency_ms, milliseconds) that is WARNING"),
        Key(name: "policy.latency_p99_critical", defaultValue: "2000", help: "p99 latency (ms) that is CRITICAL"),
        Key(name: "policy.error_rate_warning", defaultValue: "0.01", help: "share of a window's events with an error that is WARNING"),
        Key(name: "policy.error_rate_critical", defaultValue: "0.05", help: "error rate that is CRITICAL"),
        Key(name: "label_requests.enabled", defaultValue: "true", help: "publish label requests for the least certain predictions of windows with too few labels"),
        Key(name: "label_requests.min_labelled_share", defaultValue: "0.1", help: "windows where fewer than this share of events got labels ask for labels"),
        Key(name: "label_requests.per_window", defaultValue: "20", help: "most label requests per window and partition"),
        Key(name: "label_requests.uncertainty", defaultValue: "confidence", help: "confidence (lowest top-class probability first) or entropy (highest prediction entropy first)"),
        Key(name: "topics.label_requests", defaultValue: "label-requests", help: "label requests topic"),
        Key(name: "policy.raise_after", defaultValue: "1", help: "windows in a row above the current level before the alert rises"),
        Key(name: "policy.clear_after", defaultValue: "2", help: "windows in a row below the current level before the alert clears"),
        Key(name: "limits.max_models", defaultValue: "1000", help: "most model versions watched; a further profile is refused and its events dead-lettered model_over_limit"),
        Key(name: "limits.max_features_per_model", defaultValue: "2000", help: "most features in a model version's profile; a larger profile is refused"),
        Key(name: "limits.max_categories_per_feature", defaultValue: "10000", help: "most reference categories of a categorical feature; a profile with more is refused"),
        Key(name: "limits.max_windows_in_flight", defaultValue: "64", help: "most windows open at once per source partition; an event opening one more is dead-lettered too_many_windows"),
        Key(name: "limits.max_features_per_event", defaultValue: "2000", help: "most features in one event; more is dead-lettered too_many_features"),
        Key(name: "limits.max_payload_bytes", defaultValue: "1048576", help: "largest event payload in bytes; larger is dead-lettered oversize_payload"),
        Key(name: "api.read_token", defaultValue: nil, help: "when set, the HTTP API and /metrics need Authorization: Bearer <token> (all but /healthz and /readyz); best set as DRIFTWATCH_API_READ_TOKEN"),
        Key(name: "http.address", defaultValue: "127.0.0.1:9464", help: "HTTP API and /metrics address, host:port (`off` disables)"),
        Key(name: "log.level", defaultValue: "info", help: "trace, debug, info, notice, warning, error or critical"),
        Key(name: "log.format", defaultValue: "text", help: "text or json (one JSON object per line)"),
    ]

    private static let keysByName = Dictionary(uniqueKeysWithValues: keys.map { ($0.name, $0) })

    /// Values by key, as text, and the layer each came from.
    public private(set) var values: [String: String] = [:]
    public private(set) var origins: [String: String] = [:]
    /// Reference profile paths.
    public private(set) var profiles: [String] = []
    /// librdkafka properties from the YAML file's `kafka.properties` mapping (flags' `-X` override them).
    public private(set) var kafkaProperties: [String: String] = [:]

    public init() {
        for key in Self.keys {
            if let value = key.defaultValue {
                values[key.name] = value
                origins[key.name] = "default"
            }
        }
    }

    /// Sets `key` from `origin` (a flag, a file, a variable). Unknown keys are an error.
    public mutating func set(_ key: String, _ value: String, origin: String) throws(ConfigError) {
        guard Self.keysByName[key] != nil else { throw .unknownKey(key, origin: origin) }
        if key == "profiles" {
            profiles = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        values[key] = value
        origins[key] = origin
    }

    /// Replaces the profile list (a flag given one or more times).
    public mutating func setProfiles(_ paths: [String], origin: String) {
        profiles = paths
        values["profiles"] = paths.joined(separator: ",")
        origins["profiles"] = origin
    }

    /// Loads a YAML document: nested mappings whose paths are the keys; `profiles` a list of paths;
    /// `kafka.properties` a mapping of librdkafka properties.
    public mutating func load(yaml text: String, path: String) throws(ConfigError) {
        try YAMLSettings.walk(text, path: path, listsAsText: false, special: { (key, node) throws(ConfigError) -> Bool in
            switch (key, node) {
            case ("kafka.properties", .mapping(let properties)):
                for (propertyNode, propertyValue) in properties {
                    guard let property = propertyNode.scalar?.string, let text = propertyValue.scalar?.string else {
                        throw .invalidFile(path, "kafka.properties must map names to values")
                    }
                    kafkaProperties[property] = text
                }
                return true
            case ("profiles", .sequence(let sequence)):
                var paths: [String] = []
                for item in sequence {
                    guard let text = item.scalar?.string else { throw .invalidFile(path, "profiles must be a list of paths") }
                    paths.append(text)
                }
                setProfiles(paths, origin: path)
                return true
            default:
                return false
            }
        }, leaf: { (key, value) throws(ConfigError) in try set(key, value, origin: path) })
    }

    /// Applies every `DRIFTWATCH_*` variable that names a key.
    public mutating func apply(environment: [String: String]) throws(ConfigError) {
        for key in Self.keys {
            if let value = environment[key.environmentName] { try set(key.name, value, origin: key.environmentName) }
        }
    }

    // MARK: Typed values

    /// The text of `key`, if set.
    public func string(_ key: String) -> String? { values[key] }

    private func origin(_ key: String) -> String { origins[key] ?? "default" }

    public func duration(_ key: String) throws(ConfigError) -> Int64? {
        try value(key, expected: "a duration (250ms, 10s, 1m, 2h)", WindowSpec.parseDuration)
    }

    public func double(_ key: String) throws(ConfigError) -> Double? {
        try value(key, expected: "a number") { Double($0).flatMap { $0.isFinite ? $0 : nil } }
    }

    public func integer(_ key: String) throws(ConfigError) -> Int? {
        try value(key, expected: "a whole number") { Int($0) }
    }

    public func bool(_ key: String) throws(ConfigError) -> Bool? {
        try value(key, expected: "true or false") { text in
            switch text.lowercased() {
            case "true", "yes", "on", "1": true
            case "false", "no", "off", "0": false
            default: nil
            }
        }
    }

    /// `key`'s text read by `parse`; `nil` when unset, an error naming the key's layer when `parse` refuses it.
    private func value<T>(_ key: String, expected: String, _ parse: (String) -> T?) throws(ConfigError) -> T? {
        guard let text = values[key] else { return nil }
        guard let parsed = parse(text) else { throw .invalidValue(key, text, origin: origin(key), expected: expected) }
        return parsed
    }

    /// The HTTP address to listen on, or `nil` when the API is off.
    public func httpAddress() throws(ConfigError) -> (host: String, port: Int)? {
        try Self.httpAddress(values["http.address"], origin: origin("http.address"))
    }

    /// Parses `host:port` (`[::1]:port`; an empty host is every interface), or `off` / nothing: `nil`.
    public static func httpAddress(_ text: String?, origin: String) throws(ConfigError) -> (host: String, port: Int)? {
        guard let text, text.lowercased() != "off", !text.isEmpty else { return nil }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw .invalidValue("http.address", text, origin: origin, expected: "host:port or off")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    // MARK: Settings

    /// The window specification the settings describe.
    public func windowSpec() throws(ConfigError) -> WindowSpec {
        var spec: WindowSpec
        if let events = try integer("window.events") {
            spec = .count(events)
        } else {
            let size = try duration("window.size") ?? 60_000
            spec = .hopping(
                size, hop: try duration("window.hop") ?? size, grace: try duration("window.grace") ?? 10_000,
                allowedLateness: try duration("window.allowed_lateness") ?? 0, idleTimeout: try duration("window.idle_timeout") ?? 30_000)
            spec.maximumOpenWindows = try limit("limits.max_windows_in_flight", 1...100_000) ?? spec.maximumOpenWindows
        }
        do {
            try spec.validate()
        } catch {
            throw .invalidSettings("window: \(error)")
        }
        return spec
    }

    /// The policy's numbers that a key sets as given.
    static let policyNumbers: [(String, WritableKeyPath<MonitorPolicy, Double> & Sendable)] = [
        ("policy.psi_warning", \.psiWarning), ("policy.psi_critical", \.psiCritical), ("policy.alpha", \.alpha),
        ("policy.missing_rate_warning", \.missingRateWarning), ("policy.missing_rate_critical", \.missingRateCritical),
        ("policy.out_of_range_warning", \.outOfRangeWarning), ("policy.out_of_range_critical", \.outOfRangeCritical),
        ("policy.unseen_share_warning", \.unseenShareWarning), ("policy.unseen_share_critical", \.unseenShareCritical),
        ("policy.latency_p99_warning", \.latencyP99Warning), ("policy.latency_p99_critical", \.latencyP99Critical),
        ("policy.error_rate_warning", \.errorRateWarning), ("policy.error_rate_critical", \.errorRateCritical),
    ]

    /// The severity policy the settings describe, validated.
    public func policy() throws(ConfigError) -> MonitorPolicy {
        var policy = MonitorPolicy()
        for (key, threshold) in Self.policyNumbers {
            if let value = try double(key) { policy[keyPath: threshold] = value }
        }
        if let text = values["policy.correction"] {
            guard let correction = MonitorPolicy.Correction(rawValue: text) else {
                throw .invalidValue("policy.correction", text, origin: origin("policy.correction"), expected: "benjamini-hochberg, bonferroni or none")
            }
            policy.correction = correction
        }
        if let drop = try double("policy.performance_drop") {
            policy.performanceDropCritical = drop
            policy.performanceDropWarning = min(policy.performanceDropWarning, drop)
        }
        policy.minimumLabelled = try integer("policy.min_labelled") ?? policy.minimumLabelled
        if let threshold = try double("policy.domain_classifier_threshold") {
            policy.domainClassifierWarning = threshold
            policy.domainClassifierCritical = max(policy.domainClassifierCritical, threshold)
        }
        policy.raiseAfter = try integer("policy.raise_after") ?? policy.raiseAfter
        policy.clearAfter = try integer("policy.clear_after") ?? policy.clearAfter
        do {
            try policy.validate()
        } catch {
            throw .invalidSettings("policy: \(error)")
        }
        return policy
    }

    /// The HTTP API's access rule: `api.read_token` (at least ``APIAccess/minimumTokenLength`` characters; the
    /// error never shows it).
    public func access() throws(ConfigError) -> APIAccess {
        guard let token = values["api.read_token"] else { return APIAccess(adminToken: nil) }
        return APIAccess(adminToken: nil, readToken: try APIAccess.token(token, setting: "api.read_token", origin: origin("api.read_token")))
    }

    /// Everything the monitor service needs, for the cluster `kafka`.

    public func settings(kafka: KafkaConfiguration) throws(ConfigError) -> MonitorSettings {
        var settings = MonitorSettings(kafka: kafka, window: try windowSpec())
        let feedback = try bool("feedback.enabled") ?? true
        settings.inferenceTopic = values["topics.inference"] ?? settings.inferenceTopic
        settings.feedbackTopic = feedback ? values["topics.feedback"] ?? settings.feedbackTopic : nil
        settings.stage1.joinFeedback = feedback
        if let capacity = try integer("feedback.join_capacity") {
            guard (1...100_000_000).contains(capacity) else { throw .invalidValue("feedback.join_capacity", "\(capacity)", origin: origin("feedback.join_capacity"), expected: "a count from 1 to 100000000") }
            settings.stage1.joinCapacity = capacity
        }
        if let ttl = try duration("feedback.join_ttl") {
            guard ttl > 0 else { throw .invalidValue("feedback.join_ttl", "\(ttl)ms", origin: origin("feedback.join_ttl"), expected: "a positive duration") }
            settings.stage1.joinTimeToLive = ttl
        }
        settings.partialsTopic = values["topics.partials"] ?? settings.partialsTopic
        settings.driftTopic = values["topics.drift"] ?? settings.driftTopic
        settings.deadLetterTopic = values["topics.dead_letter"] ?? settings.deadLetterTopic
        if let versions = values["topics.model_versions"] { settings.modelVersionsTopic = versions.lowercased() == "off" ? nil : versions }
        settings.groupID = values["group"] ?? settings.groupID
        settings.completionTimeout = try duration("completion_timeout") ?? settings.completionTimeout
        if let rows = try integer("window.sample_rows") {
            guard (0...100_000).contains(rows) else { throw .invalidValue("window.sample_rows", "\(rows)", origin: origin("window.sample_rows"), expected: "a number of rows from 0 to 100000") }
            settings.stage1.sampleCapacity = rows
        }
        settings.checkpointing = try bool("checkpoint.enabled") ?? true
        settings.commitOffsets = try bool("checkpoint.commit_offsets") ?? true
        if let interval = try duration("checkpoint.interval") {
            guard interval > 0 else { throw .invalidValue("checkpoint.interval", "\(interval)ms", origin: origin("checkpoint.interval"), expected: "a positive duration") }
            settings.checkpointInterval = .milliseconds(interval)
        }
        if let share = try double("checkpoint.max_write_share") {
            guard share >= 0, share.isFinite else { throw .invalidValue("checkpoint.max_write_share", "\(share)", origin: origin("checkpoint.max_write_share"), expected: "a share of 0 or more") }
            settings.checkpointWriteShare = share
        }
        if let interval = try duration("checkpoint.max_interval") {
            guard interval > 0 else { throw .invalidValue("checkpoint.max_interval", "\(interval)ms", origin: origin("checkpoint.max_interval"), expected: "a positive duration") }
            settings.checkpointMaximumInterval = .milliseconds(interval)
        }
        settings.stage1ChangelogTopic = values["topics.stage1_changelog"] ?? settings.stage1ChangelogTopic
        settings.stage2ChangelogTopic = values["topics.stage2_changelog"] ?? settings.stage2ChangelogTopic
        settings.domainClassifier = try bool("policy.domain_classifier") ?? true
        settings.policy = try policy()
        if try bool("label_requests.enabled") ?? true {
            var requests = LabelRequestPolicy()
            if let share = try double("label_requests.min_labelled_share") {
                guard (0...1).contains(share) else { throw .invalidValue("label_requests.min_labelled_share", "\(share)", origin: origin("label_requests.min_labelled_share"), expected: "a share from 0 to 1") }
                requests.minimumLabelledShare = share
            }
            if let count = try integer("label_requests.per_window") {
                guard (1...10_000).contains(count) else { throw .invalidValue("label_requests.per_window", "\(count)", origin: origin("label_requests.per_window"), expected: "a count from 1 to 10000") }
                requests.perWindow = count
            }
            if let text = values["label_requests.uncertainty"] {
                guard let measure = LabelRequestPolicy.Uncertainty(rawValue: text) else {
                    throw .invalidValue("label_requests.uncertainty", text, origin: origin("label_requests.uncertainty"), expected: "confidence or entropy")
                }
                requests.uncertainty = measure
            }
            settings.stage1.labelRequests = requests
        } else {
            settings.stage1.labelRequests = nil
        }
        settings.labelRequestsTopic = values["topics.label_requests"] ?? settings.labelRequestsTopic
        settings.stage1.limits = try limits()
        return settings
    }

    /// The `limits.*` keys (the windows-in-flight cap goes to ``windowSpec()``).
    public func limits() throws(ConfigError) -> MonitorLimits {
        var limits = MonitorLimits()
        limits.maximumModels = try limit("limits.max_models", 1...1_000_000) ?? limits.maximumModels
        limits.maximumFeaturesPerModel = try limit("limits.max_features_per_model", 1...1_000_000) ?? limits.maximumFeaturesPerModel
        limits.maximumCategoriesPerFeature = try limit("limits.max_categories_per_feature", 1...10_000_000) ?? limits.maximumCategoriesPerFeature
        limits.decoder.maximumFeatures = try limit("limits.max_features_per_event", 1...1_000_000) ?? limits.decoder.maximumFeatures
        limits.decoder.maximumPayloadBytes = try limit("limits.max_payload_bytes", 256...(64 << 20)) ?? limits.decoder.maximumPayloadBytes
        return limits
    }

    private func limit(_ key: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = try integer(key) else { return nil }
        guard range.contains(value) else {
            throw .invalidValue(key, "\(value)", origin: origin(key), expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}

/// A configuration error, naming the key and the layer (file, variable, flag) it came from.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    case unknownKey(String, origin: String)
    case invalidValue(String, String, origin: String, expected: String)
    case invalidFile(String, String)
    case invalidSettings(String)

    public var description: String {
        switch self {
        case .unknownKey(let key, let origin): "\(origin): unknown setting '\(key)'"
        case .invalidValue(let key, let value, let origin, let expected): "\(origin): \(key) = '\(value)' is not \(expected)"
        case .invalidFile(let path, let reason): "\(path): \(reason)"
        case .invalidSettings(let reason): reason
        }
    }
}
