import Testing
@testable import DriftStats

/// FixedEdgeHistogram: bin rule, NaN/missing, merge, validation, invariants.
@Suite struct FixedEdgeHistogramTests {
    private func linearBin(_ edges: [Double], _ x: Double) -> Int { edges.filter { $0 <= x }.count }

    @Test func binIsNumberOfInnerEdgesAtOrBelow() throws {
        let edgeSets: [[Double]] = [[], [0], [-1, 0, 1], [1, 2, 2, 2, 3], [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]]
        var rng = SplitMix64(seed: 11)
        for edges in edgeSets {
            let h = try FixedEdgeHistogram(innerEdges: edges)
            #expect(h.binCount == edges.count + 1)
            var probes = edges + [-.infinity, .infinity, -1e300, 1e300]
            for _ in 0..<200 { probes.append(rng.nextUniform() * 6 - 1.5) }
            for x in probes { #expect(h.bin(for: x) == linearBin(edges, x), "edges \(edges) x \(x)") }
        }
    }

    /// The branch-free search against a linear count for every edge count 0…40 (with and without ties),
    /// probing every edge, its neighbouring doubles, ±0, ±∞ and NaN.
    @Test func searchMatchesLinearCountForAllSmallSizes() throws {
        var rng = SplitMix64(seed: 23)
        let sizes = Array(0...40) + [127, 128, 129, 300]   // both sides of the SIMD / binary-search limit
        for m in sizes {
            for withTies in [false, true] {
                var edges = (0..<m).map { _ in (rng.nextUniform() * 8 - 4).rounded(withTies ? .down : .toNearestOrEven) + (withTies ? 0 : rng.nextUniform()) }
                edges.sort()
                let h = try FixedEdgeHistogram(innerEdges: edges)
                var probes: [Double] = [-.infinity, .infinity, 0, -0.0, -1e308, 1e308, .leastNonzeroMagnitude]
                for e in edges { probes += [e, e.nextUp, e.nextDown] }
                for _ in 0..<50 { probes.append(rng.nextUniform() * 10 - 5) }
                for x in probes {
                    let want = linearBin(edges, x)
                    #expect(h.bin(for: x) == want, "m \(m) x \(x)")
                    #expect(edges.withUnsafeBufferPointer { FixedEdgeHistogram.upperBound($0, x) } == want)
                }
                #expect(h.bin(for: .nan) == 0)
            }
        }
    }

    @Test func bulkUpdateEqualsSingleUpdates() throws {
        var rng = SplitMix64(seed: 31)
        let values = (0..<3000).map { k in k % 101 == 0 ? Double.nan : (k % 211 == 0 ? -Double.infinity : rng.nextUniform() * 3 - 1) }
        let manyEdges: [Double] = (0..<200).map { -1 + 3 * Double($0) / 200 }   // above the SIMD limit
        for edges in [[-0.5, 0, 0, 0.7, 1.2], manyEdges] {
            var single = try FixedEdgeHistogram(innerEdges: edges)
            var bulk = single
            for v in values { single.update(v) }
            bulk.update(contentsOf: values)
            #expect(single == bulk)
            #expect(bulk.testOnly_verifyInvariants())
            #expect(bulk.total + bulk.nanCount == UInt64(values.count))
            let linear = values.filter { !$0.isNaN }.reduce(into: [UInt64](repeating: 0, count: edges.count + 1)) {
                $0[linearBin(edges, $1)] += 1
            }
            #expect(bulk.counts == linear)
        }
    }

    @Test func nanAndMissingStayOutOfBins() throws {
        var h = try FixedEdgeHistogram(innerEdges: [0, 1])
        for x in [-1.0, 0, 0.5, 1, 2, .nan, .infinity] { h.update(x) }
        h.recordMissing()
        h.recordMissing(3)
        #expect(h.counts == [1, 2, 3])
        #expect(h.nanCount == 1)
        #expect(h.missingCount == 4)
        #expect(h.total == 6)
        let sixths: [Double] = [1.0 / 6, 2.0 / 6, 3.0 / 6]
        #expect(h.proportions == sixths)
        #expect(h.testOnly_verifyInvariants())
        #expect(try FixedEdgeHistogram(innerEdges: [0]).proportions == [0, 0])
    }

    @Test func mergeEqualsCombinedUpdates() throws {
        var rng = SplitMix64(seed: 3)
        let ref = (0..<500).map { _ in rng.nextUniform() }
        let edges = FixedEdgeHistogram.referenceEdges(sortedReference: ref.sorted(), bins: 10)
        var a = try FixedEdgeHistogram(innerEdges: edges), b = a, all = a
        for k in 0..<1000 {
            let x = k % 97 == 0 ? Double.nan : rng.nextUniform() * 1.2 - 0.1
            if k % 3 == 0 { a.update(x) } else { b.update(x) }
            all.update(x)
        }
        a.recordMissing(2); b.recordMissing(5); all.recordMissing(7)
        var merged = a
        try merged.merge(b)
        #expect(merged == all)
        #expect(merged.testOnly_verifyInvariants())
        #expect(merged.total == 1000 - merged.nanCount)
        let other = try FixedEdgeHistogram(innerEdges: [0.5])
        let before = merged
        #expect(throws: HistogramError.incompatibleEdges) { try merged.merge(other) }
        #expect(merged == before)
        // Same number of edges but one differs: still incompatible.
        var shifted = edges
        shifted[0] = shifted[0].nextUp
        #expect(throws: HistogramError.incompatibleEdges) { try merged.merge(FixedEdgeHistogram(innerEdges: shifted)) }
    }

    @Test func validationAndReferenceEdges() throws {
        #expect(throws: HistogramError.self) { try FixedEdgeHistogram(innerEdges: [1, 0]) }
        #expect(throws: HistogramError.self) { try FixedEdgeHistogram(innerEdges: [0, .nan]) }
        #expect(throws: HistogramError.self) { try FixedEdgeHistogram(innerEdges: [.infinity]) }
        #expect(throws: HistogramError.self) { try FixedEdgeHistogram(reference: [.nan]) }
        let ties = [0.0, 0, 0, 0, 0, 0, 1, 2, 3, 4]
        #expect(FixedEdgeHistogram.referenceEdges(sortedReference: ties, bins: 5, collapseTies: false) == [0, 0, 0.39999999999999947, 2.2])
        #expect(FixedEdgeHistogram.referenceEdges(sortedReference: ties, bins: 5) == [0, 0.39999999999999947, 2.2])
        let h = try FixedEdgeHistogram(reference: ties.reversed() + [.nan], bins: 5)
        #expect(h.innerEdges == [0, 0.39999999999999947, 2.2])
        #expect(h.total == 0 && h.testOnly_verifyInvariants())
        #expect(FixedEdgeHistogram.equalWidthEdges(min: 0, max: 10, bins: 5) == [2, 4, 6, 8])
        // ±∞ in the reference are ignored for the edges (numpy would give NaN edges).
        let tiesWithJunk: [Double] = ties + [.infinity, -.infinity, .nan]
        let withInf = try FixedEdgeHistogram(reference: tiesWithJunk, bins: 5)
        #expect(withInf.innerEdges == h.innerEdges)
        #expect(throws: HistogramError.self) { try FixedEdgeHistogram(reference: [.infinity, .nan]) }
        // Default: deciles with ties collapsed.
        let hundred: [Double] = (1...100).map { Double($0) }
        let deciles = try FixedEdgeHistogram(reference: hundred.reversed())
        #expect(deciles.binCount == 10)
        let expectedDeciles: [Double] = (1...9).map { ExactQuantiles.linear(sorted: hundred, probability: Double($0) / 10) }
        #expect(deciles.innerEdges == expectedDeciles)
        #expect(FixedEdgeHistogram.referenceEdges(sortedReference: [], bins: 10).isEmpty)
        #expect(FixedEdgeHistogram.referenceEdges(sortedReference: [1, 2], bins: 1).isEmpty)
        #expect(FixedEdgeHistogram.referenceEdges(sortedReference: [7], bins: 4) == [7])
        #expect(FixedEdgeHistogram.referenceEdges(sortedReference: [7], bins: 4, collapseTies: false) == [7, 7, 7])
    }
}
