/// Where a command's Kafka configuration comes from: a properties file, `-X key=value` overrides, typed
/// flags, and the environment; merged by `configuration(defaultBootstrapServers:environment:)`.
///
/// Precedence, lowest first: the properties file, then `-X` overrides, then typed settings. The environment
/// supplies `DRIFTWATCH_BOOTSTRAP_SERVERS` when nothing else names the brokers, and
/// `DRIFTWATCH_SASL_PASSWORD` when no password is given otherwise, so secrets need not appear on command
/// lines (where `ps` shows them).
public struct KafkaConnectionSettings: Sendable, Equatable {
    public var bootstrapServers: String?
    /// The text of a Java-style properties file (`--kafka-config`).
    public var propertiesFileContents: String?
    /// Raw `key=value` librdkafka properties (`-X`).
    public var overrides: [String]
    public var securityProtocol: KafkaConfiguration.SecurityProtocol?
    public var saslMechanism: KafkaConfiguration.SASLMechanism?
    public var saslUsername: String?
    public var saslPassword: String?
    public var sslCALocation: String?
    public var sslCertificateLocation: String?
    public var sslKeyLocation: String?
    public var clientID: String?

    public init(bootstrapServers: String? = nil, propertiesFileContents: String? = nil, overrides: [String] = []) {
        self.bootstrapServers = bootstrapServers
        self.propertiesFileContents = propertiesFileContents
        self.overrides = overrides
    }

    /// The merged configuration.
    ///
    /// - Parameter defaultBootstrapServers: used when neither the settings, the file, `-X` nor the
    ///   environment name the brokers (nil: then it is an error).
    /// - Throws: `KafkaError` (operation `"configuration"`) for a malformed `-X` entry or missing brokers.
    ///   Messages never contain secret values.
    public func configuration(defaultBootstrapServers: String?, environment: [String: String] = [:]) throws(KafkaError) -> KafkaConfiguration {
        var configuration = KafkaConfiguration(propertiesFileContents: propertiesFileContents ?? "")
        for entry in overrides {
            guard let separator = entry.firstIndex(of: "="), separator != entry.startIndex else {
                let shown = KafkaConfiguration.isSecret(entry) ? "[redacted]" : entry
                throw .client("-X expects key=value, got '\(shown)'", operation: "configuration")
            }
            let key = String(entry[..<separator])
            let value = String(entry[entry.index(after: separator)...])
            if key == "bootstrap.servers" {
                configuration.bootstrapServers = value
            } else {
                configuration.properties[key] = value
            }
        }
        if let bootstrapServers { configuration.bootstrapServers = bootstrapServers }
        if configuration.bootstrapServers.isEmpty {
            configuration.bootstrapServers = environment["DRIFTWATCH_BOOTSTRAP_SERVERS"] ?? defaultBootstrapServers ?? ""
        }
        guard !configuration.bootstrapServers.isEmpty else {
            throw .client("no Kafka brokers given: use --bootstrap-servers, bootstrap.servers in --kafka-config, or DRIFTWATCH_BOOTSTRAP_SERVERS", operation: "configuration")
        }
        configuration.clientID = clientID ?? configuration.clientID
        configuration.securityProtocol = securityProtocol
        configuration.saslMechanism = saslMechanism
        configuration.saslUsername = saslUsername
        configuration.sslCALocation = sslCALocation
        configuration.sslCertificateLocation = sslCertificateLocation
        configuration.sslKeyLocation = sslKeyLocation
        if let saslPassword {
            configuration.saslPassword = saslPassword
        } else if configuration.properties["sasl.password"] == nil, let fromEnvironment = environment["DRIFTWATCH_SASL_PASSWORD"] {
            configuration.saslPassword = fromEnvironment
        }
        return configuration
    }
}
