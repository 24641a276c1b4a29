import Testing
@testable import DriftStats
import DriftTestSupport

/// Statistical checks of uniform sampling over many seeded runs.
///
/// If every run is a uniform k-subset of n items, the number of sampled items falling in each of
/// B equal groups is multivariate hypergeometric, so with o_b the totals over R runs and
/// e = R·k/B, the Pearson statistic Σ (o_b − e)² / e · (n − 1)/(n − k) is asymptotically χ²(B − 1).
/// Each check rejects when it exceeds the 99.9 % quantile: a correct sampler fails it with
/// probability 0.1 % for a random choice of seeds (the seeds are fixed, so results are repeatable).
enum Uniformity {
    /// The 99.9 % quantile of χ²(df) by Wilson–Hilferty (relative error < 0.5 % for df ≥ 20).
    static func chiSquareCritical999(df: Int) -> Double {
        let z = 3.090232306167813 // Φ⁻¹(0.999)
        let a = 2.0 / (9.0 * Double(df))
        let t = 1 - a + z * a.squareRoot()
        return Double(df) * t * t * t
    }

    /// The statistic above for inclusion counts of each item (`counts[i]` = runs including item i).
    static func statistic(itemCounts counts: [Int], groups: Int, runs: Int, k: Int) -> Double {
        let n = counts.count
        precondition(n % groups == 0)
        let size = n / groups
        let expected = Double(runs * k) / Double(groups)
        var sum = 0.0
        for g in 0..<groups {
            let observed = Double(counts[(g * size)..<((g + 1) * size)].reduce(0, +))
            sum += (observed - expected) * (observed - expected) / expected
        }
        return sum * Double(n - 1) / Double(n - k)
    }

    static func expectUniform(_ counts: [Int], groups: Int, runs: Int, k: Int, _ what: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let x = statistic(itemCounts: counts, groups: groups, runs: runs, k: k)
        let critical = chiSquareCritical999(df: groups - 1)
        #expect(x <= critical, "\(what): χ² = \(x) > \(critical) (df \(groups - 1))", sourceLocation: sourceLocation)
    }
}

