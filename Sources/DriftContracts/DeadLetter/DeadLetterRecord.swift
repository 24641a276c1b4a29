import DriftJSON

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
        if let key { writer.string(Base64.encode(key)) } else { writer.null() }
        writer.endObject()
        writer.member("payload_base64", Base64.encode(payload))
        writer.member("payload_size", payloadSize)
        writer.member("truncated", truncated)
        writer.member("detected_at", EventTimestamp.format(detectedAt))
        writer.endObject()
        return writer.bytes
    }
}

/// Standard base64 (RFC 4648, with padding).
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The base64 text of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)]); out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = input.count - i
        if rest > 0 {
            let n = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of base64 text; `nil` if it is not valid base64.
    public static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        var padding = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "=") { padding += 1; continue }
            guard padding == 0, let index = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt8(index))
        }
        guard (values.count + padding) % 4 == 0, padding <= 2 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < values.count {
            let chunk = values[i..<min(i + 4, values.count)]
            var n: UInt32 = 0
            for (k, v) in chunk.enumerated() { n |= UInt32(v) << UInt32(18 - 6 * k) }
            out.append(UInt8(n >> 16 & 255))
            if chunk.count > 2 { out.append(UInt8(n >> 8 & 255)) }
            if chunk.count > 3 { out.append(UInt8(n & 255)) }
            i += 4
        }
        return out
    }
}
