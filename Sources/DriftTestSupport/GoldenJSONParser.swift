import DriftJSON

/// Reads the golden files in the shapes `JSONSerialization` gives (`[String: Any]`, `[Any]`, `String`, `Int`
/// for integers that fit, `Double`, `Bool`, and `GoldenJSONParser.null`), through DriftJSON's strict reader.
///
/// Foundation's `JSONSerialization` on Linux can be off by an ulp when it turns decimals into doubles; the
/// golden values must be the exact doubles the peer libraries used, and DriftJSON's number parser gives
/// exactly what `Double(String)` gives (correctly rounded).
public struct GoldenJSONParser {
    /// The JSON `null`.
    public struct Null: Equatable, Sendable {}
    public static let null = Null()

    public struct ParseError: Error, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "JSON parse error at byte \(offset): \(reason)" }
    }

    /// Parses a whole document.
    public static func parse(_ bytes: [UInt8]) throws -> Any {
        do {
            return convert(try JSONValue.parse(bytes))
        } catch {
            throw ParseError(offset: error.offset, reason: error.message)
        }
    }

    private static func convert(_ value: JSONValue) -> Any {
        switch value {
        case .null: null
        case .bool(let flag): flag
        case .int(let integer): integer
        case .number(let number): number
        case .string(let text): text
        case .array(let items): items.map(convert)
        case .object(let members): Dictionary(members.map { ($0.0, convert($0.1)) }, uniquingKeysWith: { _, last in last })
        }
    }
}
