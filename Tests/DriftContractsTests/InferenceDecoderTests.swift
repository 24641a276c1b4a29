import DriftContracts
import DriftJSON
import DriftStats
import Testing

@Suite("Inference event decoder")
struct InferenceDecoderTests {
    static func decode(_ text: String, limits: DecoderLimits = DecoderLimits()) -> Result<(InferenceEvent, SymbolTable), ContractViolation> {
        var decoder = InferenceEventDecoder(limits: limits)
        var event = InferenceEvent()
        do throws(ContractViolation) {
            try decoder.decode(Array(text.utf8), into: &event)
            return .success((event, decoder.symbols))
        } catch {
            return .failure(error)
        }
    }

    static func violation(_ text: String, limits: DecoderLimits = DecoderLimits()) -> ContractViolation? {
        if case .failure(let violation) = decode(text, limits: limits) { return violation }
        return nil
    }

    static let head = #""event_id":"e","model_id":"m","model_version":"1","timestamp":0"#

    @Test("a producer's record decodes to the same fields")
    func roundTrip() throws {
        for index in 0..<50 {
            let record = Samples.record(index: index, timestampAsText: index % 2 == 0)
            var decoder = InferenceEventDecoder()
            var event = InferenceEvent()
            try decoder.decode(record.json(), into: &event)
            let symbols = decoder.symbols
            #expect(event.eventID == record.eventID)
            #expect(symbols.string(event.modelID) == record.modelID)
            #expect(symbols.string(event.modelVersion) == record.modelVersion)
            #expect(event.timestamp == record.timestamp)
            #expect(event.featureNames.map { symbols.string($0) } == record.features.map(\.0))
            for (value, (_, expected)) in zip(event.featureValues, record.features) {
                switch (value, expected) {
                case (.number(let a), .number(let b)): #expect(a == b)
                case (.category(let a), .string(let b)): #expect(symbols.string(a) == b)
                default: Issue.record("\(value) vs \(expected)")
                }
            }
            #expect(event.predictedLabel.map { symbols.string($0) } == record.predictedLabel)
            #expect(event.probabilities == record.probabilities.map(\.1))
            #expect(event.confidence == record.probabilities.first { $0.0 == record.predictedLabel }?.1)
        }
    }

