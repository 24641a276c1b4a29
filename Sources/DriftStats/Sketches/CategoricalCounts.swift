/// Counts of a categorical column: exact up to `capacity` distinct categories, then a mergeable
/// Space-Saving heavy-hitters summary with a guaranteed, exposed error bound.
///
/// **Exact mode.** While at most `capacity` distinct categories have been seen (10,000 by default),
/// every count is exact, `maximumError == 0` and `isExact` is true.
///
/// **Summary mode.** The first new category that does not fit switches to Space-Saving
/// (Metwally, Agrawal & El Abbadi 2005): `capacity` counters cᵢ, each with an overestimation εᵢ;
/// an unseen category evicts the smallest counter m and takes cᵢ = m + w, εᵢ = m. Counters are upper
/// bounds (fᵢ ≤ cᵢ) and cᵢ − εᵢ (the weight that arrived while i was tracked) is a lower bound.
/// **Reported counts are the lower bounds**: `count(of:)` = cᵢ − εᵢ for a tracked category and 0 for
/// any other, so every reported count *underestimates* the true count, by at most `maximumError`:
///
///     count(of: x) ≤ truth(x) ≤ count(of: x) + maximumError      for every category x
///
/// and `otherCount = total − Σ counts ≥ 0` is the mass not attributed to a tracked category, so
/// `counts` plus `otherCount` is a partition of `total` (proportions sum to 1). `upperBound(of:)`
/// gives the matching upper bound cᵢ (or `maximumError` for an untracked category).
/// `maximumError` is the largest counter ever evicted (after merges: see below), never more than
/// the smallest counter, hence **maximumError ≤ total / capacity** (Σ cᵢ ≤ total). Any category with
/// more than `total / capacity` occurrences is therefore tracked.
///
/// **Merging** follows the mergeable-summaries construction (Agarwal, Cormode, Huang, Phillips, Wei
/// & Yi 2012, which proves Misra–Gries/Space-Saving summaries mergeable; the counter combination is
/// the parallel Space-Saving merge of Cafaro, Pulimeno & Tempesta 2016): a category tracked by one
/// side only is charged the other side's `maximumError` (its largest possible untracked count) in
/// both counter and error, counters add, and the `capacity` largest counters are kept; the
/// new `maximumError` is max(u₁ + u₂, the largest dropped counter). The lower/upper bounds above and
/// maximumError ≤ total / capacity hold after any sequence of updates and merges of summaries whose
/// capacity is at least this one's (a smaller-capacity operand keeps the per-category bounds valid but
/// may loosen the total / capacity bound). Two exact summaries whose union fits stay exact.
///
/// Invariants (checked by `testOnly_verifyInvariants()`):
/// 1. At most `capacity` tracked categories; the key index, keys, counters and errors agree.
/// 2. Every tracked category has εᵢ ≤ maximumError ≤ cᵢ and cᵢ − εᵢ ≥ 1.
/// 3. Σ (cᵢ − εᵢ) ≤ total, kept exactly in `trackedTotal`; so `otherCount` ≥ 0.
/// 4. `maximumError == 0` ⇒ every εᵢ = 0 and `otherCount == 0` (the counts are exact).
/// 5. Σ cᵢ ≤ total, hence maximumError ≤ total / capacity when `capacity` categories are tracked
///    (for summaries whose merged operands all had at least this capacity).
/// 6. Once the eviction heap is built (when `capacity` categories are tracked) it holds every slot
///    with its current counter and the stable hash of its category, in min-heap order.
///
/// **Determinism.** Ties between equal smallest counters are broken by a platform-independent
/// hash of the category, so the evicted category depends only on the summary's contents: the same
/// stream gives the same summary, and a summary decoded from `serialized()` (or rebuilt by a merge)
/// continues exactly like the original.
///
/// Cost: `update(_:count:)` of a tracked category is one `String` hash and probe (SipHash-1-3 over
/// the UTF-8 bytes: ≈ 20–40 ns for short ASCII categories, growing with length; unavoidable for
/// string keys) plus, in summary mode, an O(log₄ capacity) sift of a 4-ary heap (`EvictionHeap`),
/// usually a step or two. A new category costs the same single probe (it is inserted by it); an
/// eviction then adds one more table hash to remove the evicted category, one stable hash of the
/// new one and a sift from the root. Nothing is allocated, except table growth while new
/// categories arrive in exact mode (amortized O(1)); in summary mode the tables stay at `capacity`
/// entries. Memory is O(capacity). Measured (`Benchmarks/`, release, shared 2-core x86 server):
/// ≈ 35 ns per value for 20 short categories in exact mode — the cost of a bare
/// `[String: UInt64]` increment — and ≈ 0.45–0.55 µs per value in summary mode's worst case
/// (200,000 equally likely ids at capacity 10,000, where nearly every value evicts).
public struct CategoricalCounts: Sendable {
    /// The default number of categories tracked exactly (and counters in summary mode).
    public static let defaultCapacity = 10_000
    /// The largest accepted capacity.
    public static let maximumCapacity = 1 << 24

