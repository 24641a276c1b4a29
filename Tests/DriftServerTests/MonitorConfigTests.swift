import DriftKafka
import Foundation
import DriftMonitor
import Testing

@testable import DriftServer

/// The configuration layers: defaults < YAML < DRIFTWATCH_* < flags, each error naming its layer.
@Suite struct MonitorConfigTests {
    static let yaml = """
        # monitor.yaml
        profiles:
          - /etc/driftwatch/credit-risk-3.json
          - /etc/driftwatch/credit-risk-4.json
        group: risk-monitor
        kafka:
          bootstrap_servers: kafka-1:9092,kafka-2:9092
          properties:
            security.protocol: SASL_SSL
            sasl.mechanism: SCRAM-SHA-512
        topics:
          drift: model-drift
        window:
          size: 5m
          hop: 1m
          grace: 30s
        policy:
          psi_warning: 0.15
          correction: bonferroni
          raise_after: 2
        http:
          address: 0.0.0.0:9500
        log:
          format: json
        """

    @Test func defaultsAreTheIssueDefaults() throws {
        let config = MonitorConfig()
        let settings = try config.settings(kafka: KafkaConfiguration(bootstrapServers: "b:9092"))
        #expect(settings.inferenceTopic == "inference-events")
        #expect(settings.feedbackTopic == "feedback-events")
        #expect(settings.driftTopic == "drift-events")
        #expect(settings.deadLetterTopic == "driftwatch.dead-letter")
        #expect(settings.partialsTopic == "driftwatch.partials")
        #expect(settings.groupID == "driftwatch-monitor")
        #expect(settings.policy == MonitorPolicy())
        #expect(settings.stage1.window == .hopping(60_000, hop: 60_000, grace: 10_000, allowedLateness: 0, idleTimeout: 30_000))
        #expect(try config.httpAddress()! == ("127.0.0.1", 9464))
    }

    @Test func yamlFileSetsNestedKeysProfilesAndKafkaProperties() throws {
        var config = MonitorConfig()
        try config.load(yaml: Self.yaml, path: "monitor.yaml")
        #expect(config.profiles == ["/etc/driftwatch/credit-risk-3.json", "/etc/driftwatch/credit-risk-4.json"])
        #expect(config.kafkaProperties == ["security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512"])
        #expect(config.string("kafka.bootstrap_servers") == "kafka-1:9092,kafka-2:9092")
        let settings = try config.settings(kafka: KafkaConfiguration(bootstrapServers: "b:9092"))
        #expect(settings.groupID == "risk-monitor")
        #expect(settings.driftTopic == "model-drift")
        #expect(settings.stage1.window == .hopping(300_000, hop: 60_000, grace: 30_000, allowedLateness: 0, idleTimeout: 30_000))
        #expect(settings.policy.psiWarning == 0.15)
        #expect(settings.policy.correction == .bonferroni)
        #expect(settings.policy.raiseAfter == 2)
        #expect(try config.httpAddress()! == ("0.0.0.0", 9500))
        #expect(config.string("log.format") == "json")
        #expect(config.origins["window.size"] == "monitor.yaml")
    }

