import CRdKafka

/// The kind of librdkafka client a configuration is built for.
public enum KafkaClientRole: Sendable {
    case producer, consumer, admin

    var nativeType: rd_kafka_type_t {
        self == .consumer ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER
    }
}

extension KafkaConfiguration {
    /// Checks the configuration with librdkafka itself: every property is set on a native configuration and
    /// a client of `role` is created and destroyed at once (no connection is made), so conflicting settings
    /// such as `enable.idempotence=true` with `acks=1` are caught too.
    ///
    /// - Throws: `KafkaError` with operation `"configuration"` and librdkafka's own error text.
    public func validate(for role: KafkaClientRole) throws(KafkaError) {
        let conf = try makeNativeConfiguration(role: role, overrides: [])
        let handle = try KafkaConfiguration.createClient(conf, role: role)
        rd_kafka_destroy(handle)
    }

    /// Builds an `rd_kafka_conf_t` (owned by the caller until passed to `rd_kafka_new`).
    ///
    /// `overrides` are wrapper settings applied before the user's properties (so users can still change them);
    /// idempotence is only applied to producers.
    func makeNativeConfiguration(role: KafkaClientRole, overrides: [(String, String)]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw .client("rd_kafka_conf_new failed", operation: "configuration", code: RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE)
        }
        var settings = overrides
        if role == .producer { settings.append(("enable.idempotence", enableIdempotence ? "true" : "false")) }
        settings.append(contentsOf: librdkafkaProperties.map { ($0.key, $0.value) })
        for (key, value) in settings {
            do throws(KafkaError) {
                try KafkaConfiguration.set(conf, key, value)
            } catch {
                rd_kafka_conf_destroy(conf)
                throw error
            }
        }
        return conf
    }

    /// Sets one property, translating librdkafka's failure text into a `KafkaError`.
    static func set(_ conf: OpaquePointer, _ key: String, _ value: String) throws(KafkaError) {
        var errorText = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(conf, key, value, &errorText, errorText.count)
        guard result != RD_KAFKA_CONF_OK else { return }
        let text = String(errorBuffer: errorText)
        let shownValue = isSecret(key) ? "[redacted]" : value
        throw KafkaError(
            code: result == RD_KAFKA_CONF_UNKNOWN ? RD_KAFKA_RESP_ERR__UNKNOWN_PROTOCOL : RD_KAFKA_RESP_ERR__INVALID_ARG,
            operation: "configuration",
            message: "\(key)=\(shownValue): \(text)"
        )
    }

    /// `rd_kafka_new` with the configuration (consumed on success and on failure).
    static func createClient(_ conf: OpaquePointer, role: KafkaClientRole) throws(KafkaError) -> OpaquePointer {
        var errorText = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(role.nativeType, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            let text = String(errorBuffer: errorText)
            throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG, operation: "configuration", message: text)
        }
        return handle
    }
}
