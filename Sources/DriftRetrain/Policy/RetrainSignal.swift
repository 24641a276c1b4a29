/// Something that may start a retraining: what the trigger policy judges.
public enum RetrainSignal: Sendable, Equatable {
    /// A drift event from the monitor.
    case drift(DriftSignal)
    /// The schedule's interval elapsed.
    case schedule
    /// Someone asked (`driftwatch retrain --now`, an HTTP POST); `by` says who or what.
    case manual(by: String)

    /// The trigger name recorded in a version's lineage.
    public var name: String {
        switch self {
        case .drift: "drift"
        case .schedule: "schedule"
        case .manual: "manual"
        }
    }
}

/// The parts of a drift event (`schemas/drift-event.schema.json`) the retraining worker acts on.
public struct DriftSignal: Sendable, Equatable {
    /// One metric's verdict in the event: `scope` is a feature name, `prediction` or `performance`.
    public struct Trigger: Sendable, Equatable {
        public var scope: String
        public var metric: String
        public var severity: String
        public var value: Double?

        public init(scope: String, metric: String, severity: String, value: Double? = nil) {
            self.scope = scope
            self.metric = metric
            self.severity = severity
            self.value = value
        }
    }

    public var eventID: String
    public var modelID: String
    public var modelVersion: String
    /// The window's overall severity.
    public var severity: String
    /// Every metric that crossed a threshold.
    public var triggers: [Trigger]
    /// The window's performance metrics when labels joined, with the reference baseline.
    public var performance: [String: Double]
    public var baseline: [String: Double]
    /// Labelled events in the window.
    public var labelled: Int
    /// The window's end (ms since the epoch).
    public var windowEnd: Int64

    public init(eventID: String, modelID: String, modelVersion: String, severity: String, triggers: [Trigger] = [],
                performance: [String: Double] = [:], baseline: [String: Double] = [:], labelled: Int = 0, windowEnd: Int64 = 0) {
        self.eventID = eventID
        self.modelID = modelID
        self.modelVersion = modelVersion
        self.severity = severity
        self.triggers = triggers
        self.performance = performance
        self.baseline = baseline
        self.labelled = labelled
        self.windowEnd = windowEnd
    }
}
