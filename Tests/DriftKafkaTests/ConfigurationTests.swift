import DriftKafka
import Testing

@Suite("KafkaConfiguration")
struct ConfigurationTests {
    @Test("typed fields map to librdkafka properties and win over raw ones")
    func typedFieldsMap() {
        var configuration = KafkaConfiguration(bootstrapServers: "a:9092,b:9092", clientID: "c", groupID: "g", properties: ["acks": "1", "queued.min.messages": "5"])
        configuration.acks = .all
        configuration.compression = .zstd
        configuration.lingerMilliseconds = 2.5
        configuration.autoOffsetReset = .latest
        configuration.securityProtocol = .saslSSL
        configuration.saslMechanism = .scramSHA512
        let properties = Dictionary(uniqueKeysWithValues: configuration.librdkafkaProperties.map { ($0.key, $0.value) })
        #expect(properties["bootstrap.servers"] == "a:9092,b:9092")
        #expect(properties["acks"] == "all")
        #expect(properties["compression.codec"] == "zstd")
        #expect(properties["linger.ms"] == "2.5")
        #expect(properties["auto.offset.reset"] == "latest")
        #expect(properties["security.protocol"] == "sasl_ssl")
        #expect(properties["sasl.mechanisms"] == "SCRAM-SHA-512")
        #expect(properties["queued.min.messages"] == "5")
        #expect(properties["group.id"] == "g")
    }

    @Test("a valid configuration passes librdkafka's own checks for every role")
    func validConfiguration() throws {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1", groupID: "g")
        configuration.compression = .lz4
        configuration.batchSizeBytes = 1_000_000
        configuration.fetchMaxBytes = 10_000_000
        configuration.sessionTimeoutMilliseconds = 10_000
        try configuration.validate(for: .producer)
        try configuration.validate(for: .consumer)
        try configuration.validate(for: .admin)
    }

    @Test("an unknown property fails with librdkafka's text")
    func unknownProperty() {
        let configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1", properties: ["no.such.property": "1"])
        let error = #expect(throws: KafkaError.self) { try configuration.validate(for: .producer) }
        #expect(error?.operation == "configuration")
        #expect(error?.message.contains("No such configuration property") == true, "\(String(describing: error))")
    }

    @Test("an invalid value fails with librdkafka's text")
    func invalidValue() {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.batchSizeBytes = -5
        let error = #expect(throws: KafkaError.self) { try configuration.validate(for: .producer) }
        #expect(error?.message.contains("batch.size") == true, "\(String(describing: error))")
    }

    @Test("conflicting settings are caught at client creation: idempotence needs acks=all")
    func idempotenceNeedsAcksAll() throws {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.acks = .leader
        let error = #expect(throws: KafkaError.self) { try configuration.validate(for: .producer) }
        #expect(error?.message.contains("acks") == true, "\(String(describing: error))")
        configuration.enableIdempotence = false
        try configuration.validate(for: .producer)
    }

    @Test("secrets are redacted from descriptions and errors")
    func secretsRedacted() {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1", properties: ["sasl.oauthbearer.client.secret": "s3cr3t-2"])
        configuration.saslUsername = "alice"
        configuration.saslPassword = "hunter2-secret"
        configuration.sslKeyPassword = "key-pass-9"
        #expect(configuration.description.contains("alice"))
        #expect(!configuration.description.contains("hunter2-secret"))
        #expect(!configuration.description.contains("key-pass-9"))
        #expect(!configuration.description.contains("s3cr3t-2"))
        configuration.properties["sasl.password.bogus"] = "leak-me"
        let error = #expect(throws: KafkaError.self) { try configuration.validate(for: .producer) }
        #expect(error.map { !$0.description.contains("leak-me") } == true)
    }

    @Test("a Java-style properties file parses into the configuration")
    func propertiesFile() {
        let text = """
        # Confluent Cloud style
        bootstrap.servers=broker-1:9092,broker-2:9092
        security.protocol = SASL_SSL
        sasl.mechanisms: PLAIN
        ! another comment
        sasl.username=key
        sasl.password=se=cret

        """
        let configuration = KafkaConfiguration(propertiesFileContents: text)
        #expect(configuration.bootstrapServers == "broker-1:9092,broker-2:9092")
        #expect(configuration.properties["security.protocol"] == "SASL_SSL")
        #expect(configuration.properties["sasl.mechanisms"] == "PLAIN")
        #expect(configuration.properties["sasl.password"] == "se=cret")
        #expect(configuration.properties.count == 4)
    }

    @Test("a producer or consumer refuses an invalid configuration at creation")
    func clientsValidate() {
        let bad = KafkaConfiguration(bootstrapServers: "127.0.0.1:1", properties: ["linger.ms": "banana"])
        #expect(throws: KafkaError.self) { _ = try KafkaProducer(configuration: bad) }
        #expect(throws: KafkaError.self) { _ = try KafkaConsumer(configuration: bad, topics: ["t"]) }
        let noGroup = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        let error = #expect(throws: KafkaError.self) { _ = try KafkaConsumer(configuration: noGroup, topics: ["t"]) }
        #expect(error?.message.contains("groupID") == true)
    }
}
