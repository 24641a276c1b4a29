import Testing
@testable import DriftStats
import DriftTestSupport

/// Two-sample Kolmogorov–Smirnov against `Fixtures/golden/ks.json` (scipy 1.17.1 `ks_2samp`,
/// `special.kolmogorov`, Evidently 0.7.23 `ks_stat_test`).
///
/// Tolerances (golden README / `conventions.tolerance_hint`: "statistic: exact (compare as fraction);
/// p-values: rel 1e-9 for exact, rel 1e-6 for asymptotic formulas"):
/// * statistic: the raw float, the lattice value h/lcm, numerator and denominator — all exact.
/// * exact p-values: relative 1e-9 (they agree to ~1e-13 in practice).
/// * asymptotic p-values and the Kolmogorov-limit values: relative 1e-10 (tighter than the file's 1e-6:
///   scipy's `kstwo`/Smirnov/Hodges algorithms are reproduced operation by operation), absolute 1e-300.
/// * location and sign: exact.
@Suite struct KolmogorovSmirnovTests {
    nonisolated(unsafe) static let cases: [[String: Any]] = (try? Golden.cases("ks")) ?? []
    static let caseIDs: [String] = cases.compactMap { $0["id"] as? String }

    static let exactTolerance = 1e-9
    static let asymptoticTolerance = 1e-10

    /// The golden samples, regenerated for `{"generator": ...}` inputs and verified with `check`.
    static func samples(_ testCase: [String: Any]) throws -> (a: [Double], b: [Double]) {
        let inputs = try #require(testCase["inputs"] as? [String: Any])
        var out: [[Double]] = []
        for key in ["a", "b"] {
            let spec = try #require(inputs[key] as? [String: Any])
            let values = try #require(GoldenJSON.sample(spec))
            #expect(values.count == GoldenJSON.int(spec["n"]))
            if let check = spec["check"] as? [String: Any] {
                let first = try #require(GoldenJSON.doubles(check["first"]))
                #expect(Array(values.prefix(first.count)).map(\.bitPattern) == first.map(\.bitPattern))
                #expect(values.last?.bitPattern == GoldenJSON.double(check["last"])?.bitPattern)
            }
            out.append(values)
        }
        return (out[0], out[1])
    }

    static func alternative(_ key: String) -> KolmogorovSmirnov.Alternative {
        switch key {
        case "less": return .less
        case "greater": return .greater
        default: return .twoSided
        }
    }

    @Test func goldenFileHasAllCases() {
        #expect(Self.caseIDs.count == 23)
    }

    @Test(arguments: caseIDs)
    func goldenCase(_ id: String) throws {
        let testCase = try #require(Self.cases.first { $0["id"] as? String == id })
        let (a, b) = try Self.samples(testCase)
        let expected = try #require(testCase["expected"] as? [String: Any])
        let sortedA = a.sorted()
        let sortedB = b.sorted()
        var autoTwoSidedPValue = Double.nan

        for key in ["two_sided", "less", "greater"] {
            let e = try #require(expected[key] as? [String: Any])
            let alternative = Self.alternative(key)
            let label = "\(id) \(key)"

            // method='asymp': raw statistic (exact float), exact fraction, asymptotic p-value.
            let asymptotic = KolmogorovSmirnov.twoSample(
                sortedA: sortedA, sortedB: sortedB, alternative: alternative, method: .asymptotic)
            let statistic = try #require(GoldenJSON.double(e["statistic"]))
            #expect(asymptotic.statistic == statistic, "\(label) statistic")
            #expect(asymptotic.numerator == GoldenJSON.int(e["d_numerator"]), "\(label) numerator")
            #expect(asymptotic.denominator == GoldenJSON.int(e["d_denominator"]), "\(label) denominator")
            #expect(asymptotic.method == .asymptotic)
            let pAsymptotic = try #require(GoldenJSON.double(e["pvalue_asymp"]))
            #expect(
                isClose(asymptotic.pValue, pAsymptotic, rel: Self.asymptoticTolerance, abs: 1e-300),
                "\(label) asymp p \(asymptotic.pValue) vs \(pAsymptotic)")

            // method='exact' (with scipy's silent fallback to asymp).
            let exact = KolmogorovSmirnov.twoSample(
                sortedA: sortedA, sortedB: sortedB, alternative: alternative, method: .exact)
            let lattice = try #require(GoldenJSON.double(e["statistic_exact_lattice"]))
            #expect(exact.statistic == lattice, "\(label) lattice statistic")
            #expect(exact.numerator == asymptotic.numerator && exact.denominator == asymptotic.denominator)
            let fellBack = try #require(e["exact_fell_back_to_asymp"] as? Bool)
            #expect(exact.method == (fellBack ? .asymptotic : .exact), "\(label) exact fallback")
            let pExact = try #require(GoldenJSON.double(e["pvalue_exact"]))
            let exactTolerance = fellBack ? Self.asymptoticTolerance : Self.exactTolerance
            #expect(
                isClose(exact.pValue, pExact, rel: exactTolerance, abs: 1e-300),
                "\(label) exact p \(exact.pValue) vs \(pExact)")

