/// Joins ground-truth labels that arrive later (feedback events) with the predictions they belong to, by
/// event id, in bounded memory.
///
/// Predictions wait up to ``timeToLive`` (event time of the newest prediction seen) and at most
/// ``capacity`` at once; beyond either they are dropped, oldest first, and counted as expired. Feedback for an
/// event id that is not waiting is held briefly in the same way, in case it overtook its prediction (the
/// topics are separate), and counted as unmatched when it expires. Pure: no clock, no I/O.
public struct LabelJoinBuffer<Prediction: Sendable>: Sendable {
    public let capacity: Int
    public let timeToLive: Int64

    /// Predictions joined with a label so far.
    public private(set) var matched: UInt64 = 0
    /// Predictions dropped without a label (time to live or capacity).
    public private(set) var expiredPredictions: UInt64 = 0
    /// Labels dropped without a prediction.
    public private(set) var unmatchedLabels: UInt64 = 0

    private var predictions: [String: (time: Int64, value: Prediction)] = [:]
    private var predictionOrder: [(id: String, time: Int64)] = []
    private var predictionHead = 0
    private var labels: [String: (time: Int64, label: LabelValueBox)] = [:]
    private var labelOrder: [(id: String, time: Int64)] = []
    private var labelHead = 0
    private var clock: Int64 = .min

    /// A label as the buffer keeps it.
    public struct LabelValueBox: Sendable, Equatable {
        public var text: String
        public init(_ text: String) { self.text = text }
    }

    public init(capacity: Int = 1_000_000, timeToLive: Int64 = 3_600_000) {
        self.capacity = capacity
        self.timeToLive = timeToLive
    }

    /// Predictions waiting for a label.
    public var waitingPredictions: Int { predictions.count }
    /// Labels waiting for a prediction.
    public var waitingLabels: Int { labels.count }

    /// Records a prediction. Returns the label if it had already arrived.
    public mutating func addPrediction(id: String, time: Int64, _ value: Prediction) -> LabelValueBox? {
        advance(to: time)
        if let early = labels.removeValue(forKey: id) {
            matched += 1
            return early.label
        }
        if predictions.updateValue((time, value), forKey: id) == nil {
            predictionOrder.append((id, time))
        }
        evict()
        return nil
    }

    /// Records a label. Returns the prediction it joins, if that is waiting.
    public mutating func addLabel(id: String, time: Int64, _ label: LabelValueBox) -> Prediction? {
        advance(to: time)
        if let waiting = predictions.removeValue(forKey: id) {
            matched += 1
            return waiting.value
        }
        if labels.updateValue((time, label), forKey: id) == nil {
            labelOrder.append((id, time))
        }
        evict()
        return nil
    }

    private mutating func advance(to time: Int64) {
        if time > clock { clock = time }
    }

    private mutating func evict() {
        let horizon = clock == .min ? Int64.min : clock - timeToLive
        while predictionHead < predictionOrder.count {
            let (id, time) = predictionOrder[predictionHead]
            guard let entry = predictions[id], entry.time == time else {  // already joined
                predictionHead += 1
                continue
            }
            guard time < horizon || predictions.count > capacity else { break }
            predictions.removeValue(forKey: id)
            expiredPredictions += 1
            predictionHead += 1
        }
        while labelHead < labelOrder.count {
            let (id, time) = labelOrder[labelHead]
            guard let entry = labels[id], entry.time == time else {
                labelHead += 1
                continue
            }
            guard time < horizon || labels.count > capacity else { break }
            labels.removeValue(forKey: id)
            unmatchedLabels += 1
            labelHead += 1
        }
        if predictionHead > 4_096, predictionHead * 2 > predictionOrder.count {
            predictionOrder.removeFirst(predictionHead)
            predictionHead = 0
        }
        if labelHead > 4_096, labelHead * 2 > labelOrder.count {
            labelOrder.removeFirst(labelHead)
            labelHead = 0
        }
    }
}