    @Test func environmentOverridesTheFileAndFlagsOverrideBoth() throws {
        var config = MonitorConfig()
        try config.load(yaml: Self.yaml, path: "monitor.yaml")
        try config.apply(environment: [
            "DRIFTWATCH_WINDOW_SIZE": "10m", "DRIFTWATCH_POLICY_PSI_WARNING": "0.2", "DRIFTWATCH_PROFILES": "a.json, b.json",
            "DRIFTWATCH_HTTP_ADDRESS": "off", "DRIFTWATCH_UNRELATED": "ignored", "DRIFTWATCH_FEEDBACK_ENABLED": "false",
        ])
        try config.set("policy.psi_warning", "0.12", origin: "--psi-warning")
        let settings = try config.settings(kafka: KafkaConfiguration(bootstrapServers: "b:9092"))
        #expect(settings.stage1.window == .hopping(600_000, hop: 60_000, grace: 30_000, allowedLateness: 0, idleTimeout: 30_000))
        #expect(settings.policy.psiWarning == 0.12)
        #expect(config.origins["policy.psi_warning"] == "--psi-warning")
        #expect(config.origins["window.size"] == "DRIFTWATCH_WINDOW_SIZE")
        #expect(config.profiles == ["a.json", "b.json"])
        #expect(try config.httpAddress() == nil)
        #expect(settings.feedbackTopic == nil)
        #expect(settings.stage1.joinFeedback == false)
        #expect(MonitorConfig.keys.first { $0.name == "policy.domain_classifier_threshold" }?.environmentName == "DRIFTWATCH_POLICY_DOMAIN_CLASSIFIER_THRESHOLD")
    }

