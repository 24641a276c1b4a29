public import DriftContracts

/// The most uncertain unlabelled predictions of one window on one partition by the policy's measure, at most
/// ``LabelRequestPolicy/candidatePoolFactor`` × its bound, kept as they arrive (bounded memory: one entry per
/// slot; an event only copies its features when it displaces one). Ties keep the earlier event, so the selection
/// is deterministic for a given input order.
struct LabelRequestCandidates: Sendable {
    struct Candidate: Sendable {
        var eventID: String
        var timestamp: Int64
        var uncertainty: Double
        var confidence: Double?
        var predicted: Symbol?
        var featureNames: [Symbol]
        var featureValues: [FeatureValue]

        init(_ event: InferenceEvent, _ uncertainty: Double) {
            eventID = event.eventID
            timestamp = event.timestamp
            self.uncertainty = uncertainty
            confidence = event.confidence
            predicted = event.predictedLabel
            // Copies, not the event's arrays: sharing them would make the decoder allocate new ones for the next
            // event, and keep every candidate at the decoder's capacity rather than its feature count.
            featureNames = Self.copy(event.featureNames)
            featureValues = Self.copy(event.featureValues)
        }

        private static func copy<Element>(_ elements: [Element]) -> [Element] {
            var copy: [Element] = []
            copy.reserveCapacity(elements.count)
            copy.append(contentsOf: elements)
            return copy
        }

        /// Becomes `event`'s candidate, reusing the feature arrays' storage (no allocation once they are large enough).
        mutating func replace(with event: InferenceEvent, _ uncertainty: Double) {
            eventID = event.eventID
            timestamp = event.timestamp
            self.uncertainty = uncertainty
            confidence = event.confidence
            predicted = event.predictedLabel
            featureNames.removeAll(keepingCapacity: true)
            featureNames.append(contentsOf: event.featureNames)
            featureValues.removeAll(keepingCapacity: true)
            featureValues.append(contentsOf: event.featureValues)
        }
    }

    let policy: LabelRequestPolicy
    let capacity: Int
    private(set) var entries: [Candidate] = []
    /// The index of the most certain entry kept (the one to displace next).
    private var mostCertain = 0

    init(policy: LabelRequestPolicy) {
        self.policy = policy
        capacity = max(0, policy.perWindow * LabelRequestPolicy.candidatePoolFactor)
        entries.reserveCapacity(capacity)
    }

    /// Offers a prediction; kept when it has probabilities and there is room, or it is less certain than the most
    /// certain one kept.
    mutating func offer(_ event: InferenceEvent) {
        guard capacity > 0, let uncertainty = policy.uncertainty(of: event.probabilities), uncertainty.isFinite else { return }
        if entries.count < capacity {
            entries.append(Candidate(event, uncertainty))
            if entries.count == 1 || uncertainty < entries[mostCertain].uncertainty { mostCertain = entries.count - 1 }
            return
        }
        guard uncertainty > entries[mostCertain].uncertainty else { return }
        entries[mostCertain].replace(with: event, uncertainty)
        mostCertain = entries.indices.min { entries[$0].uncertainty < entries[$1].uncertainty } ?? 0
    }

    /// The candidates, least certain first (ties: earlier event time, then id).
    var ranked: [Candidate] {
        entries.sorted { ($0.uncertainty, $1.timestamp, $1.eventID) > ($1.uncertainty, $0.timestamp, $0.eventID) }
    }
}
