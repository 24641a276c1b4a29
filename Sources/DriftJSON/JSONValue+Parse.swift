extension JSONValue {
    /// Parses strict JSON text into a tree (object members in document order; integers that fit in `Int`
    /// and have no fraction or exponent are `.int`, other numbers `.number`).
    public static func parse(_ bytes: [UInt8], maximumDepth: Int = 64) throws(JSONSyntaxError) -> JSONValue {
        var result: Result<JSONValue, JSONSyntaxError> = .failure(JSONSyntaxError(offset: 0, message: "empty input"))
        bytes.withUnsafeBytes { buffer in
            var reader = JSONReader(buffer, maximumDepth: maximumDepth)
            result = Result { () throws(JSONSyntaxError) in
                let value = try parseValue(&reader, depth: 0)
                try reader.expectEnd()
                return value
            }
        }
        return try result.get()
    }

    /// Parses strict JSON text.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private static func parseValue(_ reader: inout JSONReader, depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= reader.maximumDepth else { throw reader.error("nesting deeper than \(reader.maximumDepth) levels") }
        switch reader.peekKind() {
        case .object:
            try reader.beginObject()
            var members: [(String, JSONValue)] = []
            var first = true
            while let key = try reader.nextKey(first: first) {
                first = false
                members.append((try reader.string(key), try parseValue(&reader, depth: depth + 1)))
            }
            return .object(members)
        case .array:
            try reader.beginArray()
            var items: [JSONValue] = []
            var first = true
            while try reader.hasNextElement(first: first) {
                first = false
                items.append(try parseValue(&reader, depth: depth + 1))
            }
            return .array(items)
        case .string:
            return .string(try reader.readString())
        case .number:
            let start = reader.offset
            let value = try reader.readNumber()
            // Integers are read from their digits (a double would round those beyond 2^53).
            let token = UnsafeRawBufferPointer(rebasing: reader.bytes[start..<reader.offset])
            if !token.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }),
                let integer = Int(String(decoding: token, as: UTF8.self))
            {
                return .int(integer)
            }
            return .number(value)
        case .bool:
            return .bool(try reader.readBool())
        case .null:
            _ = reader.readNullIfPresent()
            return .null
        case .invalid, nil:
            throw reader.error("expected a JSON value")
        }
    }

    /// The member `key` of an object (`nil` for other values or an absent key).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The value as a number (`.int` or `.number`).
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// The value as an integer (`.int`, or a `.number` with an integral value).
    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .number(let value): Int(exactly: value)
        default: nil
        }
    }

    /// The value as a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The items of an array.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The members of an object.
    public var objectValue: [(String, JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }
}
