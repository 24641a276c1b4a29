extension Reservoir {
    /// Replaces `self` by a uniform sample of the union of both streams (the weighted merge of the
    /// type's documentation), drawing its randomness from `self`'s generator.
    ///
    /// Each of the min(capacity, n_A + n_B) output slots comes from `self` with probability
    /// r_A / (r_A + r_B) (items not yet drawn from each stream; without replacement), the chosen
    /// items uniformly without replacement from that side's reservoir; `seen` becomes n_A + n_B.
    /// If `other` overflowed a smaller capacity (other.seen > other.capacity < capacity), a uniform
    /// sample larger than its reservoir cannot be formed, so `capacity` shrinks to `other.capacity`.
    /// Merging is exact in distribution; O(k) time, one O(k) allocation.
    public mutating func merge(_ other: Reservoir) {
        guard other.storedSeen > 0 else { return }
        let seenA = storedSeen
        let seenB = other.storedSeen
        var newCapacity = capacity
        if seenB > UInt64(other.capacity) { newCapacity = Swift.min(newCapacity, other.capacity) }
        let union = Moments.saturatingAdd(seenA, seenB)
        let size = Int(Swift.min(UInt64(newCapacity), union))

        var poolA = samples
        var poolB = other.samples
        var takenA = 0
        var takenB = 0
        var remainingA = seenA
        var remainingB = seenB
        var merged = [Element]()
        merged.reserveCapacity(size)
        for _ in 0..<size {
            let fromA = generator.nextBounded(Moments.saturatingAdd(remainingA, remainingB)) < remainingA
            if fromA, takenA < poolA.count {
                let j = takenA + Int(generator.nextBounded(UInt64(poolA.count - takenA)))
                poolA.swapAt(takenA, j)
                merged.append(poolA[takenA])
                takenA += 1
                remainingA -= 1
            } else if takenB < poolB.count {
                let j = takenB + Int(generator.nextBounded(UInt64(poolB.count - takenB)))
                poolB.swapAt(takenB, j)
                merged.append(poolB[takenB])
                takenB += 1
                remainingB = remainingB > 0 ? remainingB - 1 : 0
            }
            // (Both pools are always large enough: a side's reservoir holds min(its capacity, its
            // count) ≥ min(size, its count) items; the guards only keep malformed input from trapping.)
        }
        samples = merged
        storedSeen = union
        capacity = newCapacity
        if samples.count >= capacity {
            threshold = Reservoir.orderStatistic(&generator, k: capacity, of: union)
            scheduleNext()
        } else {
            nextIndex = storedSeen &+ 1
        }
    }
}
