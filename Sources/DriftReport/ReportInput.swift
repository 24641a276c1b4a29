public import DriftJSON

/// What a report is built from — all of it JSON as published or stored, so the builder is pure: the drift
/// events of `drift-events` (`schemas/drift-event.schema.json`), the model's model-version events (its registry
/// history or the `model-versions` topic) and the reference profile of each version.
public struct ReportInput: Sendable {
    public var modelID: String
    /// Drift events of any models, in any order; the builder keeps `modelID`'s within the period, by window.
    public var driftEvents: [JSONValue]
    /// Model-version events (`schemas/model-version-event.schema.json`), oldest first.
    public var versionEvents: [JSONValue]
    /// Reference profiles by model version.
    public var profiles: [String: JSONValue]
    /// The period (window ends, ms since the epoch); `nil`: unbounded.
    public var from: Int64?
    public var to: Int64?
    /// When the report is made (ms since the epoch).
    public var generatedAt: Int64

    public init(modelID: String, driftEvents: [JSONValue], versionEvents: [JSONValue], profiles: [String: JSONValue],
                from: Int64? = nil, to: Int64? = nil, generatedAt: Int64) {
        self.modelID = modelID
        self.driftEvents = driftEvents
        self.versionEvents = versionEvents
        self.profiles = profiles
        self.from = from
        self.to = to
        self.generatedAt = generatedAt
    }
}
