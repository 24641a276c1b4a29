import CRdKafka

extension String {
    /// The text librdkafka wrote into a fixed `char` buffer (up to its first NUL).
    init(errorBuffer: [CChar]) {
        self.init(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension KafkaError {
    /// The error an `error_cb` reports: for `_FATAL`, the underlying fatal error librdkafka recorded (flagged
    /// fatal); otherwise the code and reason as given.
    static func fromErrorCallback(client: OpaquePointer?, code: Int32, reason: UnsafePointer<CChar>?, operation: String) -> KafkaError {
        let native = rd_kafka_resp_err_t(rawValue: code)
        if native == RD_KAFKA_RESP_ERR__FATAL, let client {
            var text = [CChar](repeating: 0, count: 512)
            let original = rd_kafka_fatal_error(client, &text, text.count)
            return KafkaError(code: original, operation: operation, message: String(errorBuffer: text), isFatal: true)
        }
        return KafkaError(code: native, operation: operation, message: reason.map { String(cString: $0) } ?? "")
    }
}