    /// The number of categories tracked (exactly, then as Space-Saving counters).
    public let capacity: Int
    /// The total weight of non-missing updates.
    public internal(set) var total: UInt64
    /// The number of missing values recorded with `recordMissing(_:)`.
    public internal(set) var missing: UInt64
    /// A bound on the error of every reported count: each `count(of:)` is at most the true count
    /// and at least the true count − `maximumError` (0 while exact; ≤ total / capacity).
    public internal(set) var maximumError: UInt64

    /// Category → slot in `keys`/`counters`/`errors`.
    var slotByKey: [String: Int]
    var keys: [String]
    /// Space-Saving counters cᵢ (upper bounds of the true counts).
    var counters: [UInt64]
    /// Overestimation εᵢ of each counter; the reported count is cᵢ − εᵢ.
    var errors: [UInt64]
    /// Σ (cᵢ − εᵢ), so that `otherCount` is O(1).
    var trackedTotal: UInt64
    /// The eviction order (min-heap on counters, ties broken by a platform-independent hash of the
    /// category, so which category is evicted depends only on the summary's contents, not on
    /// insertion order or slot layout). Built once `capacity` categories are tracked.
    var evictionHeap: EvictionHeap
    var heapIsBuilt: Bool

    /// An empty summary that counts exactly up to `capacity` distinct categories.
    ///
    /// Throws `SummaryError.invalidCapacity` unless 1 ≤ capacity ≤ `maximumCapacity`.
    public init(capacity: Int = CategoricalCounts.defaultCapacity) throws(SummaryError) {
        guard capacity >= 1, capacity <= CategoricalCounts.maximumCapacity else {
            throw .invalidCapacity(capacity, maximum: CategoricalCounts.maximumCapacity)
        }
        self.capacity = capacity
        total = 0
        missing = 0
        maximumError = 0
        slotByKey = [:]
        keys = []
        counters = []
        errors = []
        trackedTotal = 0
        evictionHeap = EvictionHeap()
        heapIsBuilt = false
    }

    /// Adds `count` occurrences of `category` (a count of 0 changes nothing).
    ///
    /// Exact mode: the count increases by `count`. Summary mode: a tracked category's counter
    /// increases; an untracked one replaces the smallest counter m (Space-Saving), after which
    /// `maximumError` ≥ m. Cost in the type's documentation; no allocation except table growth when a
    /// new category arrives in exact mode. Counts saturate at `UInt64.max` instead of trapping.
    public mutating func update(_ category: String, count: UInt64 = 1) {
        guard count > 0 else { return }
        total = Moments.saturatingAdd(total, count)
        if keys.count == capacity, !heapIsBuilt { buildHeap() }
        // The slot a new category would take: the next free one, or the one Space-Saving evicts.
        let candidate = keys.count < capacity ? keys.count : evictionHeap.minimumSlot
        // One hash probe finds the category or inserts it with the candidate slot.
        let (slot, isNew) = CategoricalCounts.claim(&slotByKey[category, default: -1], candidate)
        if isNew {
            insertNew(category, at: slot, count: count)
            return
        }
        let counter = Moments.saturatingAdd(counters[slot], count)
        counters[slot] = counter
        trackedTotal = Moments.saturatingAdd(trackedTotal, count)
        if heapIsBuilt { evictionHeap.increase(slot: slot, to: counter) }
    }

    /// Returns the stored slot, or stores `candidate` in the freshly inserted entry (marked −1).
    @inline(__always)
    static func claim(_ stored: inout Int, _ candidate: Int) -> (slot: Int, isNew: Bool) {
        if stored >= 0 { return (stored, false) }
        stored = candidate
        return (candidate, true)
    }

    /// Counts `count` missing values (null, absent or unparsable categories).
    public mutating func recordMissing(_ count: UInt64 = 1) {
        missing = Moments.saturatingAdd(missing, count)
    }

    /// Whether every count is exact (no category was ever dropped): `maximumError == 0`.
    public var isExact: Bool { maximumError == 0 }

    /// The number of categories currently tracked.
    public var trackedCount: Int { keys.count }

    /// The reported (lower-bound) count of every tracked category; exact when `isExact`. O(k).
    public var counts: [String: UInt64] {
        var result = [String: UInt64](minimumCapacity: keys.count)
        for slot in keys.indices { result[keys[slot]] = counters[slot] - errors[slot] }
        return result
    }

    /// `total` minus the reported counts: weight not attributed to any tracked category (0 when exact).
    public var otherCount: UInt64 { total >= trackedTotal ? total - trackedTotal : 0 }

