public import ArgumentParser
public import DriftKafka
import Foundation

extension KafkaConfiguration.SecurityProtocol: ExpressibleByArgument {}
extension KafkaConfiguration.SASLMechanism: ExpressibleByArgument {}

/// How any Kafka-using command reaches its cluster: the same flags everywhere.
struct KafkaOptions: ParsableArguments {
    @Option(help: "Kafka brokers, host:port[,host:port...] (or DRIFTWATCH_BOOTSTRAP_SERVERS).")
    var bootstrapServers: String?

    @Option(help: "A Kafka client properties file (key=value lines, as Kafka's own tools take).")
    var kafkaConfig: String?

    @Option(help: "plaintext, ssl, sasl_plaintext or sasl_ssl.")
    var securityProtocol: KafkaConfiguration.SecurityProtocol?

    @Option(help: "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, GSSAPI or OAUTHBEARER.")
    var saslMechanism: KafkaConfiguration.SASLMechanism?

    @Option(help: "SASL user name.")
    var saslUsername: String?

    @Option(help: "SASL password (prefer DRIFTWATCH_SASL_PASSWORD: command lines are visible to other users).")
    var saslPassword: String?

    @Option(help: "CA certificate file or directory for SSL.")
    var sslCaLocation: String?

    @Option(help: "Client certificate (PEM) for SSL.")
    var sslCertificateLocation: String?

    @Option(help: "Client private key (PEM) for SSL.")
    var sslKeyLocation: String?

    @Option(name: .customShort("X"), help: "Any librdkafka property, key=value (repeatable), as kcat's -X.")
    var properties: [String] = []

    /// Whether a cluster was named, by flag or by `DRIFTWATCH_BOOTSTRAP_SERVERS` (commands for which Kafka is optional).
    var clusterGiven: Bool {
        bootstrapServers != nil || ProcessInfo.processInfo.environment["DRIFTWATCH_BOOTSTRAP_SERVERS"] != nil
    }

    /// The settings these flags carry.
    func settings() throws -> KafkaConnectionSettings {
        var settings = KafkaConnectionSettings(bootstrapServers: bootstrapServers, overrides: properties)
        if let kafkaConfig {
            do {
                settings.propertiesFileContents = try String(contentsOfFile: kafkaConfig, encoding: .utf8)
            } catch {
                throw ValidationError("--kafka-config: cannot read \(kafkaConfig)")
            }
        }
        settings.securityProtocol = securityProtocol
        settings.saslMechanism = saslMechanism
        settings.saslUsername = saslUsername
        settings.saslPassword = saslPassword
        settings.sslCALocation = sslCaLocation
        settings.sslCertificateLocation = sslCertificateLocation
        settings.sslKeyLocation = sslKeyLocation
        return settings
    }

    /// The validated configuration for `role`.
    func configuration(defaultBootstrapServers: String? = nil, role: KafkaClientRole) throws -> KafkaConfiguration {
        let configuration = try settings().configuration(defaultBootstrapServers: defaultBootstrapServers, environment: ProcessInfo.processInfo.environment)
        try configuration.validate(for: role)
        return configuration
    }
}
