import DriftContracts
public import DriftJSON

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
    public var features: [(name: String, value: JSONValue)]
    /// Where the prediction was read.
    public var source: SourcePartition
    public var requestedAt: Int64

    public static func == (lhs: LabelRequest, rhs: LabelRequest) -> Bool { lhs.json() == rhs.json() }

    /// A stable id: the same request made again (a replayed window) has the same id.
    public var requestID: String { "\(modelID)@\(modelVersion)/\(windowStart)/\(eventID)" }

    /// The request as JSON.
    public func json() -> String {
        JSONValue.object([
            ("schema_version", .string(Self.schemaVersion)),
            ("request_id", .string(requestID)),
            ("event_id", .string(eventID)),
            ("model_id", .string(modelID)),
            ("model_version", .string(modelVersion)),
            ("timestamp", .string(EventTimestamp.format(timestamp))),
            ("window", .object([("start", .string(EventTimestamp.format(windowStart))), ("end", .string(EventTimestamp.format(windowEnd))),
                                ("events", .int(Int(windowEvents))), ("labelled", .int(Int(windowLabelled)))])),
            ("prediction", .object([("label", predicted.map(JSONValue.string) ?? .null), ("confidence", .optional(confidence))])),
            ("uncertainty", .object([("measure", .string(uncertaintyMeasure)), ("value", .number(uncertainty))])),
            ("rank", .int(rank)),
            ("features", .object(features.map { ($0.name, $0.value) })),
            ("source", .string(source.description)),
            ("requested_at", .string(EventTimestamp.format(requestedAt))),
        ]).serialized()
    }
}
