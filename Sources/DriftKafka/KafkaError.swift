public import CRdKafka

/// An error from librdkafka or from the Swift wrapper around it.
///
/// Carries librdkafka's error code and symbolic name (`"_TRANSPORT"`, `"UNKNOWN_TOPIC_OR_PART"`, …), its
/// human-readable text, whether the failed operation may succeed if retried, whether the client instance is
/// now unusable (fatal), and which operation of ours failed.
public struct KafkaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// librdkafka's `rd_kafka_resp_err_t` value (negative: client-side, positive: broker error codes).
    public var code: Int32
    /// librdkafka's symbolic name of `code`, e.g. `"_MSG_TIMED_OUT"` or `"NOT_LEADER_OR_FOLLOWER"`.
    public var name: String
    /// The most specific text available: librdkafka's error string, or ours.
    public var message: String
    /// True when the operation may succeed if retried (librdkafka's retriable flag, or a code known to be transient).
    public var isRetriable: Bool
    /// True when the client instance can no longer be used (for example a fenced idempotent producer).
    public var isFatal: Bool
    /// The operation that failed, e.g. `"produce"`, `"commit"`, `"configuration"`.
    public var operation: String

    /// Creates an error from its parts.
    public init(code: Int32, name: String, message: String, isRetriable: Bool = false, isFatal: Bool = false, operation: String) {
        self.code = code
        self.name = name
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.operation = operation
    }

    /// An error for a librdkafka response code, named and described by librdkafka.
    public init(code: rd_kafka_resp_err_t, operation: String, message: String? = nil, isFatal: Bool = false) {
        self.init(
            code: code.rawValue,
            name: String(cString: rd_kafka_err2name(code)),
            message: message ?? String(cString: rd_kafka_err2str(code)),
            isRetriable: KafkaError.isTransient(code),
            isFatal: isFatal,
            operation: operation
        )
    }

    /// Takes ownership of an `rd_kafka_error_t` (destroying it) and converts it.
    init(consuming error: OpaquePointer, operation: String) {
        let code = rd_kafka_error_code(error)
        self.init(
            code: code.rawValue,
            name: String(cString: rd_kafka_error_name(error)),
            message: String(cString: rd_kafka_error_string(error)),
            isRetriable: rd_kafka_error_is_retriable(error) != 0 || KafkaError.isTransient(code),
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            operation: operation
        )
        rd_kafka_error_destroy(error)
    }

    /// An error raised by the wrapper itself (misuse, closed client, invalid argument); not retriable.
    static func client(_ message: String, operation: String, code: rd_kafka_resp_err_t = RD_KAFKA_RESP_ERR__INVALID_ARG) -> KafkaError {
        KafkaError(code: code, operation: operation, message: message)
    }

    /// True when librdkafka's code is `RD_KAFKA_RESP_ERR_NO_ERROR`.
    public var isNoError: Bool { code == RD_KAFKA_RESP_ERR_NO_ERROR.rawValue }

    public var description: String {
        var flags = ""
        if isRetriable { flags += ", retriable" }
        if isFatal { flags += ", fatal" }
        return "Kafka \(operation) failed: \(message) (\(name)\(flags))"
    }

    /// Codes that describe a transient condition (connection loss, timeouts, leadership moves, full queues).
    static func isTransient(_ code: rd_kafka_resp_err_t) -> Bool {
        switch code {
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
             RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__WAIT_COORD,
             RD_KAFKA_RESP_ERR__RESOLVE, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
             RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
             RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
             RD_KAFKA_RESP_ERR_NOT_COORDINATOR, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
             RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS, RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
             RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR:
            return true
        default:
            return false
        }
    }
}
