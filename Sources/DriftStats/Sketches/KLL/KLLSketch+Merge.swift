extension KLLSketch {
    /// Merges another sketch into this one (DataSketches `kll_sketch::merge`): afterwards this
    /// sketch summarises the concatenation of both streams.
    ///
    /// The other sketch's level-0 items are fed through the ordinary update path; if it has higher
    /// levels, each level of both sketches is merged (sorted runs) into a work buffer and
    /// `generalCompress` compacts bottom-up until everything fits this sketch's capacities.
    ///
    /// Sketches with different `k` can be merged: the result keeps this sketch's `k` for its level
    /// capacities, and `minK` (which sets `normalizedRankError`) becomes the smaller of the two when
    /// the other sketch is in estimation mode — exactly DataSketches' `min_k` rule. The error bound
    /// of the merged sketch is `normalizedRankError(k: minK, pmf:)`.
    ///
    /// - Throws: `SketchError.countOverflow` if the total count would exceed `UInt64.max` (the
    ///   sketch is then unchanged).
    /// - Complexity: O(retained items of both sketches); allocates one work buffer.
    public mutating func merge(_ other: KLLSketch) throws(SketchError) {
        if other.n == 0 { return }
        let (finalN, overflow) = n.addingReportingOverflow(other.n)
        if overflow { throw .countOverflow }

        if other.minItem < minItem { minItem = other.minItem }
        if other.maxItem > maxItem { maxItem = other.maxItem }

        // Level 0 of the other sketch goes through the update path (compacting as needed).
        let otherLevel0 = other.levels[0]..<other.levels[1]
        for i in otherLevel0 {
            if levels[0] == 0 { compressWhileUpdating() }
            let slot = levels[0] - 1
            levels[0] = slot
            items[slot] = other.items[i]
        }
        if other.numLevels >= 2 { mergeHigherLevels(other) }
        n = finalN
        if other.numLevels > 1 { _minK = Swift.min(_minK, other._minK) }
    }

    /// Merges the levels ≥ 1 of `other` with all of this sketch's levels and compacts the result
    /// back into this sketch (DataSketches `merge_higher_levels` + `populate_work_arrays`).
    internal mutating func mergeHigherLevels(_ other: KLLSketch) {
        let provisionalLevels = Swift.max(numLevels, other.numLevels)
        let otherAboveLevel0 = other.levels[other.numLevels] - other.levels[1]
        var work = [Double](repeating: 0, count: retainedCount + otherAboveLevel0)
        var inLevels = [Int](repeating: 0, count: provisionalLevels + 2)

        let selfLevels = levels
        let selfCount = numLevels
        let otherLevels = other.levels
        let otherCount = other.numLevels
        work.withUnsafeMutableBufferPointer { workBuffer in
            guard let workBase = workBuffer.baseAddress else { return }
            items.withUnsafeBufferPointer { selfBuffer in
                other.items.withUnsafeBufferPointer { otherBuffer in
                    guard let selfBase = selfBuffer.baseAddress, let otherBase = otherBuffer.baseAddress else { return }
                    // Level 0: this sketch's (which already holds the other's level 0).
                    let selfPopulation0 = selfLevels[1] - selfLevels[0]
                    workBase.update(from: selfBase + selfLevels[0], count: selfPopulation0)
                    inLevels[1] = selfPopulation0
                    for level in 1..<provisionalLevels {
                        let selfPopulation = level < selfCount ? selfLevels[level + 1] - selfLevels[level] : 0
                        let otherPopulation = level < otherCount ? otherLevels[level + 1] - otherLevels[level] : 0
                        let start = inLevels[level]
                        inLevels[level + 1] = start + selfPopulation + otherPopulation
                        if selfPopulation > 0, otherPopulation == 0 {
                            (workBase + start).update(from: selfBase + selfLevels[level], count: selfPopulation)
                        } else if selfPopulation == 0, otherPopulation > 0 {
                            (workBase + start).update(from: otherBase + otherLevels[level], count: otherPopulation)
                        } else if selfPopulation > 0, otherPopulation > 0 {
                            Self.mergeSorted(
                                selfBase + selfLevels[level], count: selfPopulation,
                                otherBase + otherLevels[level], count: otherPopulation,
                                into: workBase + start)
                        }
                    }
                }
            }
        }

        let result = generalCompress(numLevelsIn: provisionalLevels, work: &work, inLevels: &inLevels)
        // `generalCompress` provably ends with population < capacity; `max` only keeps this code
        // memory-safe should that ever be violated (the invariant checks would then report it).
        let capacity = Swift.max(result.capacity, result.population)
        let freeSpace = capacity - result.population
        var newItems = [Double](repeating: 0, count: capacity)
        let outStart = result.outLevels[0]
        newItems.withUnsafeMutableBufferPointer { destination in
            work.withUnsafeBufferPointer { source in
                guard let to = destination.baseAddress, let from = source.baseAddress else { return }
                (to + freeSpace).update(from: from + outStart, count: result.population)
            }
        }
        items = newItems
        let shift = freeSpace - outStart
        levels = LevelBoundaries((0...result.numLevels).map { result.outLevels[$0] + shift })
        levelCapacities = Self.levelCapacityTable(k: _k, numLevels: result.numLevels)
    }
}
