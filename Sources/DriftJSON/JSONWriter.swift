/// Writes compact JSON into a byte buffer, inserting the commas itself.
///
/// Numbers use Swift's shortest round-trip spelling; non-finite numbers, which JSON cannot express, are
/// written as `null`. Strings are escaped as RFC 8259 requires.
public struct JSONWriter {
    /// The JSON written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    public init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); bytes.append(UInt8(ascii: "}")) }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); bytes.append(UInt8(ascii: "]")) }

    /// Writes a member name; the member's value comes next.
    public mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    public mutating func string(_ value: String) { separate(); appendString(value) }
    public mutating func number(_ value: Double) {
        separate()
        if value.isFinite { bytes.append(contentsOf: value.description.utf8) } else { appendLiteral("null") }
    }
    public mutating func int(_ value: Int64) { separate(); bytes.append(contentsOf: String(value).utf8) }
    public mutating func int(_ value: Int) { int(Int64(value)) }
    public mutating func bool(_ value: Bool) { separate(); appendLiteral(value ? "true" : "false") }
    public mutating func null() { separate(); appendLiteral("null") }

    /// Writes a member with a string value.
    public mutating func member(_ name: String, _ value: String) { key(name); string(value) }
    /// Writes a member with a number value (`null` if not finite).
    public mutating func member(_ name: String, _ value: Double) { key(name); number(value) }
    /// Writes a member with an integer value.
    public mutating func member(_ name: String, _ value: Int) { key(name); int(value) }
    /// Writes a member with an integer value.
    public mutating func member(_ name: String, _ value: Int64) { key(name); int(value) }
    /// Writes a member with a boolean value.
    public mutating func member(_ name: String, _ value: Bool) { key(name); bool(value) }

    /// Writes already-serialized JSON as the next value (the caller vouches for it).
    public mutating func raw(_ json: some Sequence<UInt8>) { separate(); bytes.append(contentsOf: json) }

    /// The JSON as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func appendLiteral(_ literal: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private mutating func appendString(_ value: String) {
        Self.appendQuoted(value, to: &bytes)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `value` as a JSON string: quoted, with `"`, backslash and control characters (and DEL) escaped.
    public static func appendQuoted(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20, 0x7F:
                bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                          hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
