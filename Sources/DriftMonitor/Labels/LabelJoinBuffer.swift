/// Joins ground-truth labels that arrive later (feedback events) with the predictions they belong to, by
/// event id, in bounded memory.
///
/// Predictions wait up to ``timeToLive`` (in event time: the newest time seen on either side) and at most
/// ``capacity`` at once; beyond either they are dropped, oldest first, and counted as expired. A label for an
/// event id that is not waiting is held the same way, in case it overtook its prediction (the topics are
/// separate), and counted as unmatched when it expires. Entries are keyed by the id's 128-bit
/// ``EventFingerprint``, not the string. Pure: no clock, no I/O.
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
        // Predictions fill up to (event rate × label delay): start large enough that warm-up does not
        // rehash them again and again.
        predictions.reserve(Swift.min(capacity, 65_536))
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
    /// Bookkeeping records held for eviction order (bounded by a constant factor of the waiting entries).
    var orderRecords: Int { predictions.orderRecords + labels.orderRecords }

    /// Whether the prediction `id` is still waiting for its label.
    public func isWaiting(prediction id: String) -> Bool { predictions.contains(EventFingerprint(id)) }

    /// Records a prediction. Returns the label if it had already arrived.
    public mutating func addPrediction(id: String, time: Int64, _ value: Prediction) -> Label? {
        advance(to: time)
        let early = Self.meet(EventFingerprint(id), time, value, partners: &labels, waiting: &predictions, matched: &matched)
        if early == nil { evict() }
        return early
    }

    /// Records a label. Returns the prediction it joins, if that is waiting.
    public mutating func addLabel(id: String, time: Int64, _ label: Label) -> Prediction? {
        advance(to: time)
        let waiting = Self.meet(EventFingerprint(id), time, label, partners: &predictions, waiting: &labels, matched: &matched)
        if waiting == nil { evict() }
        return waiting
    }

    /// Either side's arrival: take its partner if that is waiting, else wait for it.
    private static func meet<Mine, Partner>(
        _ key: EventFingerprint, _ time: Int64, _ value: Mine, partners: inout ExpiringMap<Partner>, waiting: inout ExpiringMap<Mine>,
        matched: inout UInt64
    ) -> Partner? {
        if partners.count > 0, let partner = partners.remove(key) {
            matched += 1
            return partner
        }
        waiting.insert(key, time: time, value)
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
    private var entries: [EventFingerprint: (time: Int64, value: Value)] = [:]
    /// Insertion order; entries removed by ``remove(_:)`` are skipped when they reach the head.
    private var order: [(id: EventFingerprint, time: Int64)] = []
    private var head = 0

    init(capacity: Int) { self.capacity = capacity }

    mutating func reserve(_ entries: Int) {
        self.entries.reserveCapacity(entries)
        order.reserveCapacity(entries)
    }

    var count: Int { entries.count }
    /// Order records kept (live entries and skipped ones not yet dropped).
    var orderRecords: Int { order.count - head }

    mutating func insert(_ id: EventFingerprint, time: Int64, _ value: Value) {
        // A repeated id replaces the entry; its older order record no longer matches and is skipped.
        entries[id] = (time, value)
        order.append((id, time))
    }

    func contains(_ id: EventFingerprint) -> Bool { entries[id] != nil }

    mutating func remove(_ id: EventFingerprint) -> Value? {
        entries.removeValue(forKey: id)?.value
    }

    mutating func evict(olderThan horizon: Int64) {
        while head < order.count {
            let (id, time) = order[head]
            // Insertion order is time order but for out-of-order events; the oldest entry decides.
            guard time < horizon || entries.count > capacity else { break }
            guard let index = entries.index(forKey: id), entries.values[index].time == time else {  // removed (joined) already
                head += 1
                continue
            }
            entries.remove(at: index)
            expired += 1
            head += 1
        }
        if head > 4_096, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        // Records of joined entries wait behind live ones: drop them when they outnumber the live entries,
        // so that the order stays within a constant factor of the entries however fast labels join.
        if order.count - head > 2 * entries.count + 4_096 {
            order = order[head...].filter { record in entries[record.id]?.time == record.time }
            head = 0
        }
    }
}
