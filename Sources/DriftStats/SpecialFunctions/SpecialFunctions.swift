#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Special functions behind the drift tests' p-values, following scipy 1.17.1 (`scipy.special`, whose
/// kernels are the Cephes library as translated in `xsf`) algorithm by algorithm.
///
/// * Incomplete gamma `P(a, x)`, `Q(a, x)` and the chi-square survival function (`IncompleteGamma.swift`).
/// * The Kolmogorov limit distribution, the exact two-sided one-sample distribution `kstwo` and the
///   one-sided Smirnov distribution (`KolmogorovDistribution.swift`, `SmirnovDistribution.swift`).
/// * The standard normal distribution (`NormalDistribution.swift`).
///
/// All functions are pure, allocation-free unless noted, and return NaN outside their domain
/// (scipy's convention) instead of trapping.
public enum SpecialFunctions {}

/// Constants of the Cephes library (`xsf/cephes/const.h`) and small numeric helpers shared by the
/// special functions. Internal.
enum Cephes {
    /// 2⁻⁵³, Cephes' `MACHEP` (the unit roundoff).
    static let machineEpsilon = 1.11022302462515654042e-16
    /// log(DBL_MAX), Cephes' `MAXLOG`.
    static let maxLog = 7.09782712893383996843e2
    /// log(2⁻¹⁰²²), Cephes' `MINLOG`.
    static let minLog = -7.08396418532264106224e2
    /// The argument above which Γ overflows, Cephes' `MAXGAM`.
    static let maxGamma = 171.624376956302725
    /// Euler–Mascheroni constant γ.
    static let euler = 0.577215664901532860606512090082402431

    /// ln Γ(x) (thread-safe `lgamma_r`; the sign is dropped — callers pass x > 0).
    @inline(__always)
    static func logGamma(_ x: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(x, &sign)
    }

    /// `log(1 + x) − x`, accurate for small x (power series when |x| < 1/2, as Cephes `log1pmx`).
    static func log1pmx(_ x: Double) -> Double {
        if Swift.abs(x) < 0.5 {
            var xfac = x
            var result = 0.0
            var n = 2.0
            while n < 500 {
                xfac *= -x
                let term = xfac / n
                result += term
                if Swift.abs(term) < machineEpsilon * Swift.abs(result) { break }
                n += 1
            }
            return result
        }
        return log1p(x) - x
    }

    /// ζ(n) for n = 2…41, correctly rounded (computed with mpmath 1.3.0 at 50 digits).
    static let zeta: [Double] = [
        1.6449340668482264, 1.2020569031595942, 1.0823232337111381, 1.03692775514337, 1.0173430619844492,
        1.008349277381923, 1.0040773561979444, 1.0020083928260821, 1.000994575127818, 1.0004941886041194,
        1.000246086553308, 1.0001227133475785, 1.0000612481350588, 1.000030588236307, 1.0000152822594086,
        1.0000076371976379, 1.000003817293265, 1.0000019082127165, 1.0000009539620338, 1.0000004769329869,
        1.0000002384505027, 1.000000119219926, 1.000000059608189, 1.0000000298035034, 1.0000000149015549,
        1.0000000074507118, 1.000000003725334, 1.0000000018626598, 1.0000000009313275, 1.0000000004656628,
        1.000000000232831, 1.0000000001164155, 1.0000000000582077, 1.0000000000291038, 1.000000000014552,
        1.000000000007276, 1.000000000003638, 1.000000000001819, 1.0000000000009095, 1.0000000000004547,
    ]

    /// ln Γ(1 + x) by its Taylor series around 0 (DLMF 5.7.3), for |x| ≤ 1/2.
    static func logGamma1pTaylor(_ x: Double) -> Double {
        if x == 0 { return 0 }
        var result = -euler * x
        var xfac = -x
        for n in 2..<42 {
            xfac *= -x
            let coefficient = zeta[n - 2] * xfac / Double(n)
            result += coefficient
            if Swift.abs(coefficient) < machineEpsilon * Swift.abs(result) { break }
        }
        return result
    }

    /// ln Γ(1 + x), accurate near x = 0 and x = 1 (Cephes `lgam1p`).
    static func logGamma1p(_ x: Double) -> Double {
        if Swift.abs(x) <= 0.5 { return logGamma1pTaylor(x) }
        if Swift.abs(x - 1) < 0.5 { return log(x) + logGamma1pTaylor(x - 1) }
        return logGamma(x + 1)
    }
}
