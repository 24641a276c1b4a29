public import DriftJSON

/// An inference event as a producer builds it (owned strings, not symbols), and its JSON
/// (`schemas/inference-event.schema.json`). Model servers, `driftwatch simulate` and tests use it.
public struct InferenceRecord: Sendable {
    /// A feature value to send.
    public enum Value: Sendable, Equatable {
        case number(Double)
        case string(String)
        case null
    }

    public var eventID: String
    public var modelID: String
    public var modelVersion: String
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64
    /// Feature name and value, in the order written.
    public var features: [(String, Value)]
    /// The predicted class, if any.
    public var predictedLabel: String?
    /// Class and probability, if any.
    public var probabilities: [(String, Double)]
    /// A regression or scoring output, if any.
    public var score: Double?
    /// The ground truth when known at prediction time.
    public var label: String?
    /// A numeric ground truth (regression), written as a JSON number; takes precedence over ``label``.
    public var numericLabel: Double? = nil
    /// The model server's error for a failed request (`error`); the prediction may then be empty.
    public var error: String? = nil
    /// Segment name and value.
    public var segments: [(String, String)]
    public var latencyMilliseconds: Double?
    public var shadow: Bool
    /// Whether `timestamp` is written as RFC 3339 text (else epoch milliseconds).
    public var timestampAsText: Bool

    public init(
        eventID: String, modelID: String, modelVersion: String, timestamp: Int64, features: [(String, Value)],
        predictedLabel: String? = nil, probabilities: [(String, Double)] = [], score: Double? = nil, label: String? = nil,
        segments: [(String, String)] = [], latencyMilliseconds: Double? = nil, shadow: Bool = false, timestampAsText: Bool = true
    ) {
        self.eventID = eventID
        self.modelID = modelID
        self.modelVersion = modelVersion
        self.timestamp = timestamp
        self.features = features
        self.predictedLabel = predictedLabel
        self.probabilities = probabilities
        self.score = score
        self.label = label
        self.segments = segments
        self.latencyMilliseconds = latencyMilliseconds
        self.shadow = shadow
        self.timestampAsText = timestampAsText
    }

    /// Writes `features` as the JSON object of an event's `features` (name to number, string or null).
    public static func write(_ features: [(String, Value)], into writer: inout JSONWriter) {
        writer.beginObject()
        for (name, value) in features {
            writer.key(name)
            switch value {
            case .number(let number): writer.number(number)
            case .string(let text): writer.string(text)
            case .null: writer.null()
            }
        }
        writer.endObject()
    }

    /// The event as compact JSON.
    public func json() -> [UInt8] {
        var writer = JSONWriter(capacity: 128 + features.count * 24)
        writer.beginObject()
        writer.member("event_id", eventID)
        writer.member("model_id", modelID)
        writer.member("model_version", modelVersion)
        if timestampAsText { writer.member("timestamp", EventTimestamp.format(timestamp)) } else { writer.member("timestamp", timestamp) }
        writer.key("features")
        Self.write(features, into: &writer)
        if predictedLabel != nil || !probabilities.isEmpty || score != nil || error == nil {
            writer.key("prediction")
            writer.beginObject()
            if let predictedLabel { writer.member("label", predictedLabel) }
            if !probabilities.isEmpty {
                writer.key("probabilities")
                writer.beginObject()
                for (name, p) in probabilities { writer.member(name, p) }
                writer.endObject()
            }
            if let score { writer.member("score", score) }
            writer.endObject()
        }
        if let numericLabel { writer.member("label", numericLabel) } else if let label { writer.member("label", label) }
        if let error { writer.member("error", error) }
        if !segments.isEmpty {
            writer.key("segments")
            writer.beginObject()
            for (name, value) in segments { writer.member(name, value) }
            writer.endObject()
        }
        if let latencyMilliseconds { writer.member("latency_ms", latencyMilliseconds) }
        if shadow { writer.member("shadow", true) }
        writer.endObject()
        return writer.bytes
    }
}

/// A feedback event as a label source builds it, and its JSON (`schemas/feedback-event.schema.json`).
public struct FeedbackRecord: Sendable, Equatable {
    public var eventID: String
    public var modelID: String
    public var label: String
    /// A numeric ground truth (regression), written as a JSON number instead of ``label``.
    public var numericLabel: Double? = nil
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64

    public init(eventID: String, modelID: String, label: String, timestamp: Int64) {
        self.eventID = eventID
        self.modelID = modelID
        self.label = label
        self.timestamp = timestamp
    }

    /// The event as compact JSON.
    public func json() -> [UInt8] {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.member("event_id", eventID)
        writer.member("model_id", modelID)
        if let numericLabel { writer.member("label", numericLabel) } else { writer.member("label", label) }
        writer.member("timestamp", EventTimestamp.format(timestamp))
        writer.endObject()
        return writer.bytes
    }
}
