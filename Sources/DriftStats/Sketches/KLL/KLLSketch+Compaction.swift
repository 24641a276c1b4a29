// Capacity arithmetic and the compaction machinery of `KLLSketch` (DataSketches' `kll_helper`
// and `compress_while_updating` / `general_compress`, ported to unsafe buffer code).

extension KLLSketch {
    /// The minimum width m of a level (DataSketches `DEFAULT_M`).
    @inlinable
    internal static var minimumLevelWidth: Int { 8 }

    /// `round(k · (2/3)^depth)` for `depth ≤ 30`, in exact integer arithmetic:
    /// `((2k · 2^depth) / 3^depth + 1) / 2` (DataSketches `int_cap_aux_aux`).
    internal static func capacityRounded(_ k: Int, depth: Int) -> Int {
        var powerOfThree: UInt64 = 1
        for _ in 0..<depth { powerOfThree &*= 3 }
        let twiceK = UInt64(k) << 1
        let scaled = (twiceK << UInt64(depth)) / powerOfThree
        return Int((scaled + 1) >> 1)
    }

    /// `round(k · (2/3)^depth)` for any depth (DataSketches `int_cap_aux`: two steps beyond depth
    /// 30 to stay within 64 bits); 0 beyond depth 60, where the minimum width takes over anyway.
    internal static func capacityAux(_ k: Int, depth: Int) -> Int {
        if depth > 60 { return 0 }
        if depth <= 30 { return capacityRounded(k, depth: depth) }
        let half = depth / 2
        return capacityRounded(capacityRounded(k, depth: half), depth: depth - half)
    }

    /// Nominal capacity of level `height` in a sketch with `numLevels` levels:
    /// `max(8, round(k · (2/3)^(numLevels − height − 1)))` (DataSketches `level_capacity`).
    internal static func levelCapacity(k: Int, numLevels: Int, height: Int) -> Int {
        Swift.max(minimumLevelWidth, capacityAux(k, depth: numLevels - height - 1))
    }

    /// Sum of the level capacities: the size of the item buffer (DataSketches
    /// `compute_total_capacity`).
    internal static func totalCapacity(k: Int, numLevels: Int) -> Int {
        var total = 0
        for height in 0..<numLevels { total += levelCapacity(k: k, numLevels: numLevels, height: height) }
        return total
    }

    /// The capacities of every level of a `numLevels`-level sketch.
    internal static func levelCapacityTable(k: Int, numLevels: Int) -> [Int] {
        (0..<numLevels).map { levelCapacity(k: k, numLevels: numLevels, height: $0) }
    }

    /// One random bit from the cached 64-bit word (a new word from `rng` every 64 calls).
    @usableFromInline
    internal mutating func nextRandomBit() -> Int {
        if randomBitsLeft == 0 {
            randomBits = rng.next()
            randomBitsLeft = 64
        }
        let bit = Int(truncatingIfNeeded: randomBits & 1)
        randomBits >>= 1
        randomBitsLeft -= 1
        return bit
    }

