import Testing
@testable import DriftStats
import DriftTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Special functions against independent high-precision values (mpmath 1.3.0 at 50 digits) and
/// against scipy 1.17.1 (`special.kolmogorov`, `special.smirnov`, `special.chdtrc`, `stats.kstwo.sf`),
/// plus exact identities.
///
/// Tolerances: incomplete gamma relative 5e-14 against mpmath for a ≤ 250 and 1e-12 beyond (Cephes'
/// own accuracy; the prefactor `a·ln x − x − ln Γ(a)` loses ~ulp(a ln x)); normal survival
/// 1e-14 + 2.5e-16·z² (the rounding of z/√2 is amplified by 2x² in the tail, as in scipy);
/// Kolmogorov limit 1e-14 (same algorithm as scipy); `kstwo` and Smirnov 1e-11 relative (scipy's
/// matrix products and convolutions go through BLAS in a different order; measured ≤ 7e-13) with
/// absolute 1e-300; `chdtrc` 1e-13.
@Suite struct SpecialFunctionTests {
    // (a, x, P, Q) from mpmath 1.3.0, mp.dps = 50.
    static let gammaReference: [(Double, Double, Double, Double)] = [
        (0.1, 0.01, 0.6626212599544798, 0.3373787400455202),
        (0.5, 0.3, 0.5614219739190002, 0.4385780260809999),
        (0.5, 2.0, 0.9544997361036416, 0.04550026389635842),
        (1.5, 0.7, 0.29446526879590884, 0.7055347312040912),
        (3.0, 10.0, 0.9972306042844884, 0.002769395715511576),
        (10.0, 3.0, 0.0011024881301154798, 0.9988975118698845),
        (10.0, 25.0, 0.9997785233617512, 0.00022147663824878357),
        (25.0, 24.0, 0.44599877692500434, 0.5540012230749957),
        (50.0, 45.0, 0.24680203440017026, 0.7531979655998298),
        (50.0, 60.0, 0.9155933189063081, 0.08440668109369183),
        (150.0, 140.0, 0.20954362391860706, 0.790456376081393),
        (199.5, 210.0, 0.7746465642885807, 0.22535343571141928),
        (250.0, 250.5, 0.5210073940414688, 0.4789926059585312),
        (1000.0, 1010.0, 0.6276789447369947, 0.3723210552630053),
        (1000.0, 900.0, 0.0005499022657117829, 0.9994500977342882),
        (5000.0, 5100.0, 0.9206711189223811, 0.07932888107761897),
        (0.01, 1e-05, 0.8963367982671973, 0.1036632017328028),
        (7.5, 0.2, 3.4196883452622655e-10, 0.9999999996580312),
        (2.0, 0.6, 0.1219013822495577, 0.8780986177504423),
        (100.0, 300.0, 1.0, 1.4110215102111522e-41),
        (30.0, 5.0, 2.8175176155779225e-14, 0.9999999999999718),
    ]

    @Test func incompleteGammaMatchesHighPrecision() {
        for (a, x, p, q) in Self.gammaReference {
            let tolerance = a <= 250 ? 5e-14 : 1e-12
            let lower = SpecialFunctions.regularizedLowerGamma(a, x)
            let upper = SpecialFunctions.regularizedUpperGamma(a, x)
            #expect(isClose(lower, p, rel: tolerance, abs: 1e-300), "P(\(a), \(x)) = \(lower) vs \(p)")
            #expect(isClose(upper, q, rel: tolerance, abs: 1e-300), "Q(\(a), \(x)) = \(upper) vs \(q)")
        }
    }

