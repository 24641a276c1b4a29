import DriftJSON

/// What the event decoders share: the payload-level checks and error mapping, and field readers that check
/// the JSON type and the field's rules and report a ``ContractViolation`` with the field's path. Paths are
/// autoclosures, so no string is built unless a payload is refused.
enum ContractReading {
    /// Checks the payload's size, reads it with `body` (which checks that nothing follows the value), and
    /// maps syntax errors to `malformed_json`.
    static func decode<T>(
        _ payload: UnsafeRawBufferPointer, limits: DecoderLimits, _ body: (inout JSONReader) throws -> T
    ) throws(ContractViolation) -> T {
        guard payload.count <= limits.maximumPayloadBytes else {
            throw ContractViolation(.oversizePayload, path: "$", "\(payload.count) bytes; the limit is \(limits.maximumPayloadBytes)")
        }
        var reader = JSONReader(payload, maximumDepth: limits.maximumDepth)
        do {
            return try body(&reader)
        } catch let violation as ContractViolation {
            throw violation
        } catch let syntax as JSONSyntaxError {
            throw ContractViolation(.malformedJSON, path: "$", syntax.description)
        } catch {
            throw ContractViolation(.malformedJSON, path: "$", "\(error)")
        }
    }

    /// `decode` for a payload held in an array.
    static func decode<T>(
        _ payload: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ContractViolation) -> T
    ) throws(ContractViolation) -> T {
        var result: Result<T, ContractViolation>? = nil
        payload.withUnsafeBytes { bytes in
            result = Result { () throws(ContractViolation) in try body(bytes) }
        }
        return try result!.get()
    }

    /// A member name for a path (`?` if its escapes are invalid).
    static func name(_ key: JSONStringToken, _ reader: borrowing JSONReader) -> String {
        (try? reader.string(key)) ?? "?"
    }

    /// The symbol of an object member's name, which must be non-empty and at most the string limit long;
    /// `what` words the refusal (`a feature name`).
    static func memberSymbol(
        _ key: JSONStringToken, _ reader: borrowing JSONReader, what: String, path: @autoclosure () -> String,
        into symbols: inout SymbolTable, limits: DecoderLimits
    ) throws -> Symbol {
        guard key.count > 0 else { throw ContractViolation(.invalidValue, path: path(), "\(what) is empty") }
        guard key.count <= limits.maximumStringBytes else {
            throw ContractViolation(.invalidValue, path: path(), "\(what) is longer than \(limits.maximumStringBytes) bytes")
        }
        return try reader.withBytes(of: key) { symbols.intern($0) }
    }

    /// A `wrong_type` violation, or `malformed_json` when what follows is no JSON value at all (`NaN`,
    /// `Infinity`, a stray character, the end of the input).
    static func mismatch(_ reader: borrowing JSONReader, path: String, _ message: String) -> ContractViolation {
        var probe = copy reader
        switch probe.peekKind() {
        case .invalid, nil:
            return ContractViolation(.malformedJSON, path: "$", "no JSON value at byte \(probe.offset) (in \(path))")
        default:
            // A value of the wrong type only if it is a value at all: `this is not JSON` starts like `true`.
            let start = probe.offset
            guard (try? probe.skipValue()) != nil else {
                return ContractViolation(.malformedJSON, path: "$", "no valid JSON value at byte \(start) (in \(path))")
            }
            return ContractViolation(.wrongType, path: path, message)
        }
    }

    static func nonEmptyString(_ reader: inout JSONReader, path: @autoclosure () -> String, limits: DecoderLimits) throws -> String {
        guard reader.peekKind() == .string else { throw mismatch(reader, path: path(), "expected a string") }
        let token = try reader.readStringToken()
        guard token.count > 0 else { throw ContractViolation(.invalidValue, path: path(), "must not be empty") }
        guard token.count <= limits.maximumStringBytes else {
            throw ContractViolation(.invalidValue, path: path(), "longer than \(limits.maximumStringBytes) bytes")
        }
        return try reader.string(token)
    }

    /// A string (or, when `numbers`, an integer or number kept in its canonical spelling) as a symbol.
    static func symbol(
        _ reader: inout JSONReader, path: @autoclosure () -> String, numbers: Bool, into symbols: inout SymbolTable,
        limits: DecoderLimits
    ) throws -> Symbol {
        switch reader.peekKind() {
        case .string:
            let token = try reader.readStringToken()
            guard token.count > 0 else { throw ContractViolation(.invalidValue, path: path(), "must not be empty") }
            guard token.count <= limits.maximumStringBytes else {
                throw ContractViolation(.invalidValue, path: path(), "longer than \(limits.maximumStringBytes) bytes")
            }
            return try reader.withBytes(of: token) { symbols.intern($0) }
        case .number where numbers:
            let value = try reader.readNumber()
            guard value.isFinite else { throw ContractViolation(.nonFiniteNumber, path: path(), "the number is out of range") }
            return symbols.intern(value.canonicalText)
        default:
            throw mismatch(reader, path: path(), numbers ? "expected a string or a number" : "expected a string")
        }
    }

    /// A finite JSON number.
    static func finiteNumber(_ reader: inout JSONReader, path: @autoclosure () -> String) throws -> Double {
        guard reader.peekKind() == .number else { throw mismatch(reader, path: path(), "expected a number") }
        let value = try reader.readNumber()
        guard value.isFinite else { throw ContractViolation(.nonFiniteNumber, path: path(), "the number is out of range") }
        return value
    }

    /// RFC 3339 text or epoch milliseconds (a non-negative number), as milliseconds since the epoch.
    static func timestamp(_ reader: inout JSONReader, path: String) throws -> Int64 {
        switch reader.peekKind() {
        case .number:
            let value = try reader.readNumber()
            guard value.isFinite, value >= 0, value < Double(EventTimestamp.maximumMilliseconds) else {
                throw ContractViolation(.invalidTimestamp, path: path, "epoch milliseconds must be between 0 and year 10000")
            }
            return Int64(value)
        case .string:
            let token = try reader.readStringToken()
            let parsed = try reader.withBytes(of: token) { EventTimestamp.parse($0) }
            guard let parsed else {
                throw ContractViolation(.invalidTimestamp, path: path, "expected RFC 3339 (2026-11-23T10:15:30Z) or epoch milliseconds")
            }
            return parsed
        default:
            throw mismatch(reader, path: path, "expected RFC 3339 text or epoch milliseconds")
        }
    }

    /// A class label: a string, a boolean (`true` / `false`) or a number in its canonical spelling.
    static func classLabel(_ reader: inout JSONReader, path: String, into symbols: inout SymbolTable, limits: DecoderLimits) throws -> Symbol {
        switch reader.peekKind() {
        case .bool:
            return symbols.intern(try reader.readBool() ? "true" : "false")
        case .string, .number:
            return try symbol(&reader, path: path, numbers: true, into: &symbols, limits: limits)
        default:
            throw mismatch(reader, path: path, "expected a string, a number or a boolean")
        }
    }

    /// A ground-truth label: a number is a regression target, anything else a class (``classLabel``).
    static func label(_ reader: inout JSONReader, path: String, into symbols: inout SymbolTable, limits: DecoderLimits) throws -> LabelValue {
        guard reader.peekKind() == .number else { return .category(try classLabel(&reader, path: path, into: &symbols, limits: limits)) }
        return .number(try finiteNumber(&reader, path: path))
    }
}
