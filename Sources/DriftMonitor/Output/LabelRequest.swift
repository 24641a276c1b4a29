public import DriftContracts
import DriftJSON

/// A request for the ground truth of one prediction, published on `label-requests`
/// (`schemas/label-request.schema.json`, key: the event id) when its window got too few labels and the
/// prediction was among the least certain. A labelling tool answers with a feedback event for `event_id`.
public struct LabelRequest: Sendable, Equatable {
    public static let schemaVersion = "1"

    public var eventID: String
    public var modelID: String
    public var modelVersion: String
    /// The prediction's event time (ms).
    public var timestamp: Int64
    public var windowStart: Int64
    public var windowEnd: Int64
    /// The prediction and its top-class probability.
    public var predicted: String?
    public var confidence: Double?
    /// The uncertainty measure and its value (higher: less certain).
    public var uncertaintyMeasure: String
    public var uncertainty: Double
    /// The rank among the window's requests on this partition (1: least certain).
    public var rank: Int
    /// The window's events and labelled events (on this partition) when it closed.
    public var windowEvents: UInt64
    public var windowLabelled: UInt64
    /// The features of the prediction, as sent.
    public var features: [(name: String, value: InferenceRecord.Value)]
    /// Where the prediction was read.
    public var source: SourcePartition
    public var requestedAt: Int64

    public static func == (lhs: LabelRequest, rhs: LabelRequest) -> Bool { lhs.json() == rhs.json() }

    /// A stable id: the same request made again (a replayed window) has the same id.
    public var requestID: String { "\(modelID)@\(modelVersion)/\(windowStart)/\(eventID)" }

    /// The request as JSON, written directly (no document tree: a window can ask for many).
    public func json() -> String {
        var writer = JSONWriter(capacity: 512 + features.count * 24)
        writer.beginObject()
        writer.member("schema_version", Self.schemaVersion)
        writer.member("request_id", requestID)
        writer.member("event_id", eventID)
        writer.member("model_id", modelID)
        writer.member("model_version", modelVersion)
        writer.member("timestamp", EventTimestamp.format(timestamp))
        writer.key("window")
        writer.beginObject()
        writer.member("start", EventTimestamp.format(windowStart))
        writer.member("end", EventTimestamp.format(windowEnd))
        writer.member("events", Int64(windowEvents))
        writer.member("labelled", Int64(windowLabelled))
        writer.endObject()
        writer.key("prediction")
        writer.beginObject()
        writer.key("label")
        if let predicted { writer.string(predicted) } else { writer.null() }
        writer.key("confidence")
        if let confidence, confidence.isFinite { writer.number(confidence) } else { writer.null() }
        writer.endObject()
        writer.key("uncertainty")
        writer.beginObject()
        writer.member("measure", uncertaintyMeasure)
        writer.member("value", uncertainty)
        writer.endObject()
        writer.member("rank", rank)
        writer.key("features")
        InferenceRecord.write(features, into: &writer)
        writer.member("source", source.description)
        writer.member("requested_at", EventTimestamp.format(requestedAt))
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
