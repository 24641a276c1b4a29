extension CategoricalCounts {
    /// Combines `other` into `self` (mergeable Space-Saving; see the type's documentation).
    ///
    /// With u₁ = `self.maximumError` and u₂ = `other.maximumError`: a category tracked by both gets
    /// c = c₁ + c₂, ε = ε₁ + ε₂; one tracked by one side only is charged the other side's bound
    /// (c = cⱼ + u, ε = εⱼ + u, so its lower bound is unchanged and its upper bound stays valid);
    /// if more than `capacity` categories result, the `capacity` largest counters are kept (ties by
    /// UTF-8 byte order, so the result does not depend on insertion order) and
    /// maximumError = max(u₁ + u₂, largest dropped counter); otherwise maximumError = u₁ + u₂.
    /// Totals and missing counts add. `self.capacity` is kept.
    ///
    /// Guarantees: two exact summaries whose union has at most `capacity` categories merge exactly;
    /// every bound of the type's documentation holds for the result. Cost O((k₁ + k₂) log(k₁ + k₂))
    /// when truncating, O(k₁ + k₂) hash operations otherwise.
    public mutating func merge(_ other: CategoricalCounts) {
        let u1 = maximumError
        let u2 = other.maximumError
        var mergedKeys = [String]()
        var mergedCounters = [UInt64]()
        var mergedErrors = [UInt64]()
        let upperCount = keys.count + other.keys.count
        mergedKeys.reserveCapacity(upperCount)
        mergedCounters.reserveCapacity(upperCount)
        mergedErrors.reserveCapacity(upperCount)
        for slot in keys.indices {
            let key = keys[slot]
            mergedKeys.append(key)
            if let otherSlot = other.slotByKey[key] {
                mergedCounters.append(Moments.saturatingAdd(counters[slot], other.counters[otherSlot]))
                mergedErrors.append(Moments.saturatingAdd(errors[slot], other.errors[otherSlot]))
            } else {
                mergedCounters.append(Moments.saturatingAdd(counters[slot], u2))
                mergedErrors.append(Moments.saturatingAdd(errors[slot], u2))
            }
        }
        for otherSlot in other.keys.indices where slotByKey[other.keys[otherSlot]] == nil {
            mergedKeys.append(other.keys[otherSlot])
            mergedCounters.append(Moments.saturatingAdd(other.counters[otherSlot], u1))
            mergedErrors.append(Moments.saturatingAdd(other.errors[otherSlot], u1))
        }
        var newError = Moments.saturatingAdd(u1, u2)
        if mergedKeys.count > capacity {
            let order = mergedKeys.indices.sorted { a, b in
                mergedCounters[a] != mergedCounters[b]
                    ? mergedCounters[a] > mergedCounters[b]
                    : mergedKeys[a].utf8.lexicographicallyPrecedes(mergedKeys[b].utf8)
            }
            newError = Swift.max(newError, mergedCounters[order[capacity]])
            let kept = order.prefix(capacity)
            mergedKeys = kept.map { mergedKeys[$0] }
            mergedCounters = kept.map { mergedCounters[$0] }
            mergedErrors = kept.map { mergedErrors[$0] }
        }
        total = Moments.saturatingAdd(total, other.total)
        missing = Moments.saturatingAdd(missing, other.missing)
        maximumError = newError
        replaceEntries(keys: mergedKeys, counters: mergedCounters, errors: mergedErrors)
    }
}

extension CategoricalCounts: Equatable {
    /// Equal when capacity, totals, bound and every tracked category's counter and error agree
    /// (independent of insertion order and internal layout). O(k) hash lookups.
    public static func == (lhs: CategoricalCounts, rhs: CategoricalCounts) -> Bool {
        guard lhs.capacity == rhs.capacity, lhs.total == rhs.total, lhs.missing == rhs.missing,
              lhs.maximumError == rhs.maximumError, lhs.keys.count == rhs.keys.count
        else { return false }
        for slot in lhs.keys.indices {
            guard let other = rhs.slotByKey[lhs.keys[slot]],
                  lhs.counters[slot] == rhs.counters[other], lhs.errors[slot] == rhs.errors[other]
            else { return false }
        }
        return true
    }
}

extension CategoricalCounts {
    /// Why the state breaks an invariant of the type's header, or nil (shared by the decoder).
    /// `checkCounterSum` checks invariant 5, which needs every merged operand's capacity ≥ this one's.
    func invariantViolation(checkCounterSum: Bool = true) -> String? {
        guard keys.count <= capacity else { return "more tracked categories than the capacity" }
        guard counters.count == keys.count, errors.count == keys.count, slotByKey.count == keys.count else {
            return "index and entry arrays disagree"
        }
        var lowerSum: UInt64 = 0
        var counterSum: UInt64 = 0
        for slot in keys.indices {
            guard slotByKey[keys[slot]] == slot else { return "key index does not match slot \(slot)" }
            guard errors[slot] <= maximumError else { return "an error exceeds maximumError" }
            guard counters[slot] >= maximumError else { return "a counter is below maximumError" }
            guard counters[slot] > errors[slot] else { return "a tracked count must be at least 1" }
            let (sum, overflow) = lowerSum.addingReportingOverflow(counters[slot] - errors[slot])
            guard !overflow else { return "tracked counts overflow" }
            lowerSum = sum
            counterSum = Moments.saturatingAdd(counterSum, counters[slot])
        }
        guard lowerSum == trackedTotal else { return "trackedTotal is not the sum of the counts" }
        guard lowerSum <= total else { return "tracked counts exceed the total" }
        if maximumError == 0, lowerSum != total { return "an exact summary must account for the whole total" }
        if checkCounterSum, counterSum > total { return "counters exceed the total" }
        if heapIsBuilt {
            guard keys.count == capacity,
                  evictionHeap.isValid(counters: counters, tieBreaks: keys.map(CategoricalCounts.stableHash))
            else { return "eviction heap is inconsistent" }
        }
        return nil
    }

    /// Checks the numbered invariants of the type's header comment.
    func testOnly_verifyInvariants(checkCounterSum: Bool = true) -> Bool {
        invariantViolation(checkCounterSum: checkCounterSum) == nil
    }
}