@Suite struct ReservoirTests {
    @Test func rejectsInvalidCapacities() {
        for bad in [0, -3, Reservoir<Int>.maximumCapacity + 1] {
            #expect(throws: SummaryError.invalidCapacity(bad, maximum: Reservoir<Int>.maximumCapacity)) {
                try Reservoir<Int>(capacity: bad, seed: 1)
            }
        }
    }

    @Test func keepsEverythingUntilFull() throws {
        var reservoir = try Reservoir<Int>(capacity: 10, seed: 3)
        for i in 0..<7 {
            reservoir.update(i)
            #expect(reservoir.testOnly_verifyInvariants())
        }
        #expect(reservoir.samples == Array(0..<7) && reservoir.seen == 7)
        for i in 7..<1_000 {
            reservoir.update(i)
            #expect(reservoir.testOnly_verifyInvariants(), "after \(i)")
        }
        #expect(reservoir.samples.count == 10 && reservoir.seen == 1_000)
        #expect(Set(reservoir.samples).count == 10 && reservoir.samples.allSatisfy { (0..<1_000).contains($0) })
    }

    @Test func deterministicGivenSeed() throws {
        func run(_ seed: UInt64) throws -> Reservoir<Int> {
            var r = try Reservoir<Int>(capacity: 25, seed: seed)
            for i in 0..<50_000 { r.update(i) }
            return r
        }
        #expect(try run(42) == run(42))
        #expect(try run(42).samples != run(43).samples)
        var a = try run(7)
        var b = try run(7)
        let other = try run(8)
        a.merge(other)
        b.merge(other)
        #expect(a == b)
    }

    /// Uniform inclusion, per item and in groups, in the filling-dominated regime (n = 100, k = 10)
    /// and in Algorithm L's skipping regime (n = 2000, k = 10). Confidence 99.9 % each (see `Uniformity`).
    @Test(arguments: [(100, 10, 3_000), (2_000, 10, 1_000)])
    func inclusionIsUniform(n: Int, k: Int, runs: Int) throws {
        var counts = [Int](repeating: 0, count: n)
        for run in 0..<runs {
            var reservoir = try Reservoir<Int>(capacity: k, seed: UInt64(run) &* 0x9E37_79B9 &+ 17)
            for i in 0..<n { reservoir.update(i) }
            for i in reservoir.samples { counts[i] += 1 }
        }
        Uniformity.expectUniform(counts, groups: n, runs: runs, k: k, "per item")
        Uniformity.expectUniform(counts, groups: 20, runs: runs, k: k, "20 consecutive groups")
        // Late items are where a wrong skip shows first: the last 10 % against the first 10 %.
        let tenth = n / 10
        let early = counts[0..<tenth].reduce(0, +), late = counts[(n - tenth)...].reduce(0, +)
        let expected = Double(runs * k) / 10
        // Each is a sum of R hypergeometric draws with variance ≤ R·k·0.09; 3.29 σ ≈ 99.9 %.
        let sigma = (Double(runs * k) * 0.09).squareRoot()
        #expect(Swift.abs(Double(early) - expected) <= 3.29 * sigma && Swift.abs(Double(late) - expected) <= 3.29 * sigma)
    }

    /// A stream of 1000 items split 900 / 100 between two reservoirs of 50, merged: items of the
    /// small side appear at their share of the union (5 per run) and every item equally often.
    @Test func mergeIsWeightedBySeenCounts() throws {
        let n = 1_000, k = 50, runs = 1_500
        var counts = [Int](repeating: 0, count: n)
        var fromSmallSide = 0
        for run in 0..<runs {
            var a = try Reservoir<Int>(capacity: k, seed: UInt64(2 * run))
            var b = try Reservoir<Int>(capacity: k, seed: UInt64(2 * run + 1))
            for i in 0..<900 { a.update(i) }
            for i in 900..<n { b.update(i) }
            if run % 2 == 0 { a.merge(b) } else { b.merge(a); a = b }
            #expect(a.testOnly_verifyInvariants() && a.seen == UInt64(n) && a.samples.count == k)
            #expect(Set(a.samples).count == k, "no item twice")
            for i in a.samples { counts[i] += 1 }
            fromSmallSide += a.samples.filter { $0 >= 900 }.count
        }
        // Hypergeometric(N = 1000, K = 100, k = 50) per run: mean 5, variance 50·0.1·0.9·950/999.
        let mean = Double(runs) * 5
        let sigma = (Double(runs) * 50 * 0.1 * 0.9 * 950 / 999).squareRoot()
        #expect(Swift.abs(Double(fromSmallSide) - mean) <= 3.29 * sigma, "\(fromSmallSide) vs \(mean) ± \(3.29 * sigma) (99.9 %)")
        Uniformity.expectUniform(counts, groups: 50, runs: runs, k: k, "merged, 50 groups")
        Uniformity.expectUniform(counts, groups: n, runs: runs, k: k, "merged, per item")
    }

    /// After a merge, further updates keep the sample uniform over everything seen: the merged
    /// threshold W is drawn from the right distribution (a stale or reset W over- or under-samples
    /// the continuation). Confidence 99.9 % per check.
    @Test func updatesAfterMergeStayUniform() throws {
        let k = 20, runs = 1_000
        var counts = [Int](repeating: 0, count: 2_000)
        for run in 0..<runs {
            var a = try Reservoir<Int>(capacity: k, seed: UInt64(3 * run))
            var b = try Reservoir<Int>(capacity: k, seed: UInt64(3 * run + 1))
            for i in 0..<300 { a.update(i) }
            for i in 300..<1_000 { b.update(i) }
            a.merge(b)
            for i in 1_000..<2_000 { a.update(i) }
            #expect(a.testOnly_verifyInvariants())
            for i in a.samples { counts[i] += 1 }
        }
        Uniformity.expectUniform(counts, groups: 40, runs: runs, k: k, "40 groups after merge")
        let continuation = counts[1_000...].reduce(0, +)
        let sigma = (Double(runs) * Double(k) * 0.25 * 1_980 / 1_999).squareRoot()
        #expect(Swift.abs(Double(continuation) - Double(runs * k) / 2) <= 3.29 * sigma)
    }

    @Test func mergeOfSmallStreamsKeepsEverything() throws {
        var a = try Reservoir<String>(capacity: 30, seed: 1)
        var b = try Reservoir<String>(capacity: 30, seed: 2)
        for i in 0..<10 { a.update("a\(i)") }
        for i in 0..<15 { b.update("b\(i)") }
        a.merge(b)
        #expect(a.seen == 25 && Set(a.samples) == Set((0..<10).map { "a\($0)" } + (0..<15).map { "b\($0)" }))
        #expect(a.testOnly_verifyInvariants())
        for i in 0..<5 { a.update("c\(i)") }
        #expect(a.samples.count == 30 && a.testOnly_verifyInvariants())
        a.update("d")
        #expect(a.samples.count == 30 && a.seen == 31 && a.testOnly_verifyInvariants())
        let before = a
        a.merge(try Reservoir<String>(capacity: 5, seed: 9))
        #expect(a == before, "merging an empty reservoir changes nothing")
    }

    @Test func mergingASmallerOverflowedReservoirShrinksCapacity() throws {
        var big = try Reservoir<Int>(capacity: 50, seed: 1)
        var small = try Reservoir<Int>(capacity: 20, seed: 2)
        for i in 0..<900 { big.update(i) }
        for i in 900..<1_000 { small.update(i) }
        big.merge(small)
        #expect(big.capacity == 20 && big.samples.count == 20 && big.seen == 1_000)
        #expect(big.testOnly_verifyInvariants())
        var notOverflowed = try Reservoir<Int>(capacity: 20, seed: 3)
        for i in 0..<10 { notOverflowed.update(i) }
        var other = try Reservoir<Int>(capacity: 50, seed: 4)
        for i in 0..<200 { other.update(i) }
        other.merge(notOverflowed)
        #expect(other.capacity == 50 && other.samples.count == 50 && other.testOnly_verifyInvariants())
    }
}