    @Test func errorsNameTheKeyAndTheLayer() throws {
        var config = MonitorConfig()
        #expect(throws: ConfigError.unknownKey("window.sise", origin: "monitor.yaml")) {
            try config.load(yaml: "window:\n  sise: 5m\n", path: "monitor.yaml")
        }
        #expect(throws: ConfigError.self) { try config.load(yaml: "window: [unclosed\n", path: "bad.yaml") }
        #expect(throws: ConfigError.invalidFile("list.yaml", "the document must be a mapping of settings")) {
            try config.load(yaml: "- a\n- b\n", path: "list.yaml")
        }
        try config.apply(environment: ["DRIFTWATCH_WINDOW_GRACE": "soon"])
        #expect(throws: ConfigError.invalidValue("window.grace", "soon", origin: "DRIFTWATCH_WINDOW_GRACE", expected: "a duration (250ms, 10s, 1m, 2h)")) {
            try config.windowSpec()
        }
        var policy = MonitorConfig()
        try policy.set("policy.psi_critical", "0.05", origin: "--psi-critical")
        #expect(throws: ConfigError.self) { try policy.policy() }  // critical below warning
        var correction = MonitorConfig()
        try correction.set("policy.correction", "holm", origin: "--correction")
        #expect(throws: ConfigError.invalidValue("policy.correction", "holm", origin: "--correction", expected: "benjamini-hochberg, bonferroni or none")) {
            try correction.policy()
        }
        var address = MonitorConfig()
        try address.set("http.address", "localhost", origin: "--http-address")
        #expect(throws: ConfigError.self) { try address.httpAddress() }
        try address.set("http.address", "[::1]:9464", origin: "--http-address")
        #expect(try address.httpAddress()! == ("::1", 9464))
    }

    @Test func dataQualityOperationalAndLabelRequestSettings() throws {
        var config = MonitorConfig()
        try config.load(yaml: """
            policy:
              out_of_range_warning: 0.03
              out_of_range_critical: 0.2
              latency_p99_warning: 100
              latency_p99_critical: 400
              error_rate_critical: 0.1
            label_requests:
              min_labelled_share: 0.25
              per_window: 5
              uncertainty: entropy
            topics:
              label_requests: to-label
            """, path: "monitor.yaml")
        let settings = try config.settings(kafka: KafkaConfiguration(bootstrapServers: "b:9092"))
        #expect(settings.policy.outOfRangeWarning == 0.03 && settings.policy.outOfRangeCritical == 0.2)
        #expect(settings.policy.latencyP99Warning == 100 && settings.policy.latencyP99Critical == 400)
        #expect(settings.policy.errorRateWarning == 0.01 && settings.policy.errorRateCritical == 0.1)
        #expect(settings.stage1.labelRequests?.minimumLabelledShare == 0.25)
        #expect(settings.stage1.labelRequests?.perWindow == 5 && settings.stage1.labelRequests?.uncertainty == .entropy)
        #expect(settings.labelRequestsTopic == "to-label")
        #expect(try MonitorConfig().settings(kafka: KafkaConfiguration(bootstrapServers: "b:9092")).stage1.labelRequests == LabelRequestPolicy(),
                "on by default")
        var off = MonitorConfig()
        try off.set("label_requests.enabled", "false", origin: "--flag")
        #expect(try off.settings(kafka: KafkaConfiguration(bootstrapServers: "b:9092")).stage1.labelRequests == nil)
        var bad = MonitorConfig()
        try bad.set("label_requests.uncertainty", "margin", origin: "DRIFTWATCH_LABEL_REQUESTS_UNCERTAINTY")
        #expect(throws: ConfigError.invalidValue("label_requests.uncertainty", "margin", origin: "DRIFTWATCH_LABEL_REQUESTS_UNCERTAINTY", expected: "confidence or entropy")) {
            try bad.settings(kafka: KafkaConfiguration(bootstrapServers: "b:9092"))
        }
        var disordered = MonitorConfig()
        try disordered.set("policy.latency_p99_critical", "10", origin: "--flag")
        #expect(throws: ConfigError.self) { try disordered.policy() }
    }

    @Test func countWindows() throws {
        var config = MonitorConfig()
        try config.load(yaml: "window:\n  events: 5000\n", path: "count.yaml")
        #expect(try config.windowSpec() == .count(5_000))
    }

    @Test func theShippedExampleIsValidAndStatesTheDefaults() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/monitor.example.yaml").path
        var config = MonitorConfig()
        try config.load(yaml: try String(contentsOfFile: path, encoding: .utf8), path: path)
        let settings = try config.settings(kafka: KafkaConfiguration(bootstrapServers: "b:9092"))
        let defaults = try MonitorConfig().settings(kafka: KafkaConfiguration(bootstrapServers: "b:9092"))
        #expect(settings.policy == defaults.policy)
        #expect(settings.stage1.window == defaults.stage1.window)
        #expect(settings.stage1.limits == defaults.stage1.limits)
        #expect(settings.driftTopic == defaults.driftTopic && settings.modelVersionsTopic == "model-versions")
        #expect(config.profiles == ["profile.json"])
        #expect(config.kafkaProperties["session.timeout.ms"] == "10000")
    }

    @Test("checkpoint pacing and the label join's bounds come from configuration, validated")
    func checkpointPacingAndJoinBounds() throws {
        let kafka = KafkaConfiguration(bootstrapServers: "b:9092")
        let defaults = try MonitorConfig().settings(kafka: kafka)
        #expect(defaults.checkpointWriteShare == 0.25 && defaults.checkpointMaximumInterval == .seconds(60))
        #expect(defaults.stage1.joinCapacity == 1_000_000 && defaults.stage1.joinTimeToLive == 3_600_000)
        var config = MonitorConfig()
        try config.load(yaml: """
            checkpoint:
              max_write_share: 0.5
              max_interval: 2m
            feedback:
              join_capacity: 50000
              join_ttl: 10m
            """, path: "monitor.yaml")
        let settings = try config.settings(kafka: kafka)
        #expect(settings.checkpointWriteShare == 0.5 && settings.checkpointMaximumInterval == .seconds(120))
        #expect(settings.stage1.joinCapacity == 50_000 && settings.stage1.joinTimeToLive == 600_000)
        var bad = MonitorConfig()
        try bad.set("feedback.join_capacity", "0", origin: "DRIFTWATCH_FEEDBACK_JOIN_CAPACITY")
        #expect(throws: ConfigError.invalidValue("feedback.join_capacity", "0", origin: "DRIFTWATCH_FEEDBACK_JOIN_CAPACITY", expected: "a count from 1 to 100000000")) {
            try bad.settings(kafka: kafka)
        }
        var negative = MonitorConfig()
        try negative.set("checkpoint.max_write_share", "-1", origin: "--flag")
        #expect(throws: ConfigError.self) { try negative.settings(kafka: kafka) }
    }
}
