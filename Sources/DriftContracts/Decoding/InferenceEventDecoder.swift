import DriftJSON

/// Decodes and validates inference events (`schemas/inference-event.schema.json`) straight from the bytes
/// of a Kafka message: a single pass, strings interned in ``symbols``, the event's arrays reused.
///
/// Every rule of the schema is checked, and a refusal is a ``ContractViolation`` with a reason code and
/// the field's path; nothing is trapped on. Fields the schema does not name are skipped (after their syntax
/// is checked), so producers may add their own. One decoder belongs to one worker.
public struct InferenceEventDecoder {
    /// The strings seen so far (feature names, categories, model ids, classes, segment values).
    public var symbols: SymbolTable
    /// The bounds enforced on each payload.
    public var limits: DecoderLimits
    /// Names already used in the current payload, per role (duplicate detection).
    private var featureNames = SeenSymbols()
    private var classNames = SeenSymbols()
    private var segmentNames = SeenSymbols()

    public init(symbols: SymbolTable = SymbolTable(), limits: DecoderLimits = DecoderLimits()) {
        self.symbols = symbols
        self.limits = limits
    }

    /// Decodes one payload into `event` (which is reset first).
    public mutating func decode(_ payload: UnsafeRawBufferPointer, into event: inout InferenceEvent) throws(ContractViolation) {
        event.reset()
        featureNames.nextPayload()
        classNames.nextPayload()
        segmentNames.nextPayload()
        try ContractReading.decode(payload, limits: limits) { reader in try decodeObject(&reader, into: &event) }
    }

    /// Decodes one payload held in an array.
    public mutating func decode(_ payload: [UInt8], into event: inout InferenceEvent) throws(ContractViolation) {
        try ContractReading.decode(payload) { (bytes) throws(ContractViolation) in try decode(bytes, into: &event) }
    }

    // MARK: Top level

    private enum Field: UInt16 {
        case eventID = 1, modelID = 2, modelVersion = 4, timestamp = 8, features = 16, prediction = 32
        case label = 64, segments = 128, latency = 256, shadow = 512, error = 1024, unknown = 0
    }

    private static let required: [(Field, String)] = [
        (.eventID, "event_id"), (.modelID, "model_id"), (.modelVersion, "model_version"),
        (.timestamp, "timestamp"), (.features, "features"), (.prediction, "prediction"),
    ]

    private func field(_ key: JSONStringToken, _ reader: borrowing JSONReader) -> Field {
        switch key.count {
        case 5:
            if reader.token(key, equals: "label") { return .label }
            return reader.token(key, equals: "error") ? .error : .unknown
        case 6: return reader.token(key, equals: "shadow") ? .shadow : .unknown
        case 8:
            if reader.token(key, equals: "event_id") { return .eventID }
            if reader.token(key, equals: "model_id") { return .modelID }
            if reader.token(key, equals: "features") { return .features }
            if reader.token(key, equals: "segments") { return .segments }
            return .unknown
        case 9: return reader.token(key, equals: "timestamp") ? .timestamp : .unknown
        case 10:
            if reader.token(key, equals: "prediction") { return .prediction }
            return reader.token(key, equals: "latency_ms") ? .latency : .unknown
        case 13: return reader.token(key, equals: "model_version") ? .modelVersion : .unknown
        default: return .unknown
        }
    }

