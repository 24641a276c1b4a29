import DriftJSON

/// Decodes and validates feedback events (`schemas/feedback-event.schema.json`):
/// `{"event_id", "model_id", "label", "timestamp"}`, other fields skipped.
public struct FeedbackEventDecoder {
    /// Where model ids and class labels are interned (share the inference decoder's table to compare them).
    public var symbols: SymbolTable
    /// The bounds enforced on each payload.
    public var limits: DecoderLimits

    public init(symbols: SymbolTable = SymbolTable(), limits: DecoderLimits = DecoderLimits()) {
        self.symbols = symbols
        self.limits = limits
    }

    /// Decodes one payload.
    public mutating func decode(_ payload: UnsafeRawBufferPointer) throws(ContractViolation) -> FeedbackEvent {
        try ContractReading.decode(payload, limits: limits) { reader in try decodeObject(&reader) }
    }

    /// Decodes one payload held in an array.
    public mutating func decode(_ payload: [UInt8]) throws(ContractViolation) -> FeedbackEvent {
        try ContractReading.decode(payload) { (bytes) throws(ContractViolation) in try decode(bytes) }
    }

    private mutating func decodeObject(_ reader: inout JSONReader) throws -> FeedbackEvent {
        guard reader.peekKind() == .object else { throw ContractReading.mismatch(reader, path: "$", "a feedback event is a JSON object") }
        try reader.beginObject()
        var eventID: String? = nil
        var modelID: Symbol? = nil
        var label: LabelValue? = nil
        var timestamp: Int64? = nil
        var first = true
        while let key = try reader.nextKey(first: first) {
            first = false
            func once<T>(_ value: T?, _ name: String) throws {
                if value != nil { throw ContractViolation(.duplicateKey, path: name, "the field appears twice") }
            }
            if reader.token(key, equals: "event_id") {
                try once(eventID, "event_id")
                eventID = try ContractReading.nonEmptyString(&reader, path: "event_id", limits: limits)
            } else if reader.token(key, equals: "model_id") {
                try once(modelID, "model_id")
                modelID = try ContractReading.symbol(&reader, path: "model_id", numbers: false, into: &symbols, limits: limits)
            } else if reader.token(key, equals: "label") {
                try once(label, "label")
                label = try ContractReading.label(&reader, path: "label", into: &symbols, limits: limits)
            } else if reader.token(key, equals: "timestamp") {
                try once(timestamp, "timestamp")
                timestamp = try ContractReading.timestamp(&reader, path: "timestamp")
            } else {
                try reader.skipValue()
            }
        }
        try reader.expectEnd()
        guard let eventID else { throw ContractViolation(.missingField, path: "event_id", "required field is absent") }
        guard let modelID else { throw ContractViolation(.missingField, path: "model_id", "required field is absent") }
        guard let label else { throw ContractViolation(.missingField, path: "label", "required field is absent") }
        guard let timestamp else { throw ContractViolation(.missingField, path: "timestamp", "required field is absent") }
        return FeedbackEvent(eventID: eventID, modelID: modelID, label: label, timestamp: timestamp)
    }
}
