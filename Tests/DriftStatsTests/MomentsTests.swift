import Testing
@testable import DriftStats
import DriftTestSupport

/// Two-pass reference moments with compensated (Neumaier) sums: accurate to a few ulps.
private struct ReferenceMoments {
    var count: Int
    var mean: Double
    var m2: Double
    var min: Double
    var max: Double

    init(_ values: [Double]) {
        let finite = values.filter { !$0.isNaN }
        count = finite.count
        mean = ReferenceMoments.sum(finite) / Double(finite.count)
        let m = mean
        let deviations = finite.map { $0 - m }
        // Corrected two-pass: Σd² − (Σd)²/n removes the rounding of the mean.
        let correction = ReferenceMoments.sum(deviations)
        m2 = ReferenceMoments.sum(deviations.map { $0 * $0 }) - correction * correction / Double(finite.count)
        min = finite.min() ?? .nan
        max = finite.max() ?? .nan
    }

    static func sum(_ values: [Double]) -> Double {
        var s = 0.0, c = 0.0
        for x in values {
            let t = s + x
            c += Swift.abs(s) >= Swift.abs(x) ? (s - t) + x : (x - t) + s
            s = t
        }
        return s + c
    }
}

/// `mean` agrees within `rel` of the spread (the mean of centred data is ~0, so a plain relative
/// test on it would be meaningless); variance within `rel` relatively; extremes and counts exactly.
private func expectMatches(_ m: Moments, _ r: ReferenceMoments, rel: Double, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(m.count == UInt64(r.count), sourceLocation: sourceLocation)
    let spread = r.m2 / Double(r.count)
    #expect(Swift.abs(m.mean - r.mean) <= rel * (Swift.abs(r.mean) + spread.squareRoot()), "mean \(m.mean) vs \(r.mean)", sourceLocation: sourceLocation)
    #expect(isClose(m.variance, r.m2 / Double(r.count), rel: rel), "variance \(m.variance) vs \(r.m2 / Double(r.count))", sourceLocation: sourceLocation)
    #expect(isClose(m.sampleVariance, r.m2 / Double(r.count - 1), rel: rel), sourceLocation: sourceLocation)
    #expect(m.min == r.min && m.max == r.max, sourceLocation: sourceLocation)
}

@Suite struct MomentsTests {
    /// Unit round-off u = 2⁻⁵³.
    static let u = 0x1p-53

    @Test func emptySummaryReportsNaN() {
        let m = Moments()
        #expect(m.count == 0 && m.missing == 0)
        #expect(m.mean.isNaN && m.variance.isNaN && m.sampleVariance.isNaN && m.standardDeviation.isNaN)
        #expect(m.min.isNaN && m.max.isNaN)
        #expect(m.testOnly_verifyInvariants())
    }

    @Test func singleValueHasZeroPopulationVarianceAndNoSampleVariance() {
        var m = Moments()
        m.update(-3.5)
        #expect(m.count == 1 && m.mean == -3.5 && m.variance == 0 && m.min == -3.5 && m.max == -3.5)
        #expect(m.sampleVariance.isNaN)
        #expect(m.testOnly_verifyInvariants())
    }

