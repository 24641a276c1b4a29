import DriftJSON

/// Field readers shared by the event decoders: each checks the JSON type and the field's rules and
/// reports a ``ContractViolation`` with the field's path.
enum ContractReading {
    /// A member name for a path (`?` if its escapes are invalid).
    static func name(_ key: JSONStringToken, _ reader: borrowing JSONReader) -> String {
        (try? reader.string(key)) ?? "?"
    }

    /// A `wrong_type` violation, or `malformed_json` when what follows is no JSON value at all (`NaN`,
    /// `Infinity`, a stray character, the end of the input).
    static func mismatch(_ reader: borrowing JSONReader, path: String, _ message: String) -> ContractViolation {
        var probe = copy reader
        switch probe.peekKind() {
        case .invalid, nil:
            return ContractViolation(.malformedJSON, path: "$", "no JSON value at byte \(probe.offset) (in \(path))")
        default:
            return ContractViolation(.wrongType, path: path, message)
        }
    }

    static func nonEmptyString(_ reader: inout JSONReader, path: String, limits: DecoderLimits) throws -> String {
        guard reader.peekKind() == .string else { throw ContractReading.mismatch(reader, path: path, "expected a string") }
        let token = try reader.readStringToken()
        guard token.count > 0 else { throw ContractViolation(.invalidValue, path: path, "must not be empty") }
        guard token.count <= limits.maximumStringBytes else {
            throw ContractViolation(.invalidValue, path: path, "longer than \(limits.maximumStringBytes) bytes")
        }
        return try reader.string(token)
    }

    /// A string (or, when `numbers`, an integer or number kept in its canonical spelling) as a symbol.
    static func symbol(
        _ reader: inout JSONReader, path: String, numbers: Bool, into symbols: inout SymbolTable, limits: DecoderLimits
    ) throws -> Symbol {
        switch reader.peekKind() {
        case .string:
            let token = try reader.readStringToken()
            guard token.count > 0 else { throw ContractViolation(.invalidValue, path: path, "must not be empty") }
            guard token.count <= limits.maximumStringBytes else {
                throw ContractViolation(.invalidValue, path: path, "longer than \(limits.maximumStringBytes) bytes")
            }
            return try reader.withBytes(of: token) { symbols.intern($0) }
        case .number where numbers:
            let value = try reader.readNumber()
            guard value.isFinite else { throw ContractViolation(.nonFiniteNumber, path: path, "the number is out of range") }
            return symbols.intern(canonicalSpelling(value))
        default:
            throw ContractReading.mismatch(reader, path: path, numbers ? "expected a string or a number" : "expected a string")
        }
    }

    /// A finite JSON number.
    static func finiteNumber(_ reader: inout JSONReader, path: String) throws -> Double {
        guard reader.peekKind() == .number else { throw ContractReading.mismatch(reader, path: path, "expected a number") }
        let value = try reader.readNumber()
        guard value.isFinite else { throw ContractViolation(.nonFiniteNumber, path: path, "the number is out of range") }
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
            throw ContractReading.mismatch(reader, path: path, "expected RFC 3339 text or epoch milliseconds")
        }
    }

    /// A label: a string or boolean (a class) or a number (a class in its canonical spelling when
    /// `numbersAsCategories`, else a regression target).
    static func label(
        _ reader: inout JSONReader, path: String, into symbols: inout SymbolTable, limits: DecoderLimits,
        numbersAsCategories: Bool = false
    ) throws -> LabelValue {
        switch reader.peekKind() {
        case .string:
            return .category(try symbol(&reader, path: path, numbers: false, into: &symbols, limits: limits))
        case .bool:
            return .category(symbols.intern(try reader.readBool() ? "true" : "false"))
        case .number:
            let value = try finiteNumber(&reader, path: path)
            return numbersAsCategories ? .category(symbols.intern(canonicalSpelling(value))) : .number(value)
        default:
            throw ContractReading.mismatch(reader, path: path, "expected a string, a number or a boolean")
        }
    }

    /// `1` for 1.0, `0.25` for 0.25: integers without a fraction, others in Swift's shortest round-trip form.
    static func canonicalSpelling(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return value.description
    }
}

extension LabelValue {
    /// The label as a class: a category as is, a number in its canonical spelling (`1`, `0.5`).
    public func classSymbol(in symbols: inout SymbolTable) -> Symbol {
        switch self {
        case .category(let symbol): return symbol
        case .number(let value): return symbols.intern(ContractReading.canonicalSpelling(value))
        }
    }
}
