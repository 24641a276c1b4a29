#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SpecialFunctions {
    /// The standard normal distribution function `Φ(z) = ½·erfc(−z/√2)` (scipy `ndtr`, `norm.cdf`).
    ///
    /// Computed as Cephes does: `½ + ½·erf(z/√2)` when `|z/√2| < 1`, otherwise `½·erfc(|z|/√2)`,
    /// subtracted from 1 for positive z. Hence `1 − normalCDF(z)` is exactly what scipy users
    /// get from `1 - norm.cdf(z)` (it underflows to 0 for z ≳ 8.3; use `normalSurvival` for tails).
    ///
    /// - Returns: a value in [0, 1]; NaN for NaN.
    /// - Cost: one `erf`/`erfc`.
    public static func normalCDF(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        let x = z * 0.70710678118654752440  // z/√2 as Cephes: a * M_SQRT1_2
        let absX = Swift.abs(x)
        if absX < 1.0 {
            return 0.5 + 0.5 * erf(x)
        }
        let y = 0.5 * erfc(absX)
        return x > 0 ? 1.0 - y : y
    }

    /// The standard normal survival function `1 − Φ(z) = Φ(−z)` (scipy `norm.sf`), accurate in the
    /// upper tail (relative error ~1e-15 down to the underflow near z ≈ 38.5).
    ///
    /// - Returns: a value in [0, 1]; NaN for NaN.
    /// - Cost: one `erf`/`erfc`.
    public static func normalSurvival(_ z: Double) -> Double {
        normalCDF(-z)
    }
}
