// Small-run sorting for level-0 compactions of `KLLSketch`.
//
// Level 0 is unsorted and must be sorted before it is compacted; at steady state it typically
// holds 8–24 items when that happens (about one compaction per 8 updates at k = 200), so this sort
// dominates the update cost. Insertion sort mispredicts a branch per item on random data; a
// sorting network of min/max operations has no data-dependent branches.

extension KLLSketch {
    /// Sorts `count` doubles (finite, as all retained items are) ascending in place:
    /// a branch-free sorting network for up to 16 items, two networks and a branch-free merge for
    /// up to 32, networks and merge passes beyond.
    @usableFromInline
    internal static func sortAscending(_ start: UnsafeMutablePointer<Double>, count: Int) {
        if count <= 1 { return }
        if count <= 16 {
            sortingNetwork16(start, count: count)
        } else if count <= 32 {
            sortingNetwork16(start, count: 16)
            sortingNetwork16(start + 16, count: count - 16)
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 32) { scratch in
                guard let merged = scratch.baseAddress else { return }
                mergeSorted(start, count: 16, start + 16, count: count - 16, into: merged)
                for i in 0..<count { start[i] = merged[i] }
            }
        } else {
            sortRuns(start, count: count)
        }
    }

    /// Sorts more than 32 values (the first compactions of a young sketch sort up to its whole level 0,
    /// about k items): sorting networks over blocks of 16, then bottom-up branch-free merges of
    /// doubling runs, alternating between the buffer and scratch space.
    internal static func sortRuns(_ start: UnsafeMutablePointer<Double>, count: Int) {
        var block = 0
        while block < count {
            sortingNetwork16(start + block, count: Swift.min(16, count - block))
            block += 16
        }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { scratch in
            guard let other = scratch.baseAddress else { return }
            var source = start
            var destination = other
            var width = 16
            while width < count {
                var low = 0
                while low < count {
                    let middle = Swift.min(low + width, count)
                    let high = Swift.min(low + 2 * width, count)
                    if middle < high {
                        mergeSorted(source + low, count: middle - low, source + middle, count: high - middle, into: destination + low)
                    } else {
                        (destination + low).update(from: source + low, count: middle - low)
                    }
                    low = high
                }
                swap(&source, &destination)
                width *= 2
            }
            if source != start { start.update(from: source, count: count) }
        }
    }

    /// Orders two values: afterwards `a ≤ b` (compiles to `minsd`/`maxsd`, no branch).
    @inline(__always)
    internal static func compareExchange(_ a: inout Double, _ b: inout Double) {
        let low = a < b ? a : b
        let high = a < b ? b : a
        a = low
        b = high
    }

    /// Sorts `1 ≤ count ≤ 16` values with Batcher's odd–even merge sort network for 16 inputs
    /// (63 comparators, checked exhaustively on all 2^16 zero–one inputs when generated); unused
    /// inputs are padded with +∞, which sorts after every finite item.
    internal static func sortingNetwork16(_ start: UnsafeMutablePointer<Double>, count: Int) {
        // Loads and stores are guarded element by element (not loops, which the optimiser turns
        // into `memcpy` calls that cost more than the network for such short runs).
        var v0 = start[0]
        var v1 = 1 < count ? start[1] : .infinity
        var v2 = 2 < count ? start[2] : .infinity
        var v3 = 3 < count ? start[3] : .infinity
        var v4 = 4 < count ? start[4] : .infinity
        var v5 = 5 < count ? start[5] : .infinity
        var v6 = 6 < count ? start[6] : .infinity
        var v7 = 7 < count ? start[7] : .infinity
        var v8 = 8 < count ? start[8] : .infinity
        var v9 = 9 < count ? start[9] : .infinity
        var v10 = 10 < count ? start[10] : .infinity
        var v11 = 11 < count ? start[11] : .infinity
        var v12 = 12 < count ? start[12] : .infinity
        var v13 = 13 < count ? start[13] : .infinity
        var v14 = 14 < count ? start[14] : .infinity
        var v15 = 15 < count ? start[15] : .infinity
        compareExchange(&v0, &v1)
        compareExchange(&v2, &v3)
        compareExchange(&v0, &v2)
        compareExchange(&v1, &v3)
        compareExchange(&v1, &v2)
        compareExchange(&v4, &v5)
        compareExchange(&v6, &v7)
        compareExchange(&v4, &v6)
        compareExchange(&v5, &v7)
        compareExchange(&v5, &v6)
        compareExchange(&v0, &v4)
        compareExchange(&v2, &v6)
        compareExchange(&v2, &v4)
        compareExchange(&v1, &v5)
        compareExchange(&v3, &v7)
        compareExchange(&v3, &v5)
        compareExchange(&v1, &v2)
        compareExchange(&v3, &v4)
        compareExchange(&v5, &v6)
        compareExchange(&v8, &v9)
        compareExchange(&v10, &v11)
        compareExchange(&v8, &v10)
        compareExchange(&v9, &v11)
        compareExchange(&v9, &v10)
        compareExchange(&v12, &v13)
        compareExchange(&v14, &v15)
        compareExchange(&v12, &v14)
        compareExchange(&v13, &v15)
        compareExchange(&v13, &v14)
        compareExchange(&v8, &v12)
        compareExchange(&v10, &v14)
        compareExchange(&v10, &v12)
        compareExchange(&v9, &v13)
        compareExchange(&v11, &v15)
        compareExchange(&v11, &v13)
        compareExchange(&v9, &v10)
        compareExchange(&v11, &v12)
        compareExchange(&v13, &v14)
        compareExchange(&v0, &v8)
        compareExchange(&v4, &v12)
        compareExchange(&v4, &v8)
        compareExchange(&v2, &v10)
        compareExchange(&v6, &v14)
        compareExchange(&v6, &v10)
        compareExchange(&v2, &v4)
        compareExchange(&v6, &v8)
        compareExchange(&v10, &v12)
        compareExchange(&v1, &v9)
        compareExchange(&v5, &v13)
        compareExchange(&v5, &v9)
        compareExchange(&v3, &v11)
        compareExchange(&v7, &v15)
        compareExchange(&v7, &v11)
        compareExchange(&v3, &v5)
        compareExchange(&v7, &v9)
        compareExchange(&v11, &v13)
        compareExchange(&v1, &v2)
        compareExchange(&v3, &v4)
        compareExchange(&v5, &v6)
        compareExchange(&v7, &v8)
        compareExchange(&v9, &v10)
        compareExchange(&v11, &v12)
        compareExchange(&v13, &v14)
        start[0] = v0
        if 1 < count { start[1] = v1 }
        if 2 < count { start[2] = v2 }
        if 3 < count { start[3] = v3 }
        if 4 < count { start[4] = v4 }
        if 5 < count { start[5] = v5 }
        if 6 < count { start[6] = v6 }
        if 7 < count { start[7] = v7 }
        if 8 < count { start[8] = v8 }
        if 9 < count { start[9] = v9 }
        if 10 < count { start[10] = v10 }
        if 11 < count { start[11] = v11 }
        if 12 < count { start[12] = v12 }
        if 13 < count { start[13] = v13 }
        if 14 < count { start[14] = v14 }
        if 15 < count { start[15] = v15 }
    }
}
