/// A ground-truth label that arrives after the prediction (`feedback-events`,
/// `schemas/feedback-event.schema.json`); it joins its inference event by ``eventID``.
public struct FeedbackEvent: Sendable, Equatable {
    /// `event_id` of the inference event this label belongs to.
    public var eventID: String
    /// `model_id`.
    public var modelID: Symbol
    /// `label`.
    public var label: LabelValue
    /// `timestamp`, milliseconds since the Unix epoch: when the label was observed.
    public var timestamp: Int64

    public init(eventID: String, modelID: Symbol, label: LabelValue, timestamp: Int64) {
        self.eventID = eventID
        self.modelID = modelID
        self.label = label
        self.timestamp = timestamp
    }
}