    @Test("the decoder reuses the event: nothing from the previous event leaks into the next")
    func reuse() throws {
        var decoder = InferenceEventDecoder()
        var event = InferenceEvent()
        try decoder.decode(Array(#"{\#(Self.head),"features":{"a":1,"b":"x"},"prediction":{"score":2},"label":"y","segments":{"r":"eu"},"latency_ms":3,"shadow":true}"#.utf8), into: &event)
        #expect(event.featureNames.count == 2 && event.shadow && event.label != nil && event.segmentKeys.count == 1)
        try decoder.decode(Array(#"{\#(Self.head),"features":{"a":null},"prediction":{"label":"k"}}"#.utf8), into: &event)
        #expect(event.featureNames.count == 1)
        #expect(event.featureValues == [.missing])
        #expect(event.score == nil && event.label == nil && !event.shadow && event.segmentKeys.isEmpty && event.latencyMilliseconds == nil)
        // The same feature name in two consecutive events is not a duplicate.
        try decoder.decode(Array(#"{\#(Self.head),"features":{"a":2},"prediction":{"label":"k"}}"#.utf8), into: &event)
        #expect(event.featureValues == [.number(2)])
    }

    @Test("labels: strings, numbers in canonical spelling, booleans; probabilities without a label give the top class")
    func labels() throws {
        guard case .success(let (event, symbols)) = Self.decode(#"{\#(Self.head),"features":{},"prediction":{"label":1.0,"probabilities":{"0":0.25,"1":0.75}},"label":true}"#) else {
            Issue.record("refused")
            return
        }
        #expect(symbols.string(event.predictedLabel!) == "1")
        #expect(event.label == LabelValue.category(symbols.lookup("true")!))
        guard case .success(let (top, topSymbols)) = Self.decode(#"{\#(Self.head),"features":{},"prediction":{"probabilities":{"a":0.2,"b":0.5,"c":0.3}},"label":3.5}"#) else {
            Issue.record("refused")
            return
        }
        #expect(topSymbols.string(top.predictedLabel!) == "b")
        #expect(top.confidence == 0.5)
        #expect(top.label == .number(3.5))
    }

    @Test("timestamps: RFC 3339 forms and epoch milliseconds agree")
    func timestamps() {
        let forms = [
            #""2026-11-23T10:15:30.123Z""#, #""2026-11-23t10:15:30.123z""#, #""2026-11-23 10:15:30.123Z""#,
            #""2026-11-23T11:15:30.123+01:00""#, #""2026-11-23T05:45:30.123456-04:30""#, "1795428930123",
        ]
        for form in forms {
            guard case .success(let (event, _)) = Self.decode(#"{"event_id":"e","model_id":"m","model_version":"1","timestamp":\#(form),"features":{},"prediction":{"score":1}}"#) else {
                Issue.record("refused \(form)")
                continue
            }
            #expect(event.timestamp == 1_795_428_930_123, "\(form)")
        }
        #expect(EventTimestamp.format(1_795_428_930_123) == "2026-11-23T10:15:30.123Z")
        #expect(EventTimestamp.format(0) == "1970-01-01T00:00:00.000Z")
        #expect(EventTimestamp.parse("2024-02-29T00:00:00Z") == 1_709_164_800_000)
        for bad in ["2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T10:15:30", "2026-11-23T10:15:30.Z", "1969-12-31T23:59:59Z"] {
            #expect(EventTimestamp.parse(bad) == nil, "\(bad)")
        }
        var random = SplitMix64(seed: 42)
        for _ in 0..<2_000 {
            let ms = Int64(random.next() % UInt64(EventTimestamp.maximumMilliseconds))
            #expect(EventTimestamp.parse(EventTimestamp.format(ms)) == ms)
        }
    }

    @Test("strict JSON: each malformation is malformed_json", arguments: [
        #"{"event_id":"e",}"#, #"{"event_id":"e" "model_id":"m"}"#, #"{'event_id':"e"}"#, #"{"a":01}"#, #"{"a":+1}"#,
        #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":1e}"#, #"{"a":Infinity}"#, #"{"a":-Infinity}"#, #"{"a":nul}"#, #"{"a":"\x"}"#,
        #"{"a":"\ud800"}"#, "{\"a\":\"\u{1}\"}", #"{"a":1}}"#, #"{"a":[1,]}"#, "", "   ", #"{"a":1} x"#, #"{"a":"unterminated}"#,
        #"{"a":tru}"#, #"{"a":[1 2]}"#, "{\"a\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}",
    ])
    func strictJSON(_ text: String) {
        #expect(Self.violation(text)?.reason == .malformedJSON, "\(Self.violation(text).map(String.init(describing:)) ?? "accepted")")
    }

    @Test("invalid UTF-8 in a string is malformed_json")
    func invalidUTF8() {
        for bad: [UInt8] in [[0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF]] {
            var bytes = Array(#"{\#(Self.head),"features":{"c":""#.utf8)
            bytes += bad
            bytes += Array(#""},"prediction":{"score":1}}"#.utf8)
            var decoder = InferenceEventDecoder()
            var event = InferenceEvent()
            #expect(throws: ContractViolation.self) { try decoder.decode(bytes, into: &event) }
        }
        // Valid multi-byte text passes.
        #expect(Self.violation(#"{\#(Self.head),"features":{"ville":"Zürich 東京 🚀"},"prediction":{"score":1}}"#) == nil)
    }

    @Test("limits: oversize payloads, too many features, long strings, many classes")
    func limits() {
        var limits = DecoderLimits()
        limits.maximumPayloadBytes = 200
        let long = #"{\#(Self.head),"features":{"a":"\#(String(repeating: "x", count: 300))"},"prediction":{"score":1}}"#
        #expect(Self.violation(long, limits: limits)?.reason == .oversizePayload)
        #expect(Self.violation(long)?.reason == nil)
        limits = DecoderLimits()
        limits.maximumStringBytes = 100
        #expect(Self.violation(long, limits: limits) == ContractViolation(.invalidValue, path: "features.a", "a value is longer than 100 bytes"))
        limits = DecoderLimits()
        limits.maximumFeatures = 10
        let many = (0..<11).map { "\"f\($0)\":\($0)" }.joined(separator: ",")
        #expect(Self.violation(#"{\#(Self.head),"features":{\#(many)},"prediction":{"score":1}}"#, limits: limits)?.reason == .tooManyFeatures)
        let tenThousand = (0..<10_000).map { "\"f\($0)\":\($0)" }.joined(separator: ",")
        #expect(Self.violation(#"{\#(Self.head),"features":{\#(tenThousand)},"prediction":{"score":1}}"#)?.reason == .tooManyFeatures)
    }

    @Test("field rules, each with its reason and path", arguments: [
        (#""features":{"a":1},"prediction":{"score":1},"latency_ms":-1"#, "invalid_value", "latency_ms"),
        (#""features":{"a":1},"prediction":{"score":1},"shadow":"yes""#, "wrong_type", "shadow"),
        (#""features":{"a":1},"prediction":{"score":"high"}"#, "wrong_type", "prediction.score"),
        (#""features":{"a":1},"prediction":{"probabilities":{}}"#, "invalid_probabilities", "prediction.probabilities"),
        (#""features":{"a":1},"prediction":{"probabilities":{"a":"0.5","b":0.5}}"#, "wrong_type", "prediction.probabilities.a"),
        (#""features":{"a":1},"prediction":{"probabilities":{"a":0.5,"a":0.5}}"#, "duplicate_key", "prediction.probabilities.a"),
        (#""features":{"a":1},"prediction":{"score":1,"score":2}"#, "duplicate_key", "prediction.score"),
        (#""features":{"a":1},"features":{"b":1},"prediction":{"score":1}"#, "duplicate_key", "features"),
        (#""features":{"a":1},"prediction":{"score":1},"segments":{"r":["eu"]}"#, "wrong_type", "segments.r"),
        (#""features":{"a":1},"prediction":{"score":1},"segments":{"r":"eu","r":"us"}"#, "duplicate_key", "segments.r"),
        (#""features":{"a":1},"prediction":{"score":1},"segments":{"":"eu"}"#, "invalid_value", "segments"),
        (#""features":{"a":1},"prediction":{"probabilities":{"":1}}"#, "invalid_value", "prediction.probabilities"),
        (#""features":{"a":1},"prediction":{"score":1},"label":null"#, "wrong_type", "label"),
        (#""features":{"a":1},"prediction":null"#, "wrong_type", "prediction"),
        (#""features":{"a":1e309},"prediction":{"score":1}"#, "non_finite_number", "features.a"),
        (#""features":{"a":1},"prediction":{"score":-1e309}"#, "non_finite_number", "prediction.score"),
    ])
    func fieldRules(_ body: String, _ reason: String, _ path: String) {
        let violation = Self.violation(#"{\#(Self.head),\#(body)}"#)
        #expect(violation?.reason.rawValue == reason, "\(violation.map(String.init(describing:)) ?? "accepted")")
        #expect(violation?.path == path, "\(violation.map(String.init(describing:)) ?? "accepted")")
    }

    @Test("probabilities: the tolerance is configurable")
    func tolerance() {
        let text = #"{\#(Self.head),"features":{},"prediction":{"probabilities":{"a":0.5,"b":0.4995}}}"#
        #expect(Self.violation(text) == nil)
        var strict = DecoderLimits()
        strict.probabilityTolerance = 1e-4
        #expect(Self.violation(text, limits: strict)?.reason == .invalidProbabilities)
    }

    @Test("unknown fields of any shape are skipped; unknown nested deeper than the limit is refused")
    func unknownFields() {
        #expect(Self.violation(#"{"extra":{"deep":[1,{"x":null}],"s":"\u00e9\n"},\#(Self.head),"features":{},"prediction":{"score":1},"more":[true,false]}"#) == nil)
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(Self.violation(#"{\#(Self.head),"x":\#(deep),"features":{},"prediction":{"score":1}}"#)?.reason == .malformedJSON)
    }

    @Test("no input crashes the decoder: truncations, byte flips and random bytes are refused or decoded")
    func hostileBytes() throws {
        let valid = Samples.record(index: 7).json()
        var decoder = InferenceEventDecoder()
        var event = InferenceEvent()
        var refused = 0
        for cut in 0..<valid.count {
            do throws(ContractViolation) { try decoder.decode(Array(valid[..<cut]), into: &event) } catch { refused += 1 }
        }
        #expect(refused == valid.count, "every proper prefix of an object is incomplete")
        var random = SplitMix64(seed: 7)
        var decoded = 0
        for _ in 0..<20_000 {
            var bytes = valid
            for _ in 0..<(1 + Int(random.next() % 4)) {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            do throws(ContractViolation) { try decoder.decode(bytes, into: &event); decoded += 1 } catch {}
        }
        #expect(decoded > 0 && decoded < 20_000)
        for _ in 0..<2_000 {
            let bytes = (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            do throws(ContractViolation) { try decoder.decode(bytes, into: &event) } catch {}
        }
        // The decoder still works afterwards.
        try decoder.decode(valid, into: &event)
        #expect(event.eventID == "evt-7")
    }

    @Test("the symbol table is bounded: beyond its capacity new categories are one overflow symbol")
    func symbolOverflow() throws {
        var decoder = InferenceEventDecoder(symbols: SymbolTable(capacity: 64))
        var event = InferenceEvent()
        for index in 0..<500 {
            try decoder.decode(Array(#"{\#(Self.head),"features":{"c":"value-\#(index)"},"prediction":{"score":1}}"#.utf8), into: &event)
        }
        #expect(decoder.symbols.count == 64)
        #expect(event.featureValues == [.category(.overflow)])
        #expect(decoder.symbols.lookup("value-0") != nil)
    }
}
