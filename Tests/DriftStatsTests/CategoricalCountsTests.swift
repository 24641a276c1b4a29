import Foundation
import Testing
@testable import DriftStats
import DriftTestSupport

/// A Zipf-like stream: category i (1-based) with probability ∝ 1 / i^s, drawn from SplitMix64 by
/// inverting the cumulative weights.
struct ZipfStream {
    let names: [String]
    let cumulative: [Double]

    init(categories: Int, exponent s: Double) {
        names = (0..<categories).map { "cat-\($0)" }
        var running = 0.0
        var cumulative = [Double]()
        for i in 1...categories {
            running += 1 / pow(Double(i), s)
            cumulative.append(running)
        }
        self.cumulative = cumulative
    }

    func sample(count: Int, seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed)
        let total = cumulative[cumulative.count - 1]
        return (0..<count).map { _ in
            let target = rng.nextUniform() * total
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
            }
            return names[lo]
        }
    }
}

/// Checks the documented guarantee against the exact truth: for every category x,
/// count(of: x) ≤ truth(x) ≤ count(of: x) + maximumError, truth(x) ≤ upperBound(of: x), and
/// maximumError ≤ total / capacity (when `checkCapacityBound`).
func expectBounds(_ summary: CategoricalCounts, truth: [String: UInt64], checkCapacityBound: Bool = true,
                  sourceLocation: SourceLocation = #_sourceLocation) {
    let total = truth.values.reduce(0, +)
    #expect(summary.total == total, sourceLocation: sourceLocation)
    var violations = 0
    for (category, exact) in truth {
        let reported = summary.count(of: category)
        if reported > exact || exact - reported > summary.maximumError || summary.upperBound(of: category) < exact {
            violations += 1
        }
    }
    for (category, reported) in summary.counts where truth[category] == nil || reported == 0 {
        _ = category
        violations += 1
    }
    #expect(violations == 0, "\(violations) categories outside the bounds (maximumError \(summary.maximumError))", sourceLocation: sourceLocation)
    if checkCapacityBound {
        #expect(summary.maximumError <= total / UInt64(summary.capacity),
                "maximumError \(summary.maximumError) > total/capacity \(total / UInt64(summary.capacity))", sourceLocation: sourceLocation)
    }
    #expect(summary.counts.values.reduce(0, +) + summary.otherCount == summary.total, sourceLocation: sourceLocation)
    #expect(summary.testOnly_verifyInvariants(checkCounterSum: checkCapacityBound), sourceLocation: sourceLocation)
}

func exactCounts(_ stream: some Sequence<String>) -> [String: UInt64] {
    var truth = [String: UInt64]()
    for x in stream { truth[x, default: 0] += 1 }
    return truth
}

