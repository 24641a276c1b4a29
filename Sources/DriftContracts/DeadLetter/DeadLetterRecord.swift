import DriftJSON
import Foundation

/// A refused message as written to the dead-letter topic (`schemas/dead-letter.schema.json`): why, where it
/// came from, and its original bytes, so that nothing is lost and it can be replayed once fixed.
public struct DeadLetterRecord: Sendable, Equatable {
    /// The schema version of the record.
    public static let schemaVersion = "1"
    /// Payloads larger than this are kept only in part (Kafka's default message limit is 1 MB and base64
    /// grows them by a third); the source offset still finds the whole message.
    public static let maximumKeptBytes = 600_000

    /// What kind of payload it was meant to be: `inference`, `feedback`, ….
    public var eventType: String
    public var reason: ViolationReason
    /// The field path (`$` for the whole payload).
    public var path: String
    public var message: String
    public var sourceTopic: String
    public var sourcePartition: Int32
    public var sourceOffset: Int64
    /// The source message's key, if it had one.
    public var key: [UInt8]?
    /// The original payload (at most ``maximumKeptBytes`` of it).
    public var payload: [UInt8]
    /// The original payload's size in bytes.
    public var payloadSize: Int
    /// When the worker refused it, milliseconds since the epoch.
    public var detectedAt: Int64

    public init(
        eventType: String, violation: ContractViolation, sourceTopic: String, sourcePartition: Int32, sourceOffset: Int64,
        key: [UInt8]?, payload: UnsafeRawBufferPointer, detectedAt: Int64
    ) {
        self.eventType = eventType
        self.reason = violation.reason
        self.path = violation.path
        self.message = violation.message
        self.sourceTopic = sourceTopic
        self.sourcePartition = sourcePartition
        self.sourceOffset = sourceOffset
        self.key = key
        self.payload = Array(payload.prefix(Self.maximumKeptBytes))
        self.payloadSize = payload.count
        self.detectedAt = detectedAt
    }

    /// Whether only a prefix of the payload is kept.
    public var truncated: Bool { payload.count < payloadSize }

    /// The record as compact JSON.
    public func json() -> [UInt8] {
        var writer = JSONWriter(capacity: 256 + payload.count * 4 / 3)
        writer.beginObject()
        writer.member("schema_version", Self.schemaVersion)
        writer.member("event_type", eventType)
        writer.member("reason", reason.rawValue)
        writer.member("path", path)
        writer.member("message", message)
        writer.key("source")
        writer.beginObject()
        writer.member("topic", sourceTopic)
        writer.member("partition", Int(sourcePartition))
        writer.member("offset", sourceOffset)
        writer.key("key_base64")
        if let key { writer.string(Data(key).base64EncodedString()) } else { writer.null() }
        writer.endObject()
        writer.member("payload_base64", Data(payload).base64EncodedString())
        writer.member("payload_size", payloadSize)
        writer.member("truncated", truncated)
        writer.member("detected_at", EventTimestamp.format(detectedAt))
        writer.endObject()
        return writer.bytes
    }
}