    @Test func textbookExample() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population variance 4 (σ = 2), sample variance 32/7.
        // Tolerance: exact — every intermediate of Welford's update is exactly representable here.
        let m = Moments([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(m.mean == 5 && m.variance == 4 && m.standardDeviation == 2)
        #expect(isClose(m.sampleVariance, 32.0 / 7.0, rel: 4 * Self.u))
    }

    @Test func nanIsMissingAndChangesNothingElse() {
        var withNaN = Moments()
        var without = Moments()
        for (i, x) in [1.0, .nan, 2.5, .nan, -7.0, 3.0].enumerated() {
            withNaN.update(x)
            if !x.isNaN { without.update(x) }
            #expect(withNaN.testOnly_verifyInvariants(), "after value \(i)")
        }
        #expect(withNaN.missing == 2 && withNaN.count == 4)
        without.recordMissing(2)
        #expect(withNaN == without)
        withNaN.recordMissing()
        #expect(withNaN.missing == 3 && withNaN.count == 4)
    }

    @Test func infinitiesAreValuesThatMakeTheMomentsNonFinite() {
        var m = Moments([1, 2, .infinity])
        #expect(m.max == .infinity && m.min == 1 && m.mean == .infinity && m.variance.isNaN)
        m.update(-.infinity)
        #expect(m.min == -.infinity && m.mean.isNaN && m.count == 4)
        #expect(m == m, "NaN fields still compare equal")
        #expect(m.testOnly_verifyInvariants())
    }

    /// Golden: `ref_std_ddof0` = `np.std(ref)` of every wasserstein.json case.
    /// Tolerance: relative 1e-12 (the file's `tolerance_hint`; numpy sums pairwise, we update by Welford).
    @Test(arguments: Golden.caseIDs("wasserstein"))
    func populationStandardDeviationMatchesNumpy(id: String) throws {
        let golden = try Golden.case("wasserstein", id: id)
        let inputs = try #require(golden["inputs"] as? [String: Any])
        let expected = try #require(golden["expected"] as? [String: Any])
        guard let std = GoldenJSON.double(expected["ref_std_ddof0"]) else { return } // weighted case: no std
        let reference = try #require(GoldenJSON.sample(inputs["ref"]))
        let m = Moments(reference)
        #expect(isClose(m.standardDeviation, std, rel: 1e-12), "\(id): \(m.standardDeviation) vs \(std)")
        if let check = (inputs["ref"] as? [String: Any])?["check"] as? [String: Any] {
            // Tolerance: exact — the extremes are values of the sample.
            #expect(m.min == GoldenJSON.double(check["min"]) && m.max == GoldenJSON.double(check["max"]))
        }
    }

    /// Against a compensated two-pass reference on golden-generator data. Tolerance: relative 1e-12.
    /// Welford's worst-case relative error is about n·u·κ ≈ 1.1e-11 for n = 10⁵ and κ ≈ 1; its
    /// rounding errors are not systematic, so the observed error is ≈ √n·u ≈ 4e-14 and 1e-12 leaves
    /// a 25× margin while still catching any algorithmic slip (a wrong n or ddof is ≥ 1e-5).
    @Test(arguments: [("normal12", 1 as UInt64), ("uniform", 2), ("lomax1", 3), ("discrete", 4)])
    func matchesTwoPassReferenceOnGeneratedData(distribution: String, seed: UInt64) {
        var spec = GoldenGeneratorSpec(distribution: distribution, count: 100_000, seed: seed)
        spec.k = 20
        let values = spec.generate()
        expectMatches(Moments(values), ReferenceMoments(values), rel: 1e-12)
    }

    /// Data far from zero (mean 10⁶, σ = 1, condition number κ ≈ 10⁶) is where Σx² − (Σx)²/n fails
    /// (it would lose all 12 digits). Tolerance: Welford's bound n·u·κ = 10⁵ · 1.1e-16 · 10⁶ ≈ 1.1e-5
    /// relative on the variance.
    @Test func staysAccurateFarFromZero() {
        var spec = GoldenGeneratorSpec(distribution: "normal12", count: 100_000, seed: 7)
        spec.loc = 1e6
        let values = spec.generate()
        let reference = ReferenceMoments(values)
        let kappa = (1 + reference.mean * reference.mean / (reference.m2 / Double(reference.count))).squareRoot()
        let bound = Double(values.count) * Self.u * kappa
        expectMatches(Moments(values), reference, rel: bound)
        // The naive formula misses by far more than that bound (so the test can tell them apart).
        let n = Double(values.count)
        let naive = (values.reduce(0) { $0 + $1 * $1 } - values.reduce(0, +) * values.reduce(0, +) / n) / n
        #expect(!isClose(naive, reference.m2 / n, rel: bound))
    }

    /// Merging arbitrary splits equals the sequential summary. Tolerance: relative 1e-12 on the
    /// variance and 1e-12·σ on the mean (both are exact-arithmetic identities; the pairwise formula
    /// has error bounds no larger than Welford's, see the two-pass test). Counts and extremes exact.
    @Test func mergeOfArbitrarySplitsEqualsSequential() {
        let values = GoldenGeneratorSpec(distribution: "normal12", count: 20_000, seed: 11).generate()
        let sequential = Moments(values)
        var rng = SplitMix64(seed: 99)
        for trial in 0..<30 {
            let parts = 1 + Int(rng.nextBounded(16))
            var cuts = (0..<(parts - 1)).map { _ in Int(rng.nextBounded(UInt64(values.count + 1))) }
            cuts.append(contentsOf: [0, values.count])
            cuts.sort()
            var pieces = (0..<parts).map { Moments(values[cuts[$0]..<cuts[$0 + 1]]) }
            // Merge in a random order of pairs (a random merge tree), checking invariants each time.
            while pieces.count > 1 {
                let i = Int(rng.nextBounded(UInt64(pieces.count)))
                let removed = pieces.remove(at: i)
                let j = Int(rng.nextBounded(UInt64(pieces.count)))
                pieces[j].merge(removed)
                #expect(pieces[j].testOnly_verifyInvariants(), "trial \(trial)")
            }
            let merged = pieces[0]
            #expect(merged.count == sequential.count && merged.min == sequential.min && merged.max == sequential.max)
            #expect(Swift.abs(merged.mean - sequential.mean) <= 1e-12 * sequential.standardDeviation, "trial \(trial)")
            #expect(isClose(merged.variance, sequential.variance, rel: 1e-12), "trial \(trial)")
        }
    }

    @Test func mergeWithEmptyIsIdentityAndMissingAdds() {
        var a = Moments([1, 2, 3, .nan])
        let copy = a
        a.merge(Moments())
        #expect(a == copy)
        var empty = Moments()
        empty.recordMissing(5)
        empty.merge(copy)
        var expected = copy
        expected.recordMissing(5)
        #expect(empty == expected)
        var onlyMissing = Moments()
        onlyMissing.recordMissing(2)
        a.merge(onlyMissing)
        #expect(a.missing == 3 && a.count == 3 && a.mean == copy.mean)
    }

    /// The blocked two-pass batch update equals the per-value update. Tolerance: as the merge test.
    @Test func batchUpdateMatchesPerValueUpdate() {
        var values = GoldenGeneratorSpec(distribution: "normal12", count: 5_003, seed: 5).generate()
        for i in stride(from: 3, to: values.count, by: 97) { values[i] = .nan }
        let sequential = Moments(values)
        var batch = Moments()
        batch.update(contentsOf: values)
        #expect(batch.testOnly_verifyInvariants())
        #expect(batch.count == sequential.count && batch.missing == sequential.missing)
        #expect(batch.min == sequential.min && batch.max == sequential.max)
        #expect(Swift.abs(batch.mean - sequential.mean) <= 1e-12 * sequential.standardDeviation)
        #expect(isClose(batch.variance, sequential.variance, rel: 1e-12))
        // Infinities in a block fall back to the exact per-value path.
        var withInfinity = Moments()
        withInfinity.update(contentsOf: [1, 2, .infinity, 4])
        #expect(withInfinity == Moments([1, 2, .infinity, 4]))
        var allMissing = Moments()
        allMissing.update(contentsOf: [.nan, .nan])
        #expect(allMissing.count == 0 && allMissing.missing == 2 && allMissing.testOnly_verifyInvariants())
    }

    @Test func invariantsHoldAfterEveryUpdate() {
        let values = GoldenGeneratorSpec(distribution: "lomax1", count: 2_000, seed: 8).generate()
        var m = Moments()
        for (i, x) in values.enumerated() {
            m.update(i % 50 == 0 ? .nan : x)
            #expect(m.testOnly_verifyInvariants(), "after \(i)")
        }
    }
}