    private mutating func decodeObject(_ reader: inout JSONReader, into event: inout InferenceEvent) throws {
        guard reader.peekKind() == .object else {
            throw ContractReading.mismatch(reader, path: "$", "an inference event is a JSON object")
        }
        try reader.beginObject()
        var seen: UInt16 = 0
        var first = true
        while let key = try reader.nextKey(first: first) {
            first = false
            let field = field(key, reader)
            if field != .unknown {
                guard seen & field.rawValue == 0 else {
                    throw ContractViolation(.duplicateKey, path: ContractReading.name(key, reader), "the field appears twice")
                }
                seen |= field.rawValue
            }
            switch field {
            case .eventID:
                event.eventID = try ContractReading.nonEmptyString(&reader, path: "event_id", limits: limits)
            case .modelID:
                event.modelID = try ContractReading.symbol(&reader, path: "model_id", numbers: false, into: &symbols, limits: limits)
            case .modelVersion:
                event.modelVersion = try ContractReading.symbol(&reader, path: "model_version", numbers: true, into: &symbols, limits: limits)
            case .timestamp:
                event.timestamp = try ContractReading.timestamp(&reader, path: "timestamp")
            case .features:
                try decodeFeatures(&reader, into: &event)
            case .prediction:
                try decodePrediction(&reader, into: &event)
            case .label:
                event.label = try ContractReading.label(&reader, path: "label", into: &symbols, limits: limits)
            case .segments:
                try decodeSegments(&reader, into: &event)
            case .latency:
                let value = try ContractReading.finiteNumber(&reader, path: "latency_ms")
                guard value >= 0 else { throw ContractViolation(.invalidValue, path: "latency_ms", "a latency cannot be negative") }
                event.latencyMilliseconds = value
            case .shadow:
                guard reader.peekKind() == .bool else { throw ContractReading.mismatch(reader, path: "shadow", "expected true or false") }
                event.shadow = try reader.readBool()
            case .error:
                switch reader.peekKind() {
                case .null: _ = reader.readNullIfPresent()
                case .string:
                    let token = try reader.readStringToken()
                    guard token.count <= limits.maximumStringBytes else {
                        throw ContractViolation(.invalidValue, path: "error", "the error message is longer than \(limits.maximumStringBytes) bytes")
                    }
                    event.failed = true
                default:
                    throw ContractReading.mismatch(reader, path: "error", "expected the error message (a string) or null")
                }
            case .unknown:
                try reader.skipValue()
            }
        }
        try reader.expectEnd()
        // A failed request may have no prediction; everything else is required.
        if event.failed { seen |= Field.prediction.rawValue }
        for (field, name) in Self.required where seen & field.rawValue == 0 {
            throw ContractViolation(.missingField, path: name, "required field is absent")
        }
    }

    // MARK: Features

    private mutating func decodeFeatures(_ reader: inout JSONReader, into event: inout InferenceEvent) throws {
        guard reader.peekKind() == .object else {
            throw ContractReading.mismatch(reader, path: "features", "expected an object of feature name to number, string or null")
        }
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(first: first) {
            first = false
            guard event.featureNames.count < limits.maximumFeatures else {
                throw ContractViolation(.tooManyFeatures, path: "features", "more than \(limits.maximumFeatures) features")
            }
            let name = try ContractReading.memberSymbol(key, reader, what: "a feature name", path: "features", into: &symbols, limits: limits)
            guard featureNames.insert(name) else {
                throw ContractViolation(.duplicateKey, path: "features.\(symbols.string(name))", "the feature appears twice")
            }
            let value: FeatureValue
            switch reader.peekKind() {
            case .number:
                let number = try reader.readNumber()
                guard number.isFinite else {
                    throw ContractViolation(.nonFiniteNumber, path: "features.\(ContractReading.name(key, reader))", "the number is out of range")
                }
                value = .number(number)
            case .string:
                let token = try reader.readStringToken()
                guard token.count <= limits.maximumStringBytes else {
                    throw ContractViolation(.invalidValue, path: "features.\(ContractReading.name(key, reader))", "a value is longer than \(limits.maximumStringBytes) bytes")
                }
                value = .category(try reader.withBytes(of: token) { symbols.intern($0) })
            case .null:
                _ = reader.readNullIfPresent()
                value = .missing
            default:
                throw ContractReading.mismatch(reader, path: "features.\(ContractReading.name(key, reader))", "expected a number, a string or null")
            }
            event.featureNames.append(name)
            event.featureValues.append(value)
        }
    }

    // MARK: Prediction