    /// The reported count of `category`: exact when `isExact`, otherwise a lower bound at most
    /// `maximumError` below the truth (0 for an untracked category). One hash lookup.
    public func count(of category: String) -> UInt64 {
        guard let slot = slotByKey[category] else { return 0 }
        return counters[slot] - errors[slot]
    }

    /// An upper bound of the true count of `category`: its counter cᵢ, or `maximumError` if untracked.
    public func upperBound(of category: String) -> UInt64 {
        guard let slot = slotByKey[category] else { return maximumError }
        return counters[slot]
    }

    /// Whether `category` is tracked (has a reported count > 0).
    public func contains(_ category: String) -> Bool { slotByKey[category] != nil }

    /// The tracked categories by decreasing reported count (ties by UTF-8 byte order), at most `limit`.
    /// O(k log k).
    public func mostFrequent(_ limit: Int = .max) -> [(category: String, count: UInt64)] {
        let order = keys.indices.sorted { a, b in
            let ca = counters[a] - errors[a], cb = counters[b] - errors[b]
            return ca != cb ? ca > cb : keys[a].utf8.lexicographicallyPrecedes(keys[b].utf8)
        }
        return order.prefix(Swift.max(0, limit)).map { (keys[$0], counters[$0] - errors[$0]) }
    }

    /// The tracked categories of `self` that `reference` does not track, with their counts here.
    ///
    /// For drift metrics these are the categories "unseen in the reference": a chi-square or PSI
    /// over the reference's categories keeps them apart (they have expected count 0). When
    /// `reference` is not exact, "not tracked" means at most `reference.maximumError` occurrences
    /// there. O(k) hash lookups.
    public func unseen(in reference: CategoricalCounts) -> [String: UInt64] {
        var result = [String: UInt64]()
        for slot in keys.indices where reference.slotByKey[keys[slot]] == nil {
            result[keys[slot]] = counters[slot] - errors[slot]
        }
        return result
    }

    /// `count(of: key) / total` for each key in order (all 0 when `total == 0`); not renormalised,
    /// so categories outside `keys` and `otherCount` make up the remainder. O(keys) lookups.
    public func proportions(over keys: [String]) -> [Double] {
        guard total > 0 else { return [Double](repeating: 0, count: keys.count) }
        let denominator = Double(total)
        return keys.map { Double(count(of: $0)) / denominator }
    }
}

extension CategoricalCounts {
    /// The slow path of `update`: `category` was just entered in `slotByKey` with `slot`, either the
    /// next free slot or the heap's minimum (a Space-Saving eviction).
    mutating func insertNew(_ category: String, at slot: Int, count: UInt64) {
        if slot == keys.count {
            keys.append(category)
            counters.append(Moments.saturatingAdd(maximumError, count))
            errors.append(maximumError)
            trackedTotal = Moments.saturatingAdd(trackedTotal, count)
            return
        }
        // Evict the smallest counter m: the evicted category had at most m occurrences.
        let evicted = counters[slot]
        slotByKey.removeValue(forKey: keys[slot])
        let evictedLower = evicted - errors[slot]
        trackedTotal = trackedTotal >= evictedLower ? trackedTotal - evictedLower : 0
        if evicted > maximumError { maximumError = evicted }
        keys[slot] = category
        let counter = Moments.saturatingAdd(maximumError, count)
        counters[slot] = counter
        errors[slot] = maximumError
        trackedTotal = Moments.saturatingAdd(trackedTotal, count)
        evictionHeap.replaceMinimum(counter: counter, tieBreak: CategoricalCounts.stableHash(category))
    }

    /// Builds the eviction heap over all slots: O(k) plus one stable hash per category. Reserves
    /// one spare table entry so that the insert-then-evict of `update` never grows the table.
    mutating func buildHeap() {
        slotByKey.reserveCapacity(capacity + 1)
        evictionHeap = EvictionHeap(counters: counters, tieBreaks: keys.map(CategoricalCounts.stableHash))
        heapIsBuilt = true
    }

    /// Replaces the tracked entries (used by merge and the decoder); drops the heap.
    mutating func replaceEntries(keys newKeys: [String], counters newCounters: [UInt64], errors newErrors: [UInt64]) {
        keys = newKeys
        counters = newCounters
        errors = newErrors
        slotByKey = [String: Int](minimumCapacity: newKeys.count)
        var tracked: UInt64 = 0
        for slot in newKeys.indices {
            slotByKey[newKeys[slot]] = slot
            tracked = Moments.saturatingAdd(tracked, newCounters[slot] - newErrors[slot])
        }
        trackedTotal = tracked
        evictionHeap = EvictionHeap()
        heapIsBuilt = false
    }

    /// FNV-1a over the UTF-8 bytes, finished with SplitMix64's mixer: stable across processes and
    /// platforms (unlike `Hasher`, which is seeded per process). O(length).
    static func stableHash(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 31)
    }
}
