/// A JSON document with ordered object keys, and its serializer.
///
/// Non-finite numbers have no JSON form: `.number` of NaN or ±infinity is written as `null`.
/// Finite doubles use Swift's shortest round-trip spelling (`0.1`, `1e-05`), which JSON parsers read
/// back to the same double.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.serialized() == rhs.serialized()
    }

    /// `.number(x)` or `.null` for `nil`.
    public static func optional(_ value: Double?) -> JSONValue {
        value.map(JSONValue.number) ?? .null
    }

    /// The JSON text; `pretty` indents by two spaces, one member per line.
    public func serialized(pretty: Bool = false) -> String {
        var out: [UInt8] = []
        write(into: &out, pretty: pretty, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private func write(into out: inout [UInt8], pretty: Bool, indent: Int) {
        switch self {
        case .null:
            out += "null".utf8
        case .bool(let value):
            out += (value ? "true" : "false").utf8
        case .int(let value):
            out += String(value).utf8
        case .number(let value):
            out += (value.isFinite ? value.description : "null").utf8
        case .string(let value):
            JSONWriter.appendQuoted(value, to: &out)
        case .array(let items):
            if items.isEmpty {
                out += "[]".utf8
                return
            }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { Self.newline(&out, indent + 1) }
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { Self.newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty {
                out += "{}".utf8
                return
            }
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { Self.newline(&out, indent + 1) }
                JSONWriter.appendQuoted(key, to: &out)
                out += (pretty ? ": " : ":").utf8
                value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { Self.newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(0x0A)
        out += repeatElement(UInt8(ascii: " "), count: 2 * indent)
    }
}
