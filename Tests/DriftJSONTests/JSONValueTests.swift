import DriftJSON
import Testing

@Suite("JSONValue: parse and serialize")
struct JSONValueTests {
    @Test("a document parses back to what was serialized, key order kept")
    func roundTrip() throws {
        let value = JSONValue.object([
            ("b", .int(1)), ("a", .array([.number(0.1), .bool(true), .null, .string("q\"\\\n\u{1}é")])),
            ("c", .object([])), ("d", .array([])), ("e", .number(-2.5e-300)),
        ])
        for pretty in [false, true] {
            #expect(try JSONValue.parse(value.serialized(pretty: pretty)) == value)
        }
        #expect(value.serialized() == #"{"b":1,"a":[0.1,true,null,"q\"\\\n\u0001é"],"c":{},"d":[],"e":-2.5e-300}"#)
    }

    @Test("integers keep every digit; fractions and exponents are doubles")
    func numbers() throws {
        #expect(try JSONValue.parse("9007199254740993") == .int(9_007_199_254_740_993))
        #expect(try JSONValue.parse("-9223372036854775808") == .int(.min))
        #expect(try JSONValue.parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
        #expect(try JSONValue.parse("1.0") == .number(1))
        #expect(try JSONValue.parse("1e2") == .number(100))
    }

    @Test("the writer and JSONValue escape strings alike")
    func writerAgrees() {
        let text = "tab\there \"quoted\" back\\slash \u{7F} \u{1F} ünï"
        var writer = JSONWriter()
        writer.string(text)
        #expect(writer.text == JSONValue.string(text).serialized())
    }

    @Test("syntax errors and nesting beyond the limit are refused")
    func refusals() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "01", "NaN", "\"\\q\"", "[1] 2"] {
            #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(text) }
        }
        let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(deep) }
        #expect(throws: Never.self) { try JSONValue.parse(Array(deep.utf8), maximumDepth: 80) }
    }
}
