/// Joins ground-truth labels that arrive later (feedback events) with the predictions they belong to, by
/// event id, in bounded memory.
///
/// Predictions wait up to ``timeToLive`` (in event time: the newest time seen on either side) and at most
/// ``capacity`` at once; beyond either they are dropped, oldest first, and counted as expired. A label for an
/// event id that is not waiting is held the same way, in case it overtook its prediction (the topics are
/// separate), and counted as unmatched when it expires. Pure: no clock, no I/O.
public struct LabelJoinBuffer<Prediction: Sendable, Label: Sendable>: Sendable {
    public let capacity: Int
    public let timeToLive: Int64

    /// Predictions joined with a label so far.
    public private(set) var matched: UInt64 = 0
    private var predictions: ExpiringMap<Prediction>
    private var labels: ExpiringMap<Label>
    private var clock: Int64 = .min

    public init(capacity: Int = 1_000_000, timeToLive: Int64 = 3_600_000) {
        self.capacity = capacity
        self.timeToLive = timeToLive
        predictions = ExpiringMap(capacity: capacity)
        labels = ExpiringMap(capacity: capacity)
    }

    /// Predictions dropped without a label (time to live or capacity).
    public var expiredPredictions: UInt64 { predictions.expired }
    /// Labels dropped without a prediction.
    public var unmatchedLabels: UInt64 { labels.expired }
    /// Predictions waiting for a label.
    public var waitingPredictions: Int { predictions.count }
    /// Labels waiting for a prediction.
    public var waitingLabels: Int { labels.count }

    /// Records a prediction. Returns the label if it had already arrived.
    public mutating func addPrediction(id: String, time: Int64, _ value: Prediction) -> Label? {
        advance(to: time)
        if let early = labels.remove(id) {
            matched += 1
            return early
        }
        predictions.insert(id, time: time, value)
        evict()
        return nil
    }

    /// Records a label. Returns the prediction it joins, if that is waiting.
    public mutating func addLabel(id: String, time: Int64, _ label: Label) -> Prediction? {
        advance(to: time)
        if let waiting = predictions.remove(id) {
            matched += 1
            return waiting
        }
        labels.insert(id, time: time, label)
        evict()
        return nil
    }

    private mutating func advance(to time: Int64) {
        if time > clock { clock = time }
    }

    private mutating func evict() {
        let horizon = clock == .min ? Int64.min : clock - timeToLive
        predictions.evict(olderThan: horizon)
        labels.evict(olderThan: horizon)
    }
}

/// Entries by id in insertion order, evicted oldest first when older than a horizon or beyond a capacity.
struct ExpiringMap<Value: Sendable>: Sendable {
    let capacity: Int
    /// Entries evicted so far.
    private(set) var expired: UInt64 = 0
    private var entries: [String: (time: Int64, value: Value)] = [:]
    /// Insertion order; entries removed by ``remove(_:)`` are skipped when they reach the head.
    private var order: [(id: String, time: Int64)] = []
    private var head = 0

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { entries.count }

    mutating func insert(_ id: String, time: Int64, _ value: Value) {
        if entries.updateValue((time, value), forKey: id) == nil { order.append((id, time)) }
    }

    mutating func remove(_ id: String) -> Value? {
        entries.removeValue(forKey: id)?.value
    }

    mutating func evict(olderThan horizon: Int64) {
        while head < order.count {
            let (id, time) = order[head]
            guard let entry = entries[id], entry.time == time else {  // removed (joined) already
                head += 1
                continue
            }
            guard time < horizon || entries.count > capacity else { break }
            entries.removeValue(forKey: id)
            expired += 1
            head += 1
        }
        if head > 4_096, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
