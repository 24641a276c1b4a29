/// The eviction order of `CategoricalCounts` in summary mode: a 4-ary min-heap of slots keyed by
/// (counter, tie-break hash), with the keys stored inline so that a sift reads contiguous memory.
///
/// A 4-ary heap halves the depth of a binary one (7 levels for 10,000 slots) and its four children
/// share one or two cache lines; Space-Saving's evictions sift the root to the bottom whenever many
/// counters tie at the minimum, so depth and locality are what matter.
///
/// Invariants (checked by `isValid(counters:tieBreaks:)`): `position` is the inverse of the slots
/// in `entries`, and every entry precedes none of its parent.
struct EvictionHeap: Sendable {
    struct Entry: Sendable {
        var counter: UInt64
        var tieBreak: UInt64
        var slot: Int32
    }

    private(set) var entries: [Entry]
    /// Slot → index in `entries`.
    private(set) var position: [Int32]

    init() {
        entries = []
        position = []
    }

    /// Floyd's O(k) construction over slots 0..<counters.count.
    init(counters: [UInt64], tieBreaks: [UInt64]) {
        entries = counters.indices.map { Entry(counter: counters[$0], tieBreak: tieBreaks[$0], slot: Int32($0)) }
        position = counters.indices.map { Int32($0) }
        var index = entries.count / 4
        while index >= 0 {
            siftDown(from: index)
            index -= 1
        }
    }

    /// The slot with the smallest (counter, tie-break); the heap must not be empty.
    var minimumSlot: Int { Int(entries[0].slot) }

    /// The smallest counter; the heap must not be empty.
    var minimumCounter: UInt64 { entries[0].counter }

    @inline(__always)
    static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        a.counter < b.counter || (a.counter == b.counter && a.tieBreak < b.tieBreak)
    }

    /// Records that `slot`'s counter grew to `counter`. O(log₄ k).
    mutating func increase(slot: Int, to counter: UInt64) {
        let index = Int(position[slot])
        entries[index].counter = counter
        siftDown(from: index)
    }

    /// Gives the minimum's slot a new (larger) key, for the category that replaces it. O(log₄ k).
    mutating func replaceMinimum(counter: UInt64, tieBreak: UInt64) {
        entries[0].counter = counter
        entries[0].tieBreak = tieBreak
        siftDown(from: 0)
    }

    private mutating func siftDown(from start: Int) {
        let count = entries.count
        entries.withUnsafeMutableBufferPointer { heap in
            position.withUnsafeMutableBufferPointer { position in
                var index = start
                let moving = heap[index]
                while true {
                    let first = 4 &* index &+ 1
                    if first >= count { break }
                    let end = Swift.min(first &+ 4, count)
                    var best = first
                    var child = first &+ 1
                    while child < end {
                        if EvictionHeap.precedes(heap[child], heap[best]) { best = child }
                        child &+= 1
                    }
                    if !EvictionHeap.precedes(heap[best], moving) { break }
                    heap[index] = heap[best]
                    position[Int(heap[index].slot)] = Int32(truncatingIfNeeded: index)
                    index = best
                }
                heap[index] = moving
                position[Int(moving.slot)] = Int32(truncatingIfNeeded: index)
            }
        }
    }

    /// Whether the heap holds exactly the given slots with their current keys, in heap order.
    func isValid(counters: [UInt64], tieBreaks: [UInt64]) -> Bool {
        guard entries.count == counters.count, position.count == counters.count else { return false }
        for index in entries.indices {
            let entry = entries[index]
            let slot = Int(entry.slot)
            guard slot >= 0, slot < counters.count, Int(position[slot]) == index,
                  entry.counter == counters[slot], entry.tieBreak == tieBreaks[slot] else { return false }
            if index > 0, EvictionHeap.precedes(entry, entries[(index - 1) / 4]) { return false }
        }
        return true
    }
}