    @Test func incompleteGammaIdentities() {
        // Q(1, x) = e^(−x); Q(n, x) = e^(−x) Σ_{k<n} x^k/k!; Q(½, x) = erfc(√x); P + Q = 1.
        for x in [0.001, 0.3, 1.0, 4.5, 20.0, 80.0] {
            #expect(isClose(SpecialFunctions.regularizedUpperGamma(1, x), exp(-x), rel: 1e-14))
            #expect(isClose(SpecialFunctions.regularizedUpperGamma(0.5, x), erfc(x.squareRoot()), rel: 1e-13))
            for n in [2, 5, 12] {
                var sum = 0.0, term = 1.0
                for k in 0..<n {
                    if k > 0 { term *= x / Double(k) }
                    sum += term
                }
                #expect(isClose(SpecialFunctions.regularizedUpperGamma(Double(n), x), exp(-x) * sum, rel: 1e-13), "Q(\(n), \(x))")
            }
            for a in [0.2, 3.3, 40.0, 220.0] {
                let total = SpecialFunctions.regularizedLowerGamma(a, x) + SpecialFunctions.regularizedUpperGamma(a, x)
                #expect(isClose(total, 1, rel: 1e-14), "P + Q at (\(a), \(x))")
            }
        }
        // Edge values (scipy's conventions).
        #expect(SpecialFunctions.regularizedUpperGamma(3, 0) == 1)
        #expect(SpecialFunctions.regularizedLowerGamma(3, 0) == 0)
        #expect(SpecialFunctions.regularizedUpperGamma(3, .infinity) == 0)
        #expect(SpecialFunctions.regularizedUpperGamma(0, 2) == 0)
        #expect(SpecialFunctions.regularizedLowerGamma(-1, 2).isNaN)
        #expect(SpecialFunctions.regularizedUpperGamma(2, -1).isNaN)
    }