    private mutating func decodePrediction(_ reader: inout JSONReader, into event: inout InferenceEvent) throws {
        guard reader.peekKind() == .object else {
            throw ContractReading.mismatch(reader, path: "prediction", "expected an object with label, probabilities or score")
        }
        try reader.beginObject()
        var first = true
        var seen = 0
        while let key = try reader.nextKey(first: first) {
            first = false
            if reader.token(key, equals: "label") {
                guard seen & 1 == 0 else { throw ContractViolation(.duplicateKey, path: "prediction.label", "the field appears twice") }
                seen |= 1
                event.predictedLabel = try ContractReading.classLabel(&reader, path: "prediction.label", into: &symbols, limits: limits)
            } else if reader.token(key, equals: "probabilities") {
                guard seen & 2 == 0 else { throw ContractViolation(.duplicateKey, path: "prediction.probabilities", "the field appears twice") }
                seen |= 2
                try decodeProbabilities(&reader, into: &event)
            } else if reader.token(key, equals: "score") {
                guard seen & 4 == 0 else { throw ContractViolation(.duplicateKey, path: "prediction.score", "the field appears twice") }
                seen |= 4
                event.score = try ContractReading.finiteNumber(&reader, path: "prediction.score")
            } else {
                try reader.skipValue()
            }
        }
        guard seen != 0 else {
            throw ContractViolation(.missingField, path: "prediction.label", "a prediction needs a label, probabilities or a score")
        }
        if !event.probabilities.isEmpty {
            if let label = event.predictedLabel {
                guard label == .overflow || classNames.contains(label) else {
                    throw ContractViolation(.invalidProbabilities, path: "prediction.label",
                                            "the label \"\(symbols.string(label))\" is not among the probabilities' classes")
                }
            } else {
                var best = 0
                for index in event.probabilities.indices where event.probabilities[index] > event.probabilities[best] { best = index }
                event.predictedLabel = event.probabilityClasses[best]
            }
        }
    }

    private mutating func decodeProbabilities(_ reader: inout JSONReader, into event: inout InferenceEvent) throws {
        let path = "prediction.probabilities"
        guard reader.peekKind() == .object else {
            throw ContractReading.mismatch(reader, path: path, "expected an object of class to probability")
        }
        try reader.beginObject()
        var first = true
        var sum = 0.0
        while let key = try reader.nextKey(first: first) {
            first = false
            guard event.probabilities.count < limits.maximumClasses else {
                throw ContractViolation(.invalidProbabilities, path: path, "more than \(limits.maximumClasses) classes")
            }
            let label = try ContractReading.memberSymbol(key, reader, what: "a class name", path: path, into: &symbols, limits: limits)
            guard classNames.insert(label) else {
                throw ContractViolation(.duplicateKey, path: "\(path).\(symbols.string(label))", "the class appears twice")
            }
            guard reader.peekKind() == .number else {
                throw ContractReading.mismatch(reader, path: "\(path).\(ContractReading.name(key, reader))", "expected a number")
            }
            let p = try reader.readNumber()
            guard p.isFinite else { throw ContractViolation(.nonFiniteNumber, path: "\(path).\(ContractReading.name(key, reader))", "the number is out of range") }
            guard p >= 0, p <= 1 else {
                throw ContractViolation(.invalidProbabilities, path: "\(path).\(ContractReading.name(key, reader))", "\(p) is not a probability")
            }
            sum += p
            event.probabilityClasses.append(label)
            event.probabilities.append(p)
        }
        guard !event.probabilities.isEmpty else { throw ContractViolation(.invalidProbabilities, path: path, "no classes") }
        guard abs(sum - 1) <= limits.probabilityTolerance else {
            throw ContractViolation(.invalidProbabilities, path: path, "the probabilities sum to \(sum), not 1 ± \(limits.probabilityTolerance)")
        }
    }

    // MARK: Segments

    private mutating func decodeSegments(_ reader: inout JSONReader, into event: inout InferenceEvent) throws {
        guard reader.peekKind() == .object else {
            throw ContractReading.mismatch(reader, path: "segments", "expected an object of segment name to value")
        }
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(first: first) {
            first = false
            guard event.segmentKeys.count < 32 else { throw ContractViolation(.invalidValue, path: "segments", "more than 32 segments") }
            let keySymbol = try ContractReading.memberSymbol(key, reader, what: "a segment name", path: "segments", into: &symbols, limits: limits)
            guard segmentNames.insert(keySymbol) else {
                throw ContractViolation(.duplicateKey, path: "segments.\(symbols.string(keySymbol))", "the segment appears twice")
            }
            let text = reader  // a copy, for naming the field in a refusal
            let value = try ContractReading.symbol(
                &reader, path: "segments.\(ContractReading.name(key, text))", numbers: true, into: &symbols, limits: limits)
            event.segmentKeys.append(keySymbol)
            event.segmentValues.append(value)
        }
    }
}
