import DriftKafka
import Foundation
import Testing

@Suite("Connection settings: file, -X, flags and environment")
struct ConnectionSettingsTests {
    @Test("precedence: properties file < -X < typed flags")
    func precedence() throws {
        var settings = KafkaConnectionSettings(
            bootstrapServers: "flag:9092",
            propertiesFileContents: "bootstrap.servers=file:9092\nclient.id=from-file\nlinger.ms=7\nsecurity.protocol=ssl\n",
            overrides: ["linger.ms=3", "bootstrap.servers=x:9092", "fetch.min.bytes=1"])
        settings.securityProtocol = .saslSSL
        settings.saslMechanism = .scramSHA256
        settings.saslUsername = "alice"
        let configuration = try settings.configuration(defaultBootstrapServers: "default:9092")
        let properties = Dictionary(uniqueKeysWithValues: configuration.librdkafkaProperties.map { ($0.key, $0.value) })
        #expect(properties["bootstrap.servers"] == "flag:9092")
        #expect(properties["linger.ms"] == "3")
        #expect(properties["fetch.min.bytes"] == "1")
        #expect(properties["client.id"] == "from-file")
        #expect(properties["security.protocol"] == "sasl_ssl")
        #expect(properties["sasl.mechanisms"] == "SCRAM-SHA-256")
        #expect(properties["sasl.username"] == "alice")
    }

    @Test("brokers: flag, then file or -X, then DRIFTWATCH_BOOTSTRAP_SERVERS, then the command's default; none is an error")
    func bootstrapFallbacks() throws {
        #expect(try KafkaConnectionSettings().configuration(defaultBootstrapServers: "d:1").bootstrapServers == "d:1")
        #expect(try KafkaConnectionSettings().configuration(defaultBootstrapServers: "d:1", environment: ["DRIFTWATCH_BOOTSTRAP_SERVERS": "e:1"]).bootstrapServers == "e:1")
        #expect(try KafkaConnectionSettings(overrides: ["bootstrap.servers=x:1"]).configuration(defaultBootstrapServers: "d:1", environment: ["DRIFTWATCH_BOOTSTRAP_SERVERS": "e:1"]).bootstrapServers == "x:1")
        let error = #expect(throws: KafkaError.self) { try KafkaConnectionSettings().configuration(defaultBootstrapServers: nil) }
        #expect(error?.message.contains("--bootstrap-servers") == true)
    }

    @Test("the SASL password comes from the environment when not given, and never shows in errors")
    func passwordFromEnvironment() throws {
        let fromEnvironment = try KafkaConnectionSettings(bootstrapServers: "b:1").configuration(defaultBootstrapServers: nil, environment: ["DRIFTWATCH_SASL_PASSWORD": "env-secret"])
        #expect(fromEnvironment.saslPassword == "env-secret")
        #expect(!fromEnvironment.description.contains("env-secret"))
        var explicit = KafkaConnectionSettings(bootstrapServers: "b:1")
        explicit.saslPassword = "flag-secret"
        #expect(try explicit.configuration(defaultBootstrapServers: nil, environment: ["DRIFTWATCH_SASL_PASSWORD": "env-secret"]).saslPassword == "flag-secret")
        let malformed = KafkaConnectionSettings(bootstrapServers: "b:1", overrides: ["sasl.password"])
        let error = #expect(throws: KafkaError.self) { try malformed.configuration(defaultBootstrapServers: nil) }
        #expect(error?.message.contains("key=value") == true)
    }

    @Test("SASL and SSL settings reach librdkafka, which accepts them")
    func securityReachesLibrdkafka() throws {
        var settings = KafkaConnectionSettings(bootstrapServers: "127.0.0.1:1")
        settings.securityProtocol = .saslPlaintext
        settings.saslMechanism = .plain
        settings.saslUsername = "u"
        settings.saslPassword = "p"
        let configuration = try settings.configuration(defaultBootstrapServers: nil)
        try configuration.validate(for: .producer)
        let properties = Dictionary(uniqueKeysWithValues: configuration.librdkafkaProperties.map { ($0.key, $0.value) })
        #expect(properties["sasl.password"] == "p")
        #expect(properties["security.protocol"] == "sasl_plaintext")
    }
}