    @Test func chiSquareSurvivalMatchesScipy() {
        // scipy.special.chdtrc(k, x)
        let reference: [(Double, Double, Double)] = [
            (1, 0.5, 0.47950012218695337),
            (1, 27.77777777777778, 1.3608022911357298e-07),
            (2, 3.0, 0.22313016014842982),
            (3, 7.8, 0.050331097859853326),
            (6, 149.19595786953332, 1.144394459725755e-29),
            (19, 9.141758104671563, 0.971050072648345),
            (100, 120.0, 0.08440668109369177),
            (1000, 1100.0, 0.014614408126295192),
        ]
        for (k, x, p) in reference {
            let value = SpecialFunctions.chiSquareSurvival(x, degreesOfFreedom: k)
            #expect(isClose(value, p, rel: 1e-13), "chdtrc(\(k), \(x)) = \(value) vs \(p)")
        }
        #expect(SpecialFunctions.chiSquareSurvival(-1, degreesOfFreedom: 4).isNaN)
        #expect(SpecialFunctions.chiSquareSurvival(.infinity, degreesOfFreedom: 3) == 0)
        #expect(isClose(SpecialFunctions.chiSquareSurvival(7, degreesOfFreedom: 2), exp(-3.5), rel: 1e-15))
        #expect(isClose(
            SpecialFunctions.chiSquareDistribution(7, degreesOfFreedom: 9) + SpecialFunctions.chiSquareSurvival(7, degreesOfFreedom: 9),
            1, rel: 1e-15))
    }

    @Test func normalSurvivalMatchesHighPrecision() {
        // (z, 1 − Φ(z)) from mpmath.
        let reference: [(Double, Double)] = [
            (-3.0, 0.9986501019683699), (-0.5, 0.6914624612740131), (0.0, 0.5), (0.3, 0.3820885778110474),
            (1.0, 0.15865525393145705), (1.959963984540054, 0.025000000000000012), (5.0, 2.866515718791939e-07),
            (10.0, 7.619853024160525e-24), (20.0, 2.7536241186062337e-89), (37.0, 5.725571222524577e-300),
        ]
        for (z, sf) in reference {
            // Rounding z/√2 (relative 2⁻⁵³) changes erfc by ~2x² times that: 1e-14 + 2.5e-16·z².
            let tolerance = 1e-14 + 2.5e-16 * z * z
            #expect(isClose(SpecialFunctions.normalSurvival(z), sf, rel: tolerance), "sf(\(z))")
            #expect(isClose(SpecialFunctions.normalCDF(-z), sf, rel: tolerance), "cdf(\(-z))")
        }
        // 1 − Φ(z) as Evidently computes it underflows where the survival function does not.
        #expect(1 - SpecialFunctions.normalCDF(10) == 0)
        #expect(SpecialFunctions.normalCDF(.nan).isNaN)
    }

    @Test func kolmogorovLimitMatchesScipy() {
        // scipy.special.kolmogorov(x)
        let reference: [(Double, Double)] = [
            (0.05, 1.0), (0.2, 0.999999999999495), (0.5, 0.9639452436648751), (0.82, 0.5119717052984973),
            (0.83, 0.4961909953505036), (1.0, 0.26999967167735456), (1.36, 0.049485876755377876),
            (2.0, 0.0006709252557796953), (3.0, 3.045995948942526e-08), (5.0, 3.8574996959278356e-22),
        ]
        for (x, sf) in reference {
            #expect(isClose(SpecialFunctions.kolmogorovSurvival(x), sf, rel: 1e-14), "K(\(x))")
        }
        #expect(SpecialFunctions.kolmogorovSurvival(-1) == 1)
        #expect(SpecialFunctions.kolmogorovSurvival(40) == 0)
    }

    @Test func kstwoMatchesScipyInEveryBranch() {
        // scipy.stats.kstwo.sf(d, n): Ruben–Gambino, Durbin matrix, Pomeranz, Pelz–Good, 2·smirnov
        // (term sum and, for large n, the quadrature path), the 0 cut-off at nd² ≥ 370.
        let reference: [(Int, Double, Double)] = [
            (1, 0.7, 0.6000000000000001), (5, 0.15, 0.9988), (10, 0.09, 0.9999610360566907),
            (10, 0.95, 1.9531250000000172e-13), (20, 0.6, 2.0483011649719853e-07), (50, 0.05, 0.9990238098461883),
            (50, 0.1, 0.6623112704658186), (50, 0.2, 0.03143877776953241), (100, 0.08, 0.5182193645480672),
            (140, 0.05, 0.8576480297656114), (140, 0.12, 0.03252638258561632), (140, 0.2, 2.1981563302200222e-05),
            (141, 0.05, 0.854845693009663), (141, 0.15, 0.0031058623613645147), (500, 0.02, 0.9859871786857471),
            (500, 0.07, 0.01416832020019071), (1000, 0.003, 1.0), (1000, 0.03, 0.3226902143914636),
            (1000, 0.05, 0.013012074781090332), (5000, 0.021, 0.023966681432233152),
            (10000, 0.0026, 0.999999857242648), (10000, 0.019, 0.0014445756889225757),
            (40000, 0.00938, 0.0017433323849229306), (50000, 0.0005, 1.0), (50000, 0.00092, 0.9999999999967321),
            (50000, 0.004, 0.3994316646755731), (50000, 0.0069, 0.017035053443769665),
            (50000, 0.02651, 5.852860758708948e-31), (50000, 0.09, 0.0), (200000, 0.001, 0.9881500208855729),
            (2_000_000, 0.001, 0.03660662431970485), (3, 0.99, 2.0000000000000054e-06), (100, 0.0051, 1.0),
        ]
        for (n, d, sf) in reference {
            let value = SpecialFunctions.kstwoSurvival(d, n: n)
            #expect(isClose(value, sf, rel: 1e-11, abs: 1e-300), "kstwo.sf(\(d), \(n)) = \(value) vs \(sf)")
        }
        // scipy.stats.kstwo.cdf(d, n) at the same points (for n > 140 scipy's cdf uses Pelz–Good or the
        // Durbin matrix where the sf uses 2·smirnov, so cdf + sf is not exactly 1 there).
        let cdfs: [Double] = [
            0.3999999999999999, 0.0012000000000000005, 3.896394330931194e-05, 0.9999999999998047,
            0.9999997951698835, 0.0009761901538116428, 0.3376887295341814, 0.9685612222304676,
            0.48178063545193284, 0.14235197023438867, 0.9674736174143836, 0.9999780184366978,
            0.14515430699033707, 0.9968940168727817, 0.014012821314252874, 0.9858316475056929,
            1.8464972928986004e-53, 0.6773097856085364, 0.9869879197970768, 0.9760333591585822,
            1.4275735206363567e-07, 0.9985554243093758, 0.9982566676158404, 1.1000179447982019e-41,
            3.2679316279656706e-12, 0.6005683353244269, 0.9829649570726813, 1.0, 1.0, 0.01184997911442707,
            0.9633933756802951, 0.999998, 1.1830503302455546e-212,
        ]
        for ((n, d, _), cdf) in zip(reference, cdfs) {
            let value = SpecialFunctions.kstwoDistribution(d, n: n)
            #expect(isClose(value, cdf, rel: 1e-11, abs: 1e-300), "kstwo.cdf(\(d), \(n)) = \(value) vs \(cdf)")
        }
        #expect(SpecialFunctions.kstwoSurvival(0.001, n: 10) == 1)
        #expect(SpecialFunctions.kstwoSurvival(1.0, n: 10) == 0)
        #expect(SpecialFunctions.kstwoSurvival(0.5, n: 0).isNaN)
    }

    @Test func smirnovMatchesScipy() {
        // scipy.special.smirnov(n, d)
        let reference: [(Int, Double, Double)] = [
            (1, 0.3, 0.7), (2, 0.4, 0.44000000000000006), (5, 0.01, 0.9895939599), (10, 0.05, 0.9224335892010742),
            (10, 0.5, 0.003888705), (30, 0.2, 0.07901431818133459), (100, 0.1, 0.1265906584562817),
            (300, 0.09, 0.007260548329852447), (1000, 0.05, 0.006506037390545166), (1000, 0.3, 1.2953578528684224e-80),
            (5000, 0.0219, 0.008139716167927894), (12345, 0.02, 5.0677164330015215e-05),
            (50000, 0.0069, 0.008517526721884832), (100000, 0.01, 2.046639011774627e-09),
            (1_000_000, 0.0015, 0.011097879215320433), (2_000_000, 0.001, 0.018303432023617325),
            (50, 0.9715, 5.523864291414892e-78), (20, 0.97, 3.486784401000062e-31),
        ]
        for (n, d, sf) in reference {
            let value = SpecialFunctions.smirnovSurvival(d, n: n)
            #expect(isClose(value, sf, rel: 1e-11, abs: 1e-300), "smirnov(\(n), \(d)) = \(value) vs \(sf)")
        }
        #expect(SpecialFunctions.smirnovSurvival(0.5, n: 0).isNaN)
        #expect(SpecialFunctions.smirnovSurvival(0, n: 7) == 1)
    }

    @Test func largeSmirnovPathsAgree() {
        // The quadrature and the term-by-term sum of the same (Loader-form) terms agree, and the
        // double-double scipy algorithm agrees with both where all three apply.
        for (n, x) in [(2000, 0.0332), (5000, 0.0219), (20000, 0.012)] {
            let quadrature = SmirnovDistribution.survival(n: n, x: x)
            let nx = Double(n) * x
            let last = n - Int(nx.rounded(.down)) - 1
            let terms = SmirnovDistribution.LogTerm(n: n, x: x)
            let direct = SmirnovDistribution.lowerSumTermByTerm(terms, last: last, reference: terms(Double(last) / 2))
            #expect(isClose(quadrature, direct, rel: 1e-13), "n \(n)")
        }
    }

    @Test func numpyPairwiseSummationOrder() {
        // np.sum of these 300 values is 976997047.5533595; a left-to-right sum gives ...589.
        var rng = SplitMix64(seed: 99)
        let values = (0..<300).map { i in rng.nextUniform() * pow(10.0, Double((i * 7) % 17 - 8)) }
        #expect(NumpySum.pairwise(values) == 976_997_047.5533595)
        #expect(NumpySum.pairwise(Array(values.prefix(100))) == 333_016_599.6278989)
        #expect(NumpySum.pairwise(Array(values.prefix(7))) == 834_930.4575583912)
        #expect(values.reduce(0, +) != NumpySum.pairwise(values))
    }

    @Test func gaussKronrodIntegratesSmoothFunctions() {
        let gaussian = GaussKronrod.integrate(from: -30, to: 30, initialPanels: 4, relativeTolerance: 1e-14) { exp(-$0 * $0 / 2) }
        #expect(isClose(gaussian, (2 * Double.pi).squareRoot(), rel: 1e-14))
        let polynomial = GaussKronrod.integrate(from: 0, to: 2, initialPanels: 1, relativeTolerance: 1e-15) { pow($0, 9) }
        #expect(isClose(polynomial, 102.4, rel: 1e-14))
    }

    @Test func doubleDoubleArithmeticIsExact() {
        let a = 1.0 + 0x1p-40
        let product = DoubleDouble.twoProduct(a, a)
        // (1 + 2⁻⁴⁰)² = 1 + 2⁻³⁹ + 2⁻⁸⁰: the low part carries 2⁻⁸⁰ exactly.
        #expect(product.hi == 1.0 + 0x1p-39 && product.lo == 0x1p-80)
        let third = DoubleDouble(1.0) / 3.0
        let back = third * 3.0
        #expect(back.hi == 1.0 && Swift.abs(back.lo) < 1e-31)
    }
}