    /// Frees space when the buffer is full (`levels[0] == 0`): compacts the lowest level whose
    /// population reached its capacity, adding a top level first if that level is the top one.
    /// DataSketches `compress_while_updating`.
    @usableFromInline
    internal mutating func compressWhileUpdating() {
        let level = findLevelToCompact()
        if level == numLevels - 1 { addEmptyTopLevelToCompletelyFullSketch() }

        let rawBegin = levels[level]
        let rawLimit = levels[level + 1]
        let populationAbove = levels[level + 2] - rawLimit
        let rawPopulation = rawLimit - rawBegin
        let oddPopulation = rawPopulation & 1 != 0
        let adjustedBegin = oddPopulation ? rawBegin + 1 : rawBegin
        let adjustedPopulation = oddPopulation ? rawPopulation - 1 : rawPopulation
        let halfPopulation = adjustedPopulation >> 1
        let level0Start = levels[0]
        let offset = nextRandomBit()

        items.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            if level == 0 { Self.sortAscending(base + adjustedBegin, count: adjustedPopulation) }
            if populationAbove == 0 {
                Self.halveUp(base + adjustedBegin, count: adjustedPopulation, offset: offset)
            } else {
                Self.halveDownAndMerge(
                    base + adjustedBegin, count: adjustedPopulation, offset: offset, aboveCount: populationAbove)
            }
            if oddPopulation {
                // The leftover item stays on this level, just below the survivors' new position.
                let leftover = rawLimit - halfPopulation - 1
                if leftover != rawBegin { base[leftover] = base[rawBegin] }
            }
            if level > 0 {
                // Shift the levels below up into the freed slots so that level 0 can use them.
                // Typically a few dozen items: a plain backward loop beats a `memmove` call.
                var i = rawBegin - 1
                while i >= level0Start {
                    base[i + halfPopulation] = base[i]
                    i -= 1
                }
            }
        }
        let newStartAbove = rawLimit - halfPopulation
        let newStart = oddPopulation ? newStartAbove - 1 : newStartAbove
        // Boundary b ≥ 1 lives in `levels.rest[b − 1]`; one buffer access for all the writes.
        levels.rest.withUnsafeMutableBufferPointer { rest in
            rest[level] = newStartAbove
            if level > 0 {
                rest[level - 1] = newStart
                for boundary in 1..<level { rest[boundary - 1] += halfPopulation }
            }
        }
        if level == 0 { levels.first = newStart } else { levels.first += halfPopulation }
    }

    /// The lowest level whose population is at least its capacity (one exists when the buffer is
    /// full, since the populations then sum to the total capacity).
    @inline(__always)
    internal func findLevelToCompact() -> Int {
        let top = levels.count - 2
        if levels[1] - levels[0] >= levelCapacities[0] || top == 0 { return 0 }
        var level = 1
        while level < top {
            if levels[level + 1] - levels[level] >= levelCapacities[level] { return level }
            level += 1
        }
        return top
    }

    /// Grows the full buffer by the capacity of a new bottom-most depth and adds an empty level on
    /// top (DataSketches `add_empty_top_level_to_completely_full_sketch`).
    internal mutating func addEmptyTopLevelToCompletelyFullSketch() {
        let oldLevels = numLevels
        let currentTotal = levels[oldLevels]
        let deltaCapacity = Self.levelCapacity(k: _k, numLevels: oldLevels + 1, height: 0)
        var grown = [Double](repeating: 0, count: deltaCapacity)
        grown.reserveCapacity(currentTotal + deltaCapacity)
        grown.append(contentsOf: items)
        items = grown
        for i in 0...oldLevels { levels[i] += deltaCapacity }
        levels.append(currentTotal + deltaCapacity)
        levelCapacities = Self.levelCapacityTable(k: _k, numLevels: oldLevels + 1)
    }

    // MARK: - Kernels on raw buffers

    /// Keeps items `count − 1 − offset, count − 3 − offset, …` of an even-length sorted run,
    /// packed at its high end (DataSketches `randomly_halve_up`).
    internal static func halveUp(_ start: UnsafeMutablePointer<Double>, count: Int, offset: Int) {
        let half = count >> 1
        var j = count - 1 - offset
        var i = count - 1
        while i >= half {
            start[i] = start[j]
            j -= 2
            i -= 1
        }
    }

    /// Keeps items `offset, offset + 2, …` of the even-length sorted run at `run` (DataSketches
    /// `randomly_halve_down`) and merges them with the sorted run of `aboveCount` items that follows
    /// it (DataSketches `merge_sorted_arrays`), writing the result at `run + count / 2` so that it
    /// ends where the run above ended. Ties put the item from above first, as DataSketches.
    ///
    /// Both inputs are copied to scratch space framed by ∓∞ sentinels (items are finite), then merged
    /// from both ends at once: the front produces the smallest half, the back the largest half, as two
    /// independent branch-free dependency chains — about twice the speed of a one-directional merge,
    /// which matters because this merge is the largest cost of an update.
    internal static func halveDownAndMerge(
        _ run: UnsafeMutablePointer<Double>, count: Int, offset: Int, aboveCount: Int
    ) {
        let half = count >> 1
        let total = half + aboveCount
        withUnsafeTemporaryAllocation(of: Double.self, capacity: total + 4) { scratch in
            guard let t = scratch.baseAddress else { return }
            // Layout: −∞, halved run (half), +∞, −∞, run above (aboveCount), +∞.
            let a = t + 1
            let b = t + half + 3
            t.initialize(to: -.infinity)
            var source = run + offset
            for i in 0..<half {
                (a + i).initialize(to: source.pointee)
                source += 2
            }
            (a + half).initialize(to: .infinity)
            (b - 1).initialize(to: -.infinity)
            let above = run + count
            for i in 0..<aboveCount { (b + i).initialize(to: above[i]) }
            (b + aboveCount).initialize(to: .infinity)

            let out = run + half
            let frontCount = total >> 1
            var i = 0, j = 0, k = 0
            var backI = half - 1, backJ = aboveCount - 1, backK = total - 1
            while k < frontCount {
                let x = a[i], y = b[j]
                let takeFront = x < y
                out[k] = takeFront ? x : y
                i &+= takeFront ? 1 : 0
                j &+= takeFront ? 0 : 1
                k &+= 1
                // Written as `v > u ? v : u` so that it compiles to `maxsd` (ties take `u`).
                let u = a[backI], v = b[backJ]
                let takeAbove = v > u
                out[backK] = takeAbove ? v : u
                backI &-= takeAbove ? 0 : 1
                backJ &-= takeAbove ? 1 : 0
                backK &-= 1
            }
            if backK == k {
                let u = a[backI], v = b[backJ]
                out[backK] = v > u ? v : u
            }
        }
    }

    /// Merges two sorted runs from separate buffers into a third.
    internal static func mergeSorted(
        _ x: UnsafePointer<Double>, count xCount: Int,
        _ y: UnsafePointer<Double>, count yCount: Int,
        into destination: UnsafeMutablePointer<Double>
    ) {
        var a = 0
        var b = 0
        var c = 0
        while a < xCount, b < yCount {
            let u = x[a]
            let v = y[b]
            let takeFirst = u < v
            destination[c] = takeFirst ? u : v
            a &+= takeFirst ? 1 : 0
            b &+= takeFirst ? 0 : 1
            c &+= 1
        }
        while a < xCount {
            destination[c] = x[a]
            a += 1
            c += 1
        }
        while b < yCount {
            destination[c] = y[b]
            b += 1
            c += 1
        }
    }

    /// The outcome of `generalCompress`.
    internal struct CompressResult {
        var numLevels: Int
        var capacity: Int
        var population: Int
        /// Level boundaries of the compacted items inside the work buffer (`numLevels + 1` used).
        var outLevels: [Int]
    }

    /// Compacts levels bottom-up until the items fit the total capacity (DataSketches
    /// `general_compress`): a level is compacted when the sketch is over capacity *and* the level is
    /// at capacity; compacting the top level adds a level. It is proved in DataSketches that the
    /// result always fits (`population < capacity`). Levels ≥ 1 of the input must be sorted.
    ///
    /// - Parameters:
    ///   - numLevelsIn: the number of input levels in `inLevels`.
    ///   - work: the items; compacted in place, output levels start at index 0.
    ///   - inLevels: `numLevelsIn + 1` boundaries (more entries are used as scratch).
    internal mutating func generalCompress(
        numLevelsIn: Int, work: inout [Double], inLevels: inout [Int]
    ) -> CompressResult {
        var currentNumLevels = numLevelsIn
        var currentItemCount = inLevels[numLevelsIn] - inLevels[0]
        var targetItemCount = Self.totalCapacity(k: _k, numLevels: currentNumLevels)
        var outLevels = [Int](repeating: 0, count: numLevelsIn + 2)
        var currentLevel = 0
        let k = _k

        work.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            while true {
                while inLevels.count < currentLevel + 3 { inLevels.append(inLevels[inLevels.count - 1]) }
                while outLevels.count < currentLevel + 2 { outLevels.append(0) }
                if currentLevel == currentNumLevels - 1 {
                    // Pretend there is an empty level above the top.
                    inLevels[currentLevel + 2] = inLevels[currentLevel + 1]
                }
                let rawBegin = inLevels[currentLevel]
                let rawLimit = inLevels[currentLevel + 1]
                let rawPopulation = rawLimit - rawBegin
                let capacity = Self.levelCapacity(k: k, numLevels: currentNumLevels, height: currentLevel)

                if currentItemCount < targetItemCount || rawPopulation < capacity {
                    // Move the level down as it is.
                    let destination = outLevels[currentLevel]
                    if rawBegin != destination, rawPopulation > 0 {
                        UnsafeMutableRawPointer(base + destination)
                            .copyMemory(from: base + rawBegin, byteCount: rawPopulation * MemoryLayout<Double>.stride)
                    }
                    outLevels[currentLevel + 1] = destination + rawPopulation
                } else {
                    // Over capacity and this level is full: compact it.
                    let populationAbove = inLevels[currentLevel + 2] - rawLimit
                    let oddPopulation = rawPopulation & 1 != 0
                    let adjustedBegin = oddPopulation ? rawBegin + 1 : rawBegin
                    let adjustedPopulation = oddPopulation ? rawPopulation - 1 : rawPopulation
                    let halfPopulation = adjustedPopulation >> 1

                    if oddPopulation {
                        base[outLevels[currentLevel]] = base[rawBegin]
                        outLevels[currentLevel + 1] = outLevels[currentLevel] + 1
                    } else {
                        outLevels[currentLevel + 1] = outLevels[currentLevel]
                    }
                    if currentLevel == 0 { Self.sortAscending(base + adjustedBegin, count: adjustedPopulation) }
                    let offset = nextRandomBit()
                    if populationAbove == 0 {
                        Self.halveUp(base + adjustedBegin, count: adjustedPopulation, offset: offset)
                    } else {
                        Self.halveDownAndMerge(
                            base + adjustedBegin, count: adjustedPopulation, offset: offset,
                            aboveCount: populationAbove)
                    }
                    currentItemCount -= halfPopulation
                    inLevels[currentLevel + 1] -= halfPopulation
                    if currentLevel == currentNumLevels - 1 {
                        currentNumLevels += 1
                        targetItemCount += Self.levelCapacity(k: k, numLevels: currentNumLevels, height: 0)
                    }
                }
                if currentLevel == currentNumLevels - 1 { break }
                currentLevel += 1
            }
        }
        return CompressResult(
            numLevels: currentNumLevels, capacity: targetItemCount,
            population: currentItemCount, outLevels: outLevels)
    }
}