            // method='auto' (default), plus location and sign.
            let auto = KolmogorovSmirnov.twoSample(sortedA: sortedA, sortedB: sortedB, alternative: alternative)
            let autoMethod = try #require(e["auto_method"] as? String)
            #expect(auto.method == (autoMethod == "exact" ? .exact : .asymptotic), "\(label) auto method")
            let pAuto = try #require(GoldenJSON.double(e["pvalue_auto"]))
            let autoTolerance = autoMethod == "exact" ? Self.exactTolerance : Self.asymptoticTolerance
            #expect(
                isClose(auto.pValue, pAuto, rel: autoTolerance, abs: 1e-300),
                "\(label) auto p \(auto.pValue) vs \(pAuto)")
            let location = try #require(GoldenJSON.double(e["statistic_location"]))
            #expect(auto.location == location, "\(label) location \(auto.location) vs \(location)")
            #expect(auto.sign == GoldenJSON.int(e["statistic_sign"]), "\(label) sign")

            if alternative == .twoSided {
                autoTwoSidedPValue = auto.pValue
                let n1 = Double(a.count), n2 = Double(b.count)
                let m = max(n1, n2), n = min(n1, n2)
                let en = m * n / (m + n)
                #expect(en == GoldenJSON.double(e["en"]), "\(label) en")
                let limit = try #require(GoldenJSON.double(e["pvalue_kolmogorov_limit"]))
                let stephens = try #require(GoldenJSON.double(e["pvalue_kolmogorov_stephens"]))
                let d = asymptotic.statistic
                let rootEn = en.squareRoot()
                #expect(
                    isClose(SpecialFunctions.kolmogorovSurvival(rootEn * d), limit, rel: Self.asymptoticTolerance, abs: 1e-300),
                    "\(label) Kolmogorov limit")
                #expect(
                    isClose(
                        SpecialFunctions.kolmogorovSurvival((rootEn + 0.12 + 0.11 / rootEn) * d), stephens,
                        rel: Self.asymptoticTolerance, abs: 1e-300),
                    "\(label) Stephens")
            }
        }

        // Evidently: drift_score = auto p-value (two-sided), drifted iff p <= 0.05.
        let evidently = try #require(expected["evidently_ks"] as? [String: Any])
        let score = try #require(GoldenJSON.double(evidently["drift_score"]))
        let threshold = try #require(GoldenJSON.double(evidently["threshold"]))
        #expect(isClose(autoTwoSidedPValue, score, rel: Self.exactTolerance, abs: 1e-300), "\(id) evidently score")
        #expect((autoTwoSidedPValue <= threshold) == (evidently["drifted"] as? Bool), "\(id) evidently decision")
    }

    @Test func unsortedOverloadSortsCopies() {
        let a = [0.9, 0.1, 0.5]
        let b = [2.0, 0.3, 1.5, 0.2]
        let r = KolmogorovSmirnov.twoSample(a, b)
        #expect(r == KolmogorovSmirnov.twoSample(sortedA: a.sorted(), sortedB: b.sorted()))
        #expect(r.numerator == 6 && r.denominator == 12 && r.statistic == 0.5)
        #expect(r.location == 0.9 && r.sign == 1 && r.method == .exact)
    }

    @Test func emptySampleGivesNaN() {
        let r = KolmogorovSmirnov.twoSample(sortedA: [], sortedB: [1, 2])
        #expect(r.pValue.isNaN && r.statistic.isNaN && r.denominator == 0)
    }

    @Test func swappingSamplesSwapsOneSidedAlternatives() {
        var rng = SplitMix64(seed: 5)
        let a = (0..<137).map { _ in rng.nextUniform() }.sorted()
        let b = (0..<211).map { _ in rng.nextUniform() + 0.05 }.sorted()
        let less = KolmogorovSmirnov.twoSample(sortedA: a, sortedB: b, alternative: .less)
        let greater = KolmogorovSmirnov.twoSample(sortedA: b, sortedB: a, alternative: .greater)
        #expect(less.numerator == greater.numerator && less.denominator == greater.denominator)
        #expect(isClose(less.pValue, greater.pValue, rel: 1e-12))
    }

    @Test func laneMergeAgreesWithReferenceMergeOnDegenerateInputs() {
        // Identical samples (every group ties at D = 0), disjoint samples (a new extreme at every
        // group), interleaved constants, and sizes around the lockstep threshold: the 4-lane integer
        // tracker must agree with the plain float merge (numpy's semantics) in value and location.
        var rng = SplitMix64(seed: 23)
        let base = (0..<600).map { _ in (rng.nextUniform() * 1000).rounded() / 10 }.sorted()
        let inputs: [([Double], [Double])] = [
            (base, base),
            (base, base.map { $0 + 1000 }),
            (base.map { $0 + 1000 }, base),
            (Array(repeating: 1.0, count: 300), Array(repeating: 1.0, count: 500)),
            (Array(base.prefix(255)), Array(base.suffix(2))),
            (Array(base.prefix(130)), Array(base.prefix(127))),
        ]
        for (a, b) in inputs {
            let lcm = a.count / KolmogorovSmirnov.gcd(a.count, b.count) * b.count
            let lanes = a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in KolmogorovSmirnov.Extremes.compute(x, y) }
            }
            let reference = a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in KolmogorovSmirnov.Extremes.computeFloat(x, y, lcm: lcm) }
            }
            #expect(lanes == reference, "n1 \(a.count) n2 \(b.count)")
        }
    }

    @Test func floatOnlyPathAgreesWithIntegerPath() {
        // The float-only extreme tracker (used when lcm ≥ 2^50) must agree with the exact one.
        var rng = SplitMix64(seed: 11)
        let a = (0..<997).map { _ in (rng.nextUniform() * 50).rounded() }.sorted()
        let b = (0..<1009).map { _ in (rng.nextUniform() * 52).rounded() }.sorted()
        let exact = a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in KolmogorovSmirnov.Extremes.compute(x, y) }
        }
        let float = a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in KolmogorovSmirnov.Extremes.computeFloat(x, y, lcm: 997 * 1009) }
        }
        #expect(exact == float)
    }
}
