extension KLLSketch {
    /// The first violated invariant (numbered as in the type header), if any.
    internal struct InvariantViolation: Equatable, Sendable {
        var field: String
        var reason: String
    }

    /// The largest number of levels a sketch can have: its top level is nonempty (invariant 5), so
    /// `2^(numLevels − 1) ≤ count < 2^64`.
    internal static var maximumNumLevels: Int { 64 }

    /// Checks invariants 1–8 of the type header; used by `testOnly_verifyInvariants()` and by the
    /// binary reader (so any sketch the reader accepts satisfies them).
    ///
    /// - Complexity: O(retained items + numLevels).
    internal func invariantViolation() -> InvariantViolation? {
        // 1. Parameters.
        guard _k >= Self.minimumK, _k <= Self.maximumK else {
            return InvariantViolation(field: "k", reason: "\(_k) outside \(Self.minimumK)...\(Self.maximumK)")
        }
        guard _minK >= Self.minimumK, _minK <= _k else {
            return InvariantViolation(field: "minK", reason: "\(_minK) outside \(Self.minimumK)...k (\(_k))")
        }
        // 2. Level layout.
        let levelCount = levels.count - 1
        guard levelCount >= 1, levelCount <= Self.maximumNumLevels else {
            return InvariantViolation(field: "numLevels", reason: "\(levelCount) outside 1...\(Self.maximumNumLevels)")
        }
        guard levels[0] >= 0 else { return InvariantViolation(field: "levels", reason: "negative start") }
        for h in 0..<levelCount where levels[h] > levels[h + 1] {
            return InvariantViolation(field: "levels", reason: "boundaries not monotone at level \(h)")
        }
        let capacity = Self.totalCapacity(k: _k, numLevels: levelCount)
        guard levels[levelCount] == items.count, items.count == capacity else {
            return InvariantViolation(
                field: "levels",
                reason: "buffer \(items.count) / top boundary \(levels[levelCount]) differ from capacity \(capacity)")
        }
        // 3. Total weight.
        var weight: UInt64 = 0
        for h in 0..<levelCount {
            let population = UInt64(levels[h + 1] - levels[h])
            guard population == 0 || h < 64 else {
                return InvariantViolation(field: "levels", reason: "weight of level \(h) overflows")
            }
            let (levelWeight, overflow1) = population.multipliedReportingOverflow(by: UInt64(1) << UInt64(h))
            let (sum, overflow2) = weight.addingReportingOverflow(levelWeight)
            guard !overflow1, !overflow2 else {
                return InvariantViolation(field: "levels", reason: "total weight overflows")
            }
            weight = sum
        }
        guard weight == n else {
            return InvariantViolation(field: "n", reason: "total weight \(weight) != count \(n)")
        }
        // 4. Sorted levels above 0.
        for h in 1..<Swift.max(1, levelCount) {
            var i = levels[h] + 1
            while i < levels[h + 1] {
                guard items[i - 1] <= items[i] else {
                    return InvariantViolation(field: "items", reason: "level \(h) not sorted")
                }
                i += 1
            }
        }
        // 5. Nonempty top level.
        if levelCount > 1, levels[levelCount] == levels[levelCount - 1] {
            return InvariantViolation(field: "levels", reason: "top level empty")
        }
        // 6. Items and extremes.
        if n == 0 {
            guard minItem == .infinity, maxItem == -.infinity else {
                return InvariantViolation(field: "min/max", reason: "must be NaN when empty")
            }
        } else {
            guard minItem.isFinite, maxItem.isFinite, minItem <= maxItem else {
                return InvariantViolation(field: "min/max", reason: "must be finite with min <= max")
            }
            var smallest = Double.infinity
            var largest = -Double.infinity
            for i in levels[0]..<items.count {
                let x = items[i]
                guard x.isFinite else { return InvariantViolation(field: "items", reason: "non-finite item") }
                if x < smallest { smallest = x }
                if x > largest { largest = x }
            }
            guard minItem <= smallest, largest <= maxItem else {
                return InvariantViolation(field: "min/max", reason: "do not bound the retained items")
            }
            if levelCount == 1, minItem != smallest || maxItem != largest {
                return InvariantViolation(field: "min/max", reason: "differ from the items in exact mode")
            }
        }
        // 7. Random bit cache.
        guard randomBitsLeft >= 0, randomBitsLeft <= 64 else {
            return InvariantViolation(field: "randomBitsLeft", reason: "\(randomBitsLeft) outside 0...64")
        }
        if randomBitsLeft < 64, randomBits >> UInt64(randomBitsLeft) != 0 {
            return InvariantViolation(field: "randomBits", reason: "consumed bits must be zero")
        }
        // 8. Capacity cache.
        guard levelCapacities == Self.levelCapacityTable(k: _k, numLevels: levelCount) else {
            return InvariantViolation(field: "levelCapacities", reason: "stale capacity table")
        }
        return nil
    }
}
