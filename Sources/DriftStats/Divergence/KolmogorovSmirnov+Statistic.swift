extension KolmogorovSmirnov {
    /// The extremes of `F_a − F_b` over the pooled sample, with scipy's tie-breaking: the float
    /// differences `i/n₁ − j/n₂` exactly as numpy computes them decide `argmax`/`argmin`, and among
    /// equal floats the first pooled index wins (all of `a`'s points precede `b`'s in scipy's
    /// `concatenate([data1, data2])`, each sample ascending). Numerators are exact integers in units
    /// of `1/lcm(n₁, n₂)`.
    struct Extremes: Sendable, Equatable {
        var maximumDifference: Double
        var maximumNumerator: Int
        var maximumLocation: Double
        var minimumDifference: Double
        var minimumNumerator: Int
        var minimumLocation: Double

        /// The number of independent merge lanes interleaved in the main loop.
        static let laneCount = 4

        /// A linear merge of the two sorted samples, evaluating `F_a − F_b` once per group of equal
        /// values (after the whole group is consumed).
        ///
        /// Differences are tracked exactly as integers `i·(L/n₁) − j·(L/n₂)` (L = lcm); the float
        /// difference is computed only when a group's integer difference reaches the running maximum
        /// or minimum. Distinct fractions differ by at least `1/L`, far more than the float rounding
        /// when `L < 2⁵⁰`, so the float order agrees with the integer order except between exact ties,
        /// which the floats then break as numpy does. (For `L ≥ 2⁵⁰`, see `computeFloat`.)
        ///
        /// Speed: the merged order is cut into `laneCount` rank ranges by "merge path" binary searches
        /// and the lanes are advanced in lockstep, so the loop-carried latency of one merge
        /// (load → compare → index) is overlapped four ways; the merge step itself has no
        /// data-dependent branch. About 2–3 ns per element (100k vs 100k ≈ 0.4–0.6 ms release); groups
        /// that tie the running extreme take an out-of-line path (identical samples: ≈ 10 ns per group).
        /// No allocation.
        static func compute(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>) -> Extremes {
            let n1 = a.count
            let n2 = b.count
            let g = KolmogorovSmirnov.gcd(n1, n2)
            let (lcm, overflow) = (n1 / g).multipliedReportingOverflow(by: n2)
            if overflow || lcm >= 1 << 50 {
                return computeFloat(a, b, lcm: overflow ? Int.max : lcm)
            }
            let units = Units(unitA: lcm / n1, unitB: lcm / n2, dn1: Double(n1), dn2: Double(n2))
            let total = n1 + n2

            func lane(_ s: Int) -> Lane {
                Lane(a: a, b: b, startRank: s * total / laneCount, endRank: (s + 1) * total / laneCount, units: units)
            }
            var l0 = lane(0), l1 = lane(1), l2 = lane(2), l3 = lane(3)
            if total >= 64 * laneCount {
                lockstep(&l0, &l1, &l2, &l3, a, b, units)
            }
            l0.finish(a, b, units)
            l1.finish(a, b, units)
            l2.finish(a, b, units)
            l3.finish(a, b, units)
            // The last group (of the largest value) is closed by the end of the data.
            if l3.hasPrevious {
                l3.tracker.consider(l3.previous, n1, n2, l3.previousDiff, a, b, units)
            }
            var tracker = l0.tracker
            tracker.merge(l1.tracker, a, b, units)
            tracker.merge(l2.tracker, a, b, units)
            tracker.merge(l3.tracker, a, b, units)
            return tracker.result(a, b, units)
        }

        /// Advances four lanes together while every lane can read its next element of both samples.
        /// Written with plain local variables so that the lanes' state stays in registers; the rare
        /// "new extreme" path calls out of line.
        static func lockstep(
            _ l0: inout Lane, _ l1: inout Lane, _ l2: inout Lane, _ l3: inout Lane,
            _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, _ units: Units
        ) {
            guard let pa = a.baseAddress, let pb = b.baseAddress else { return }
            let n1 = a.count
            let n2 = b.count
            let unitA = units.unitA
            let unitB = units.unitB
            var i0 = l0.i, j0 = l0.j, d0 = l0.previousDiff, p0 = l0.previous
            var i1 = l1.i, j1 = l1.j, d1 = l1.previousDiff, p1 = l1.previous
            var i2 = l2.i, j2 = l2.j, d2 = l2.previousDiff, p2 = l2.previous
            var i3 = l3.i, j3 = l3.j, d3 = l3.previousDiff, p3 = l3.previous
            var hi0 = l0.tracker.maxInt, lo0 = l0.tracker.minInt
            var hi1 = l1.tracker.maxInt, lo1 = l1.tracker.minInt
            var hi2 = l2.tracker.maxInt, lo2 = l2.tracker.minInt
            var hi3 = l3.tracker.maxInt, lo3 = l3.tracker.minInt
            var budget = Swift.min(Swift.min(l0.remaining, l1.remaining), Swift.min(l2.remaining, l3.remaining))
            let start = budget
            // Lane 0 may start before the first element: it has no previous group to close yet.
            let hasPrevious0 = l0.hasPrevious
            var first0 = !hasPrevious0
            while budget > 0 {
                // Every index advances by at most one per step, so this many steps read in bounds.
                let maxI = Swift.max(Swift.max(i0, i1), Swift.max(i2, i3))
                let maxJ = Swift.max(Swift.max(j0, j1), Swift.max(j2, j3))
                let safe = Swift.min(budget, Swift.min(n1 - maxI, n2 - maxJ))
                if safe <= 0 { break }
                if first0 {
                    // One step of lane 0 alone would desynchronize the lanes; instead mark its
                    // previous as the first element so that no bogus group is closed.
                    p0 = pa[i0] <= pb[j0] ? pa[i0] : pb[j0]
                    first0 = false
                }
                for _ in 0..<safe {
                    let a0 = pa[i0], b0 = pb[j0]
                    let a1 = pa[i1], b1 = pb[j1]
                    let a2 = pa[i2], b2 = pb[j2]
                    let a3 = pa[i3], b3 = pb[j3]
                    let t0 = a0 <= b0, t1 = a1 <= b1, t2 = a2 <= b2, t3 = a3 <= b3
                    let x0 = t0 ? a0 : b0, x1 = t1 ? a1 : b1
                    let x2 = t2 ? a2 : b2, x3 = t3 ? a3 : b3
                    if x0 != p0 && (d0 >= hi0 || d0 <= lo0) {
                        l0.tracker.consider(p0, i0, j0, d0, a, b, units)
                        hi0 = l0.tracker.maxInt; lo0 = l0.tracker.minInt
                    }
                    if x1 != p1 && (d1 >= hi1 || d1 <= lo1) {
                        l1.tracker.consider(p1, i1, j1, d1, a, b, units)
                        hi1 = l1.tracker.maxInt; lo1 = l1.tracker.minInt
                    }
                    if x2 != p2 && (d2 >= hi2 || d2 <= lo2) {
                        l2.tracker.consider(p2, i2, j2, d2, a, b, units)
                        hi2 = l2.tracker.maxInt; lo2 = l2.tracker.minInt
                    }
                    if x3 != p3 && (d3 >= hi3 || d3 <= lo3) {
                        l3.tracker.consider(p3, i3, j3, d3, a, b, units)
                        hi3 = l3.tracker.maxInt; lo3 = l3.tracker.minInt
                    }
                    let s0 = t0 ? 1 : 0, s1 = t1 ? 1 : 0, s2 = t2 ? 1 : 0, s3 = t3 ? 1 : 0
                    i0 &+= s0; j0 &+= 1 &- s0
                    i1 &+= s1; j1 &+= 1 &- s1
                    i2 &+= s2; j2 &+= 1 &- s2
                    i3 &+= s3; j3 &+= 1 &- s3
                    d0 = i0 &* unitA &- j0 &* unitB
                    d1 = i1 &* unitA &- j1 &* unitB
                    d2 = i2 &* unitA &- j2 &* unitB
                    d3 = i3 &* unitA &- j3 &* unitB
                    p0 = x0; p1 = x1; p2 = x2; p3 = x3
                }
                budget -= safe
            }
            let done = start - budget
            l0.i = i0; l0.j = j0; l0.previousDiff = d0; l0.previous = p0
            l1.i = i1; l1.j = j1; l1.previousDiff = d1; l1.previous = p1
            l2.i = i2; l2.j = j2; l2.previousDiff = d2; l2.previous = p2
            l3.i = i3; l3.j = j3; l3.previousDiff = d3; l3.previous = p3
            if done > 0 {
                l0.remaining -= done; l0.hasPrevious = true
                l1.remaining -= done; l1.hasPrevious = true
                l2.remaining -= done; l2.hasPrevious = true
                l3.remaining -= done; l3.hasPrevious = true
            }
        }

        /// Integer and float scales of the two samples.
        struct Units {
            let unitA: Int
            let unitB: Int
            let dn1: Double
            let dn2: Double
        }

        /// One rank range of the merge: ranks `[startRank, endRank)` of the merged order.
        struct Lane {
            var i: Int
            var j: Int
            var remaining: Int
            /// The value of the last consumed element (rank − 1) and whether there is one.
            var previous: Double
            var hasPrevious: Bool
            /// `i·unitA − j·unitB` for the current (i, j).
            var previousDiff: Int
            var tracker = Tracker()

            init(a: UnsafeBufferPointer<Double>, b: UnsafeBufferPointer<Double>, startRank: Int, endRank: Int, units: Units) {
                let (i, j) = Extremes.partition(a, b, rank: startRank)
                self.i = i
                self.j = j
                self.remaining = endRank - startRank
                if startRank > 0 {
                    // The element of rank startRank − 1 is the larger of the last consumed ones.
                    let lastA = i > 0 ? a[i - 1] : -Double.infinity
                    let lastB = j > 0 ? b[j - 1] : -Double.infinity
                    self.previous = Swift.max(lastA, lastB)
                    self.hasPrevious = true
                } else {
                    self.previous = .nan
                    self.hasPrevious = false
                }
                self.previousDiff = i &* units.unitA &- j &* units.unitB
            }

            /// Consumes the rest of the range with bounds checks.
            mutating func finish(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, _ units: Units) {
                let n1 = a.count
                let n2 = b.count
                while remaining > 0 {
                    let x: Double
                    let takeA: Bool
                    if i < n1 && j < n2 {
                        takeA = a[i] <= b[j]
                    } else {
                        takeA = i < n1
                    }
                    x = takeA ? a[i] : b[j]
                    if hasPrevious && x != previous
                        && (previousDiff >= tracker.maxInt || previousDiff <= tracker.minInt)
                    {
                        tracker.consider(previous, i, j, previousDiff, a, b, units)
                    }
                    if takeA { i += 1 } else { j += 1 }
                    previousDiff = i &* units.unitA &- j &* units.unitB
                    previous = x
                    hasPrevious = true
                    remaining -= 1
                }
            }
        }

        /// The split (i, j), i + j = rank, of the merged order "take a[i] when a[i] ≤ b[j]": the first
        /// `rank` merged elements are exactly a[..<i] and b[..<j]. O(log n).
        static func partition(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, rank: Int)
            -> (Int, Int)
        {
            var lo = Swift.max(0, rank - b.count)
            var hi = Swift.min(rank, a.count)
            while lo < hi {
                let mid = (lo + hi) / 2
                // a[mid] is among the first `rank` iff fewer than rank − mid elements of b are < a[mid].
                let k = rank - mid - 1
                if k >= b.count || b[k] >= a[mid] {
                    lo = mid + 1
                } else {
                    hi = mid
                }
            }
            return (lo, rank - lo)
        }

        /// A group attaining a running extreme: after it, `i` points of a and `j` of b are ≤ `x`.
        struct Candidate {
            var i = 0
            var j = 0
            var x = Double.nan
            var isValid = false
            /// `value(units)` once computed (NaN before).
            var cachedValue = Double.nan

            /// `i/n₁ − j/n₂` exactly as numpy computes the ECDF difference.
            @inline(__always)
            func value(_ units: Units) -> Double {
                cachedValue.isNaN ? Double(i) / units.dn1 - Double(j) / units.dn2 : cachedValue
            }
        }

        /// One running extreme (the maximum or the minimum of the group differences).
        ///
        /// A strictly new extreme only records its group (cheap, inlined into the merge loop); groups
        /// tying the extreme exactly are folded in out of line into the best candidate per sample —
        /// numpy's argmax/argmin order: the more extreme float wins, among equal floats the earlier
        /// (smaller) location. Which sample a group contains is derived when needed from
        /// `a[i − 1] == x` / `b[j − 1] == x`.
        struct Extreme {
            /// +1 for the maximum, −1 for the minimum.
            let direction: Int
            /// The extreme integer difference (Int.min / Int.max before any group).
            var value: Int
            /// The first group that attained `value`.
            var primary = Candidate()
            /// Whether ties have been folded into `bestA` / `bestB` (which are valid only then).
            var resolved = false
            var bestA = Candidate()
            var bestB = Candidate()

            init(direction: Int) {
                self.direction = direction
                self.value = direction > 0 ? Int.min : Int.max
            }

            /// Whether a group with integer difference `diff` can change this extreme.
            @inline(__always)
            func reaches(_ diff: Int) -> Bool { direction > 0 ? diff >= value : diff <= value }

            /// Records a group (after it, `i` points of a and `j` of b are ≤ x) that reaches the extreme.
            @inline(__always)
            mutating func record(
                _ x: Double, _ i: Int, _ j: Int, _ diff: Int,
                _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, _ units: Units
            ) {
                if diff == value {
                    tie(Candidate(i: i, j: j, x: x, isValid: true), a, b, units)
                } else {
                    value = diff
                    primary = Candidate(i: i, j: j, x: x, isValid: true)
                    resolved = false
                }
            }

            /// Folds the primary candidate into the per-sample bests.
            mutating func resolve(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>) {
                if resolved { return }
                bestA = Candidate()
                bestB = Candidate()
                if primary.isValid {
                    if primary.i > 0 && a[primary.i - 1] == primary.x { bestA = primary }
                    if primary.j > 0 && b[primary.j - 1] == primary.x { bestB = primary }
                }
                resolved = true
            }

            @inline(never)
            mutating func tie(
                _ candidate: Candidate, _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>,
                _ units: Units
            ) {
                resolve(a, b)
                var candidate = candidate
                if candidate.i > 0 && a[candidate.i - 1] == candidate.x { keepBetter(&bestA, &candidate, units) }
                if candidate.j > 0 && b[candidate.j - 1] == candidate.x { keepBetter(&bestB, &candidate, units) }
            }

            @inline(__always)
            func keepBetter(_ best: inout Candidate, _ new: inout Candidate, _ units: Units) {
                if !best.isValid {
                    best = new
                    return
                }
                if new.cachedValue.isNaN { new.cachedValue = new.value(units) }
                if best.cachedValue.isNaN { best.cachedValue = best.value(units) }
                if new.cachedValue == best.cachedValue {
                    if new.x < best.x { best = new }
                } else if direction > 0 ? new.cachedValue > best.cachedValue : new.cachedValue < best.cachedValue {
                    best = new
                }
            }

            /// Folds another lane's extreme into this one.
            mutating func merge(
                _ other: Extreme, _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, _ units: Units
            ) {
                guard other.primary.isValid else { return }
                var other = other
                other.resolve(a, b)
                if direction > 0 ? other.value > value : other.value < value {
                    self = other
                    return
                }
                guard other.value == value else { return }
                resolve(a, b)
                var candidateA = other.bestA
                var candidateB = other.bestB
                if candidateA.isValid { keepBetter(&bestA, &candidateA, units) }
                if candidateB.isValid { keepBetter(&bestB, &candidateB, units) }
            }

            /// The float difference and location numpy reports (sample a's points come first).
            func result(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, _ units: Units)
                -> (Double, Double)
            {
                var resolvedSelf = self
                resolvedSelf.resolve(a, b)
                let empty = direction > 0 ? -Double.infinity : Double.infinity
                let valueA = resolvedSelf.bestA.isValid ? resolvedSelf.bestA.value(units) : empty
                let valueB = resolvedSelf.bestB.isValid ? resolvedSelf.bestB.value(units) : empty
                let fromA = direction > 0 ? valueA >= valueB : valueA <= valueB
                return fromA ? (valueA, resolvedSelf.bestA.x) : (valueB, resolvedSelf.bestB.x)
            }
        }

        /// The running maximum and minimum. Order-independent, so lanes can be merged.
        struct Tracker {
            var maximum = Extreme(direction: 1)
            var minimum = Extreme(direction: -1)

            var maxInt: Int { maximum.value }
            var minInt: Int { minimum.value }

            /// The group of value `x`, after which `i` points of a and `j` of b are ≤ x; called only
            /// when `diff` reaches the running maximum or minimum.
            @inline(__always)
            mutating func consider(
                _ x: Double, _ i: Int, _ j: Int, _ diff: Int,
                _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, _ units: Units
            ) {
                if maximum.reaches(diff) { maximum.record(x, i, j, diff, a, b, units) }
                if minimum.reaches(diff) { minimum.record(x, i, j, diff, a, b, units) }
            }

            mutating func merge(
                _ other: Tracker, _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, _ units: Units
            ) {
                maximum.merge(other.maximum, a, b, units)
                minimum.merge(other.minimum, a, b, units)
            }

            func result(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, _ units: Units) -> Extremes {
                let (maxValue, maxLocation) = maximum.result(a, b, units)
                let (minValue, minLocation) = minimum.result(a, b, units)
                return Extremes(
                    maximumDifference: maxValue, maximumNumerator: maximum.value, maximumLocation: maxLocation,
                    minimumDifference: minValue, minimumNumerator: minimum.value, minimumLocation: minLocation)
            }
        }

        /// The float-only variant (as numpy; numerators as scipy's `round(d·lcm)`), for lcm ≥ 2⁵⁰
        /// where integer differences could overflow or floats no longer separate distinct fractions.
        static func computeFloat(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, lcm: Int)
            -> Extremes
        {
            let n1 = a.count
            let n2 = b.count
            let dn1 = Double(n1)
            let dn2 = Double(n2)
            var aMax = -Double.infinity, aMin = Double.infinity
            var bMax = -Double.infinity, bMin = Double.infinity
            var aMaxLoc = Double.nan, aMinLoc = Double.nan, bMaxLoc = Double.nan, bMinLoc = Double.nan
            var i = 0
            var j = 0
            while i < n1 || j < n2 {
                let x: Double
                var hasA = false
                var hasB = false
                if j == n2 { x = a[i] } else if i == n1 { x = b[j] } else { x = b[j] < a[i] ? b[j] : a[i] }
                while i < n1, a[i] == x { i += 1; hasA = true }
                while j < n2, b[j] == x { j += 1; hasB = true }
                if !hasA && !hasB {
                    // Unordered input (NaN): make progress; the result is unspecified.
                    if i < n1 { i += 1; hasA = true } else { j += 1; hasB = true }
                }
                let value = Double(i) / dn1 - Double(j) / dn2
                if hasA {
                    if value > aMax { aMax = value; aMaxLoc = x }
                    if value < aMin { aMin = value; aMinLoc = x }
                }
                if hasB {
                    if value > bMax { bMax = value; bMaxLoc = x }
                    if value < bMin { bMin = value; bMinLoc = x }
                }
            }
            let maxFromA = aMax >= bMax
            let minFromA = aMin <= bMin
            let maximum = maxFromA ? aMax : bMax
            let minimum = minFromA ? aMin : bMin
            let scale = Double(lcm)
            return Extremes(
                maximumDifference: maximum,
                maximumNumerator: Int(exactly: (maximum * scale).rounded(.toNearestOrEven)) ?? Int.max,
                maximumLocation: maxFromA ? aMaxLoc : bMaxLoc,
                minimumDifference: minimum,
                minimumNumerator: Int(exactly: (minimum * scale).rounded(.toNearestOrEven)) ?? Int.min,
                minimumLocation: minFromA ? aMinLoc : bMinLoc)
        }
    }
}
