/// How to reach a Kafka cluster and how a client behaves on it.
///
/// Typed fields cover what Driftwatch uses; `properties` passes any other librdkafka property through
/// unchanged (see librdkafka's CONFIGURATION.md). A typed field wins over the same key in `properties`.
/// `validate(for:)` (and every client's initializer) hands the whole set to librdkafka and reports its own
/// error text for a bad key or value, so a typo fails at start-up, not at the first message.
///
/// Secrets (`saslPassword`, `sslKeyPassword`, and raw properties whose name contains `password` or
/// `secret`) are redacted from `description`.
public struct KafkaConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// Acknowledgements a producer waits for.
    public enum Acks: String, Sendable, CaseIterable {
        /// No acknowledgement (`acks=0`).
        case none = "0"
        /// The partition leader's (`acks=1`).
        case leader = "1"
        /// Every in-sync replica's (`acks=all`); required by idempotence.
        case all = "all"
    }

    /// Producer compression codec.
    public enum Compression: String, Sendable, CaseIterable {
        case none, gzip, snappy, lz4, zstd
    }

    /// Where a consumer starts when its group has no committed offset (or the offset is out of range).
    public enum AutoOffsetReset: String, Sendable, CaseIterable {
        case earliest, latest
        /// Report an error instead of resetting.
        case error
    }

    /// Transport security.
    public enum SecurityProtocol: String, Sendable, CaseIterable {
        case plaintext, ssl
        case saslPlaintext = "sasl_plaintext"
        case saslSSL = "sasl_ssl"
    }

    /// SASL mechanism.
    public enum SASLMechanism: String, Sendable, CaseIterable {
        case plain = "PLAIN"
        case scramSHA256 = "SCRAM-SHA-256"
        case scramSHA512 = "SCRAM-SHA-512"
        case gssapi = "GSSAPI"
        case oauthBearer = "OAUTHBEARER"
    }

    /// Comma-separated `host:port` list (`bootstrap.servers`).
    public var bootstrapServers: String
    /// `client.id`, shown in broker logs and metrics.
    public var clientID: String?
    /// Consumer group (`group.id`); required by `KafkaConsumer`.
    public var groupID: String?
    /// Producer acknowledgements (`acks`); nil keeps librdkafka's default (`all`).
    public var acks: Acks?
    /// Idempotent producer (`enable.idempotence`): no duplicates or reordering from retries. On by default.
    public var enableIdempotence: Bool
    /// `compression.codec`.
    public var compression: Compression?
    /// Producer batching delay in milliseconds (`linger.ms`).
    public var lingerMilliseconds: Double?
    /// Maximum size of a produce batch in bytes (`batch.size`).
    public var batchSizeBytes: Int?
    /// Maximum messages in a produce batch (`batch.num.messages`).
    public var batchMessages: Int?
    /// Maximum bytes per fetch response (`fetch.max.bytes`).
    public var fetchMaxBytes: Int?
    /// Minimum bytes a broker waits for before answering a fetch (`fetch.min.bytes`).
    public var fetchMinBytes: Int?
    /// Maximum bytes per partition per fetch (`max.partition.fetch.bytes`).
    public var maxPartitionFetchBytes: Int?
    /// Group session timeout in milliseconds (`session.timeout.ms`).
    public var sessionTimeoutMilliseconds: Int?
    /// `auto.offset.reset`.
    public var autoOffsetReset: AutoOffsetReset?
    /// `security.protocol`.
    public var securityProtocol: SecurityProtocol?
    /// `sasl.mechanisms`.
    public var saslMechanism: SASLMechanism?
    /// `sasl.username`.
    public var saslUsername: String?
    /// `sasl.password` (redacted from `description`).
    public var saslPassword: String?
    /// `ssl.ca.location`: CA certificate file or directory.
    public var sslCALocation: String?
    /// `ssl.certificate.location`: the client's certificate (PEM).
    public var sslCertificateLocation: String?
    /// `ssl.key.location`: the client's private key (PEM).
    public var sslKeyLocation: String?
    /// `ssl.key.password` (redacted from `description`).
    public var sslKeyPassword: String?
    /// Any other librdkafka property, passed through as given.
    public var properties: [String: String]

    /// A configuration for `bootstrapServers` with librdkafka's defaults and idempotence on.
    public init(bootstrapServers: String, clientID: String? = nil, groupID: String? = nil, properties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.groupID = groupID
        self.enableIdempotence = true
        self.properties = properties
    }

    /// Every property this configuration sets, typed fields over raw ones, in a stable order.
    public var librdkafkaProperties: [(key: String, value: String)] {
        var merged = properties
        func set(_ key: String, _ value: String?) { if let value { merged[key] = value } }
        set("bootstrap.servers", bootstrapServers)
        set("client.id", clientID)
        set("group.id", groupID)
        set("acks", acks?.rawValue)
        set("compression.codec", compression?.rawValue)
        set("linger.ms", lingerMilliseconds.map { KafkaConfiguration.format($0) })
        set("batch.size", batchSizeBytes.map(String.init))
        set("batch.num.messages", batchMessages.map(String.init))
        set("fetch.max.bytes", fetchMaxBytes.map(String.init))
        set("fetch.min.bytes", fetchMinBytes.map(String.init))
        set("max.partition.fetch.bytes", maxPartitionFetchBytes.map(String.init))
        set("session.timeout.ms", sessionTimeoutMilliseconds.map(String.init))
        set("auto.offset.reset", autoOffsetReset?.rawValue)
        set("security.protocol", securityProtocol?.rawValue)
        set("sasl.mechanisms", saslMechanism?.rawValue)
        set("sasl.username", saslUsername)
        set("sasl.password", saslPassword)
        set("ssl.ca.location", sslCALocation)
        set("ssl.certificate.location", sslCertificateLocation)
        set("ssl.key.location", sslKeyLocation)
        set("ssl.key.password", sslKeyPassword)
        return merged.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    /// True for property names whose values must never be printed.
    public static func isSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return lowered.contains("password") || lowered.contains("secret") || lowered.hasSuffix(".key.pem")
            || lowered.contains("sasl.oauthbearer.config")
    }

    public var description: String {
        let shown = librdkafkaProperties.map { "\($0.key)=\(KafkaConfiguration.isSecret($0.key) ? "[redacted]" : $0.value)" }
        return "KafkaConfiguration(\(shown.joined(separator: ", ")))"
    }

    public static func == (lhs: KafkaConfiguration, rhs: KafkaConfiguration) -> Bool {
        lhs.librdkafkaProperties.elementsEqual(rhs.librdkafkaProperties) { $0.key == $1.key && $0.value == $1.value }
            && lhs.enableIdempotence == rhs.enableIdempotence
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
