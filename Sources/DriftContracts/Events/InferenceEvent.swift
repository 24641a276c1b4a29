/// One prediction made by a model server, as the monitor reads it from `inference-events`
/// (`schemas/inference-event.schema.json`).
///
/// Strings that repeat across events (model ids, versions, feature names, categories, class labels) are
/// ``Symbol``s of the decoder's ``SymbolTable``; the arrays are reused from event to event by
/// ``InferenceEventDecoder/decode(_:into:)``, so steady-state decoding allocates almost nothing.
public struct InferenceEvent: Sendable {
    /// `event_id`: unique per prediction; feedback events join on it.
    public var eventID: String = ""
    /// `model_id`.
    public var modelID: Symbol = .overflow
    /// `model_version` (numbers are kept in their JSON spelling).
    public var modelVersion: Symbol = .overflow
    /// `timestamp`, milliseconds since the Unix epoch (RFC 3339 text or epoch milliseconds in the JSON).
    public var timestamp: Int64 = 0
    /// The names of `features`, in payload order, parallel to ``featureValues``.
    public var featureNames: [Symbol] = []
    /// The values of `features`.
    public var featureValues: [FeatureValue] = []
    /// `prediction.label`, or the most probable class when only probabilities are given.
    public var predictedLabel: Symbol? = nil
    /// The classes of `prediction.probabilities`, parallel to ``probabilities``.
    public var probabilityClasses: [Symbol] = []
    /// `prediction.probabilities` (each in [0, 1], summing to 1 within the decoder's tolerance).
    public var probabilities: [Double] = []
    /// `prediction.score`, for regression and scoring models.
    public var score: Double? = nil
    /// `label`: the ground truth when the event carries it.
    public var label: LabelValue? = nil
    /// `segments` keys (e.g. region, device), parallel to ``segmentValues``.
    public var segmentKeys: [Symbol] = []
    /// `segments` values.
    public var segmentValues: [Symbol] = []
    /// `latency_ms`: the model server's time for this prediction.
    public var latencyMilliseconds: Double? = nil
    /// `shadow`: a challenger's prediction scored in shadow, not served.
    public var shadow: Bool = false
    /// `error`: the model server failed this request (its message, when it gave one); such an event may have no
    /// prediction, and counts toward the window's error rate.
    public var failed: Bool = false

    public init() {}

    /// The probability of the predicted class (the top-class confidence), when probabilities are given.
    public var confidence: Double? {
        guard !probabilities.isEmpty else { return nil }
        if let predictedLabel, let index = probabilityClasses.firstIndex(of: predictedLabel) { return probabilities[index] }
        return probabilities.max()
    }

    /// Empties the event, keeping the arrays' storage.
    public mutating func reset() {
        eventID = ""
        modelID = .overflow
        modelVersion = .overflow
        timestamp = 0
        featureNames.removeAll(keepingCapacity: true)
        featureValues.removeAll(keepingCapacity: true)
        predictedLabel = nil
        probabilityClasses.removeAll(keepingCapacity: true)
        probabilities.removeAll(keepingCapacity: true)
        score = nil
        label = nil
        segmentKeys.removeAll(keepingCapacity: true)
        segmentValues.removeAll(keepingCapacity: true)
        latencyMilliseconds = nil
        shadow = false
        failed = false
    }
}
