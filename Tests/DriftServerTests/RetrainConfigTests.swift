import DriftKafka
import DriftRetrain
import DriftServer
import Testing

/// `driftwatch retrain --config`: nested YAML keys, lists as comma-separated values, nulls skipped, flags over
/// the file, and errors that name the key and where it came from.
@Suite("Retraining worker configuration")
struct RetrainConfigTests {
    @Test func yamlFlagsAndSettings() throws {
        var config = RetrainConfig()
        try config.load(yaml: """
            trigger:
              severities: [WARNING, CRITICAL]
              cooldown: 10m
              schedule: ~
            training:
              folds: 3
              max_old_rows: 1000
              reference: recent
            """, path: "retrain.yaml")
        #expect(config.string("trigger.severities") == "WARNING,CRITICAL")
        #expect(config.string("trigger.schedule") == nil, "a null leaf sets nothing")
        try config.set("trigger.cooldown", "1m", origin: "--cooldown")
        var settings = RetrainSettings(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:9092"), registry: "registry")
        try config.apply(to: &settings)
        #expect(settings.trigger.driftSeverities == ["WARNING", "CRITICAL"])
        #expect(settings.trigger.cooldown == 60_000, "the flag wins over the file")
        #expect(settings.folds == 3 && settings.maximumOldRows == 1_000 && settings.reference == .recent)
    }

    @Test func errorsNameTheKeyAndTheFile() {
        var config = RetrainConfig()
        #expect(throws: ConfigError.unknownKey("trigger.cooldwon", origin: "retrain.yaml")) {
            try config.load(yaml: "trigger:\n  cooldwon: 10m\n", path: "retrain.yaml")
        }
        #expect(throws: ConfigError.self) { try config.load(yaml: "- a\n- b\n", path: "retrain.yaml") }
        var bad = RetrainConfig()
        #expect(throws: ConfigError.self) {
            try bad.load(yaml: "training:\n  reference: everything\n", path: "retrain.yaml")
            var settings = RetrainSettings(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:9092"), registry: "registry")
            try bad.apply(to: &settings)
        }
    }
}
