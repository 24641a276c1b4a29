/// A strict, allocation-free JSON reader over UTF-8 bytes, driven by the caller (pull parsing).
///
/// It follows RFC 8259 exactly: no comments, no trailing commas, no `NaN` / `Infinity` literals, no
/// leading zeros or `+` signs, strings without raw control characters and with valid UTF-8 and escapes.
/// Nesting deeper than ``maximumDepth`` is an error, so hostile input cannot exhaust the stack.
///
/// The reader does not own the bytes: it is valid while the buffer it was made from is.
public struct JSONReader {
    /// The bytes being read.
    public let bytes: UnsafeRawBufferPointer
    /// The offset of the next unread byte.
    public private(set) var offset: Int
    /// The deepest nesting of arrays and objects that ``skipValue()`` accepts.
    public let maximumDepth: Int

    /// A reader positioned at the start of `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int = 64) {
        self.bytes = bytes
        self.offset = 0
        self.maximumDepth = maximumDepth
    }

    /// The kind of the next value, after whitespace; `nil` at the end of the input.
    public mutating func peekKind() -> JSONValueKind? {
        skipWhitespace()
        guard offset < bytes.count else { return nil }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return .invalid
        }
    }

    // MARK: Structure

    /// Consumes `{`.
    public mutating func beginObject() throws(JSONSyntaxError) {
        try expect(UInt8(ascii: "{"), "expected an object")
    }

    /// Consumes `[`.
    public mutating func beginArray() throws(JSONSyntaxError) {
        try expect(UInt8(ascii: "["), "expected an array")
    }

    /// Reads the next member's key of an object (and its `:`), or returns `nil` and consumes the `}`.
    /// `first` tells whether a member has been read from this object yet.
    public mutating func nextKey(first: Bool) throws(JSONSyntaxError) -> JSONStringToken? {
        skipWhitespace()
        guard offset < bytes.count else { throw error("unterminated object") }
        if bytes[offset] == UInt8(ascii: "}") {
            offset += 1
            return nil
        }
        if !first {
            guard bytes[offset] == UInt8(ascii: ",") else { throw error("expected ',' or '}' in an object") }
            offset += 1
            skipWhitespace()
        }
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw error("expected a member name") }
        let key = try readStringToken()
        try expect(UInt8(ascii: ":"), "expected ':' after a member name")
        return key
    }

    /// Returns whether another element follows in an array (consuming its `,`), or consumes the `]`.
    public mutating func hasNextElement(first: Bool) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard offset < bytes.count else { throw error("unterminated array") }
        if bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            return false
        }
        if !first {
            guard bytes[offset] == UInt8(ascii: ",") else { throw error("expected ',' or ']' in an array") }
            offset += 1
        }
        return true
    }

    /// Succeeds when only whitespace is left.
    public mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        guard offset == bytes.count else { throw error("unexpected data after the JSON value") }
    }

    // MARK: Scalars

    /// Reads a string and returns where its content lies (escapes not yet decoded).
    public mutating func readStringToken() throws(JSONSyntaxError) -> JSONStringToken {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw error("expected a string") }
        offset += 1
        let start = offset
        var escaped = false
        var ascii = true
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let token = JSONStringToken(start: start, count: offset - start, hasEscapes: escaped)
                offset += 1
                if !ascii, !UTF8Validation.isValid(UnsafeRawBufferPointer(rebasing: bytes[token.start..<token.start + token.count])) {
                    offset = start
                    throw error("invalid UTF-8 in a string")
                }
                return token
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                offset += 2
                continue
            }
            if byte < 0x20 { throw error("control character in a string") }
            if byte >= 0x80 { ascii = false }
            offset += 1
        }
        offset = bytes.count
        throw error("unterminated string")
    }

    /// Reads a string as a Swift `String`, decoding escapes.
    public mutating func readString() throws(JSONSyntaxError) -> String {
        let token = try readStringToken()
        return try string(token)
    }

    /// The text of a string token, escapes decoded.
    public func string(_ token: JSONStringToken) throws(JSONSyntaxError) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[token.start..<token.start + token.count])
        guard token.hasEscapes else { return String(decoding: raw, as: UTF8.self) }
        guard let decoded = JSONEscapes.decode(raw) else {
            throw JSONSyntaxError(offset: token.start, message: "invalid escape in a string")
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Calls `body` with the UTF-8 bytes of a string token, escapes decoded.
    public func withBytes<R>(of token: JSONStringToken, _ body: (UnsafeRawBufferPointer) -> R) throws(JSONSyntaxError) -> R {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[token.start..<token.start + token.count])
        guard token.hasEscapes else { return body(raw) }
        guard let decoded = JSONEscapes.decode(raw) else {
            throw JSONSyntaxError(offset: token.start, message: "invalid escape in a string")
        }
        return decoded.withUnsafeBytes { body($0) }
    }

    /// Whether a string token's raw content equals `literal` (for member names, which rarely have escapes).
    public func token(_ token: JSONStringToken, equals literal: StaticString) -> Bool {
        guard !token.hasEscapes, token.count == literal.utf8CodeUnitCount else { return false }
        return memcmp(bytes.baseAddress! + token.start, literal.utf8Start, token.count) == 0
    }

    /// Reads a number (JSON grammar, checked) as a `Double`. Out-of-range magnitudes give ±infinity, which
    /// callers that need finite values reject.
    public mutating func readNumber() throws(JSONSyntaxError) -> Double {
        skipWhitespace()
        let start = offset
        guard try scanNumber() else { throw error("expected a number") }
        let pointer = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + start
        guard let value = FastDoubleParser.parse(pointer, count: offset - start) else {
            offset = start
            throw error("invalid number")
        }
        return value
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw error("expected true or false")
    }

    /// Consumes `null` if it is next; returns whether it was.
    public mutating func readNullIfPresent() -> Bool {
        skipWhitespace()
        return matchLiteral("null")
    }

    /// Skips one value of any kind, checking its syntax.
    public mutating func skipValue() throws(JSONSyntaxError) {
        try skipValue(depth: 0)
    }

    /// An error at the current offset.
    public func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset, message: message)
    }

    // MARK: Internals

    private mutating func skipValue(depth: Int) throws(JSONSyntaxError) {
        guard let kind = peekKind() else { throw error("unexpected end of input") }
        switch kind {
        case .object:
            guard depth < maximumDepth else { throw error("nesting deeper than \(maximumDepth) levels") }
            offset += 1
            var first = true
            while try nextKey(first: first) != nil {
                first = false
                try skipValue(depth: depth + 1)
            }
        case .array:
            guard depth < maximumDepth else { throw error("nesting deeper than \(maximumDepth) levels") }
            offset += 1
            var first = true
            while try hasNextElement(first: first) {
                first = false
                try skipValue(depth: depth + 1)
            }
        case .string:
            let token = try readStringToken()
            if token.hasEscapes { _ = try string(token) }
        case .number:
            _ = try readNumber()
        case .bool:
            _ = try readBool()
        case .null:
            guard readNullIfPresent() else { throw error("invalid literal") }
        case .invalid:
            throw error("unexpected character")
        }
    }

    /// Scans `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; false if no number starts here.
    private mutating func scanNumber() throws(JSONSyntaxError) -> Bool {
        let start = offset
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count, isDigit(bytes[offset]) else {
            offset = start
            return false
        }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
            if offset < bytes.count, isDigit(bytes[offset]) { throw error("leading zero in a number") }
        } else {
            while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard offset < bytes.count, isDigit(bytes[offset]) else { throw error("expected a digit after '.'") }
            while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard offset < bytes.count, isDigit(bytes[offset]) else { throw error("expected a digit in an exponent") }
            while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
        }
        return true
    }

    @inline(__always) private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count, memcmp(bytes.baseAddress! + offset, literal.utf8Start, count) == 0 else { return false }
        offset += count
        return true
    }

    private mutating func expect(_ byte: UInt8, _ message: String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == byte else { throw error(message) }
        offset += 1
    }

    @inline(__always) private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }
}

/// What kind of value comes next.
public enum JSONValueKind: Sendable, Equatable {
    case object, array, string, number, bool, null
    /// A byte that starts no JSON value.
    case invalid
}

/// Where a string's raw content lies in the input.
public struct JSONStringToken: Sendable, Equatable {
    /// Offset of the first content byte (after the opening quote).
    public let start: Int
    /// Number of raw content bytes.
    public let count: Int
    /// Whether the content has backslash escapes to decode.
    public let hasEscapes: Bool
}

/// A syntax error: what was wrong, and at which byte offset.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset in the input.
    public let offset: Int
    /// What was wrong.
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) at byte \(offset)" }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