@Suite struct CategoricalCountsTests {
    @Test func rejectsInvalidCapacities() {
        for bad in [0, -1, CategoricalCounts.maximumCapacity + 1] {
            #expect(throws: SummaryError.invalidCapacity(bad, maximum: CategoricalCounts.maximumCapacity)) {
                try CategoricalCounts(capacity: bad)
            }
        }
        #expect((try? CategoricalCounts())?.capacity == 10_000)
    }

    @Test func exactModeCountsEverything() throws {
        let stream = ZipfStream(categories: 40, exponent: 1.0).sample(count: 3_000, seed: 1)
        var summary = try CategoricalCounts(capacity: 40)
        var truth = [String: UInt64]()
        for (i, x) in stream.enumerated() {
            summary.update(x)
            truth[x, default: 0] += 1
            if i % 7 == 0 { #expect(summary.testOnly_verifyInvariants(), "after \(i)") }
        }
        summary.recordMissing(3)
        #expect(summary.isExact && summary.maximumError == 0 && summary.otherCount == 0)
        #expect(summary.counts == truth)
        #expect(summary.total == 3_000 && summary.missing == 3 && summary.trackedCount == truth.count)
        #expect(summary.count(of: "never") == 0 && summary.upperBound(of: "never") == 0)
        for (category, n) in truth { #expect(summary.count(of: category) == n && summary.upperBound(of: category) == n) }
    }

    @Test func weightedUpdatesAndZeroWeights() throws {
        var summary = try CategoricalCounts(capacity: 4)
        summary.update("a", count: 5)
        summary.update("b", count: 0)
        summary.update("a")
        #expect(summary.count(of: "a") == 6 && !summary.contains("b") && summary.total == 6)
        #expect(summary.testOnly_verifyInvariants())
    }

    @Test func orderDoesNotChangeEqualityOrEncoding() throws {
        let stream = ["x", "y", "x", "z", "y", "x", "é", "e\u{301}"]  // the last two are one String
        var forward = try CategoricalCounts(capacity: 10)
        var backward = try CategoricalCounts(capacity: 10)
        for x in stream { forward.update(x) }
        for x in stream.reversed() { backward.update(x) }
        #expect(forward == backward)
        #expect(forward.count(of: "é") == 2 && forward.count(of: "e\u{301}") == 2)
        // The encoding is canonical up to the spelling of canonically equivalent categories (each
        // summary keeps the first spelling it saw), so compare encodings on ASCII categories.
        var asciiForward = try CategoricalCounts(capacity: 10)
        var asciiBackward = try CategoricalCounts(capacity: 10)
        for x in stream.dropLast(2) { asciiForward.update(x) }
        for x in stream.dropLast(2).reversed() { asciiBackward.update(x) }
        #expect(asciiForward.serialized() == asciiBackward.serialized())
        #expect(forward.mostFrequent(2).map(\.category) == ["x", "y"])
        #expect(forward != (try CategoricalCounts(capacity: 11)))
    }

    /// Skewed streams overflow into Space-Saving: the documented bounds hold against the exact truth.
    @Test(arguments: [(0.8, 100, 1 as UInt64), (1.1, 100, 2), (1.5, 50, 3), (1.1, 1_000, 4)])
    func summaryModeBoundsHoldOnZipfStreams(exponent: Double, capacity: Int, seed: UInt64) throws {
        let stream = ZipfStream(categories: 5_000, exponent: exponent).sample(count: 40_000, seed: seed)
        var summary = try CategoricalCounts(capacity: capacity)
        for x in stream { summary.update(x) }
        let truth = exactCounts(stream)
        #expect(!summary.isExact && summary.trackedCount == capacity)
        expectBounds(summary, truth: truth)
        // Every heavy hitter (more than total/capacity occurrences) is tracked.
        let threshold = summary.total / UInt64(capacity)
        for (category, n) in truth where n > threshold { #expect(summary.contains(category), "\(category) = \(n)") }
        // The head of the distribution is close to exact: the top category's count is within the bound.
        let top = try #require(truth.max { $0.value < $1.value })
        #expect(summary.mostFrequent(1).first?.category == top.key)
    }

    @Test func adversarialStreamsStayWithinBounds() throws {
        // All distinct (worst case for Space-Saving), then a sorted run, then interleaved weights.
        var stream = (0..<5_000).map { "u\($0)" }
        for c in 0..<30 { stream += Array(repeating: "s\(c)", count: 30 + c) }
        var summary = try CategoricalCounts(capacity: 64)
        for (i, x) in stream.enumerated() {
            summary.update(x)
            if i % 97 == 0 { #expect(summary.testOnly_verifyInvariants(), "after \(i)") }
        }
        expectBounds(summary, truth: exactCounts(stream))
        var weighted = try CategoricalCounts(capacity: 8)
        var truth = [String: UInt64]()
        var rng = SplitMix64(seed: 5)
        for _ in 0..<2_000 {
            let category = "w\(rng.nextBounded(40))"
            let weight = 1 + rng.nextBounded(20)
            weighted.update(category, count: weight)
            truth[category, default: 0] += weight
            #expect(weighted.testOnly_verifyInvariants())
        }
        expectBounds(weighted, truth: truth)
    }

    @Test func exactSummariesWhoseUnionFitsMergeExactly() throws {
        let stream = ZipfStream(categories: 60, exponent: 1.0).sample(count: 4_000, seed: 6)
        var a = try CategoricalCounts(capacity: 60)
        var b = try CategoricalCounts(capacity: 60)
        var sequential = try CategoricalCounts(capacity: 60)
        for (i, x) in stream.enumerated() {
            if i % 3 == 0 { a.update(x) } else { b.update(x) }
            sequential.update(x)
        }
        a.recordMissing(2)
        b.recordMissing(5)
        sequential.recordMissing(7)
        a.merge(b)
        #expect(a.isExact && a == sequential && a.testOnly_verifyInvariants())
    }

    @Test func exactSummariesThatOverflowMergeWithinBounds() throws {
        var a = try CategoricalCounts(capacity: 10)
        var b = try CategoricalCounts(capacity: 10)
        var truth = [String: UInt64]()
        for c in 0..<10 {
            a.update("a\(c)", count: UInt64(10 + c)); truth["a\(c)"] = UInt64(10 + c)
            b.update("b\(c)", count: UInt64(5 + 2 * c)); truth["b\(c)"] = UInt64(5 + 2 * c)
        }
        b.update("a9", count: 4); truth["a9", default: 0] += 4
        a.merge(b)
        #expect(!a.isExact && a.trackedCount == 10)
        expectBounds(a, truth: truth)
    }

    /// A Zipf stream split over partitions (each overflowing), merged in a random tree order: the
    /// bounds hold against the truth of the whole stream after every merge.
    @Test(arguments: [1 as UInt64, 2, 3])
    func summaryMergesInAnyOrderStayWithinBounds(seed: UInt64) throws {
        let stream = ZipfStream(categories: 3_000, exponent: 1.1).sample(count: 24_000, seed: 10 + seed)
        var rng = SplitMix64(seed: seed)
        let parts = 8
        var pieces = try (0..<parts).map { _ in try CategoricalCounts(capacity: 80) }
        var streams = [[String]](repeating: [], count: parts)
        for x in stream {
            let p = Int(rng.nextBounded(UInt64(parts)))
            pieces[p].update(x)
            streams[p].append(x)
        }
        for p in 0..<parts { expectBounds(pieces[p], truth: exactCounts(streams[p])) }
        while pieces.count > 1 {
            let i = Int(rng.nextBounded(UInt64(pieces.count)))
            let removed = pieces.remove(at: i)
            let removedStream = streams.remove(at: i)
            let j = Int(rng.nextBounded(UInt64(pieces.count)))
            pieces[j].merge(removed)
            streams[j] += removedStream
            expectBounds(pieces[j], truth: exactCounts(streams[j]))
        }
        // Updates after merges keep the guarantees.
        var merged = pieces[0]
        let more = ZipfStream(categories: 3_000, exponent: 1.1).sample(count: 5_000, seed: 99)
        for x in more { merged.update(x) }
        expectBounds(merged, truth: exactCounts(stream + more))
    }

    /// Merging a smaller-capacity summary keeps every per-category bound (the total/capacity
    /// bound is only promised for operands of at least this capacity).
    @Test func mergingSmallerCapacityKeepsPerCategoryBounds() throws {
        let zipf = ZipfStream(categories: 2_000, exponent: 1.0)
        let s1 = zipf.sample(count: 10_000, seed: 21)
        let s2 = zipf.sample(count: 10_000, seed: 22)
        var big = try CategoricalCounts(capacity: 200)
        var small = try CategoricalCounts(capacity: 20)
        for x in s1 { big.update(x) }
        for x in s2 { small.update(x) }
        big.merge(small)
        expectBounds(big, truth: exactCounts(s1 + s2), checkCapacityBound: false)
        var fresh = try CategoricalCounts(capacity: 50)
        fresh.merge(small)          // fewer than 50 tracked, yet inexact: new categories carry the bound
        for x in s1 { fresh.update(x) }
        expectBounds(fresh, truth: exactCounts(s1 + s2), checkCapacityBound: false)
    }

    @Test func proportionsAndUnseenCategories() throws {
        var reference = try CategoricalCounts(capacity: 10)
        var current = try CategoricalCounts(capacity: 10)
        for (c, n) in [("a", 50), ("b", 30), ("c", 20)] { reference.update(c, count: UInt64(n)) }
        for (c, n) in [("a", 40), ("b", 40), ("new", 10), ("newer", 10)] { current.update(c, count: UInt64(n)) }
        #expect(current.unseen(in: reference) == ["new": 10, "newer": 10])
        #expect(reference.unseen(in: current) == ["c": 20])
        // Tolerance: exact — quotients of small integers by 100 round the same way on both sides.
        let expectedCurrent: [Double] = [0.4, 0.4, 0.0]
        let expectedReference: [Double] = [0.2, 0.0]
        #expect(current.proportions(over: ["a", "b", "c"]) == expectedCurrent)
        #expect(reference.proportions(over: ["c", "zzz"]) == expectedReference)
        #expect(try CategoricalCounts(capacity: 3).proportions(over: ["a", "b"]) == [0, 0])
    }
}
