#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SpecialFunctions {
    /// The survival function of the one-sided one-sample Kolmogorov–Smirnov statistic,
    /// `Pr(D⁺ₙ ≥ d)` (scipy `special.smirnov(n, d)`, = `ksone.sf(d, n)`).
    ///
    /// The Smirnov / Birnbaum–Tingey formula
    /// `Pr(D⁺ₙ ≥ d) = d · Σ_{v=0}^{⌊n(1−d)⌋} C(n, v) (d + v/n)^(v−1) (1 − d − v/n)^(n−v)`,
    /// summed in double-double arithmetic with a scaled binomial coefficient, from whichever end needs
    /// fewer terms, stopping once the remaining terms cannot change the sum (van Mulbregt 2018,
    /// arXiv:1802.06966, as implemented in scipy's `xsf`). Closed forms for `d ≤ 1/n` and `d ≥ 1 − 1/n`;
    /// for `n > 10⁶` the approximation `exp(−(6nd + 1)²/(18n))`.
    ///
    /// Up to 300 terms the sum is scipy's term-by-term double-double algorithm (results agree to the
    /// last bit or two). With more terms scipy's loop costs O(n) (≈ 1 µs per term: 40 ms at n = 50 000);
    /// here the terms are evaluated directly in Loader's saddle-point form and — when the end terms
    /// are negligible, as for every p-value `kstwoSurvival` asks for — the sum is computed as the
    /// integral of its smooth summand by adaptive Gauss–Kronrod quadrature
    /// (`SmirnovDistribution+LargeN.swift`); agreement with scipy ≤ 3e-13 relative (≤ 1e-15 for
    /// p-values above 1e-30).
    ///
    /// - Returns: a value in [0, 1]; NaN when `n < 1`, `d` is outside [0, 1] or NaN.
    /// - Cost: O(min(n, 300)) double-double terms, or 200–1 000 evaluations of a closed-form term
    ///   (≈ 20–80 µs) for larger n; O(n) cheap terms only when the first or last term is not
    ///   negligible (large p-values with n(1 − d) > 300). No allocation.
    public static func smirnovSurvival(_ d: Double, n: Int) -> Double {
        if d.isNaN { return .nan }
        return SmirnovDistribution.survival(n: n, x: d)
    }
}

/// One-sided Smirnov distribution kernel (a re-implementation of `xsf/cephes/kolmogorov.h`'s
/// `_smirnov`, survival function only). Internal.
enum SmirnovDistribution {
    static let maxComputeN = 1_000_000
    static let upperMaxTerms = 3
    static let upperSumMinN = 10
    static let maxExponent = 960

    static func survival(n: Int, x: Double) -> Double {
        if !(n > 0 && x >= 0.0 && x <= 1.0) { return .nan }
        if n == 1 { return 1 - x }
        if x == 0.0 { return 1.0 }
        if x == 1.0 { return 0.0 }

        // floor(n·x) and its remainder, exactly.
        let nxD = DoubleDouble.twoProduct(Double(n), x)
        let nxFloorD = nxD.floor()
        var alpha = (nxD - nxFloorD).hi
        var nxFloor = Int(nxFloorD.hi) + Int(nxFloorD.lo)
        if alpha == 1 {
            nxFloor += 1
            alpha = 0
        }
        var n1mxFloor = n - nxFloor - (alpha == 0 ? 0 : 1)
        var n1mxCeil = n - nxFloor
        if alpha == 0 {
            n1mxFloor -= 1
            n1mxCeil += 1
        }

        // x ≤ 1/n: Pr = 1 − x(1 + x)^(n−1).
        if nxFloor == 0 || (nxFloor == 1 && alpha == 0) {
            let t = power(DoubleDouble(1.0) + x, n - 1).value
            return 1 - x * t
        }
        // The survival function underflows.
        if Double(-2 * n) * x * x < Cephes.minLog { return 0 }
        // x ≥ 1 − 1/n: Pr = (1 − x)^n.
        if nxFloor >= n - 1 {
            return power(DoubleDouble(1.0) + (-x), n).value
        }
        if n > maxComputeN {
            let t = 6.0 * Double(n) * x + 1
            let logp = -(t * t) / 18.0 / Double(n)
            if logp < -M_LN2 { return exp(logp) }
            return 1 - (-expm1(logp))
        }

        let nUpperTerms = n - n1mxCeil + 1
        let useUpperSum = (nUpperTerms <= 1 && x < 0.5)
            || (n >= upperSumMinN && nUpperTerms <= upperMaxTerms && x <= 0.5 / Double(n).squareRoot())

        if !useUpperSum && n1mxFloor + 1 > largeTermCount {
            let sf = lowerSumLarge(n: n, x: x, last: n1mxFloor)
            return Swift.min(Swift.max(sf, 0.0), 1.0)
        }

        var start = 0
        var step = 1
        var termCount = n1mxFloor + 1
        var sum = DoubleDouble(0.0)
        var term: DoubleDouble
        if useUpperSum {
            start = n
            step = -1
            termCount = n - n1mxCeil + 1
            term = power((DoubleDouble(1.0) + x) / (DoubleDouble(1.0) + 0.0), n - 1)
        } else {
            term = power((DoubleDouble(1.0) + (-x)) / (DoubleDouble(1.0) + 0.0), n) / x
        }
        sum = sum + term

        var binomialMantissa = DoubleDouble(1.0)
        var binomialExponent = 0
        updateBinomial(&binomialMantissa, &binomialExponent, n: n, j: 0)
        let vMiddle = n / 2
        var j = 1
        while j < termCount {
            let v = start + j * step
            term = smirnovTerm(n: n, x: x, v: v, mantissa: binomialMantissa, exponent: binomialExponent)
            if term.isFinite && !term.equals(0.0) {
                sum = sum + term
            }
            if !term.equals(0.0) {
                if Double(4 * (termCount - j)) * Swift.abs(term.value) < Double.ulpOfOne * sum.value,
                   j != termCount - 1 {
                    break
                }
            } else if j > vMiddle {
                break
            }
            updateBinomial(&binomialMantissa, &binomialExponent, n: n, j: j)
            j += 1
        }
        let probability = (x * sum).value
        let sf = step < 0 ? 1 - probability : probability
        return Swift.min(Swift.max(sf, 0.0), 1.0)
    }

    /// C(n, j+1) from C(n, j) = mantissa·2^exponent, keeping the mantissa in [½, 1).
    static func updateBinomial(_ mantissa: inout DoubleDouble, _ exponent: inout Int, n: Int, j: Int) {
        let ratio = DoubleDouble(Double(n - j)) / (Double(j) + 1.0)
        let (m, e) = (mantissa * ratio).frexp()
        exponent += e
        mantissa = m
    }

    /// A_v = C(n, v)·(x + v/n)^(v−1)·(1 − x − v/n)^(n−v).
    static func smirnovTerm(n: Int, x: Double, v: Int, mantissa: DoubleDouble, exponent: Int) -> DoubleDouble {
        let t2x = DoubleDouble(Double(n - v)) / Double(n) - x
        let (t2, t2E) = scaledPower(t2x, n - v)
        let t1x = DoubleDouble(Double(v)) / Double(n) + x
        let (t1, t1E) = scaledPower(t1x, v - 1)
        let product = t1 * t2 * mantissa
        return product.scaled(by: exponent + t1E + t2E)
    }

    /// aᵐ for a double-double a: `pow(a.hi, m)` corrected for a.lo to first/second order, or by
    /// `expm1(m·log1p(lo/hi))` when the correction is large.
    static func power(_ a: DoubleDouble, _ m: Int) -> DoubleDouble {
        if m <= 0 {
            if m == 0 { return DoubleDouble(1.0) }
            return 1.0 / power(a, -m)
        }
        if a.equals(0.0) { return DoubleDouble(0.0) }
        let answer = pow(a.hi, Double(m))
        let r = a.lo / a.hi
        var adjustment = Double(m) * r
        if Swift.abs(adjustment) > 1e-8 {
            if Swift.abs(adjustment) < 1e-4 {
                adjustment += (Double(m) * r) * (Double(m - 1) / 2.0 * r)
            } else {
                adjustment = expm1(Double(m) * log1p(r))
            }
        }
        return DoubleDouble(answer) + answer * adjustment
    }

    /// (significand, exponent) of aᵐ, splitting the power so that no intermediate underflows.
    static func scaledPower(_ a: DoubleDouble, _ m: Int) -> (DoubleDouble, Int) {
        if m <= 0 {
            if m == 0 { return (DoubleDouble(1.0), 0) }
            let (inverse, e1) = scaledPower(a, -m)
            let (answer, e2) = (1.0 / inverse).frexp()
            return (answer, -e1 + e2)
        }
        let (y, yE) = a.frexp()
        if m == 1 { return (y, yE) }
        var maxExpt = maxExponent
        if Double(m) * (y.hi - 1) / y.hi < -Double(maxExponent) * M_LN2 {
            let lg2y = log(y.hi) / M_LN2
            let lgAnswer = Double(m) * lg2y
            if lgAnswer <= -Double(maxExponent) {
                maxExpt = Int(nextPowerOf2(-Double(maxExponent) / lg2y + 1) / 2)
            }
        }
        if m <= maxExpt {
            let (answer, e) = power(y, m).frexp()
            return (answer, e + m * yE)
        }
        let q = m / maxExpt
        let r = m % maxExpt
        let (y2r, y2rE) = scaledPower(y, r)
        let (y2m, y2mE) = scaledPower(y, maxExpt)
        let (y2mq, y2mqE) = scaledPower(y2m, q)
        let (answer, answerE) = (y2r * y2mq).frexp()
        return (answer, answerE + (y2mqE + y2mE * q) + y2rE + m * yE)
    }

    /// The power of two just above x (as `xsf`'s `nextPowerOf2`).
    static func nextPowerOf2(_ x: Double) -> Double {
        let q = scalbn(x, 1 - Double.significandBitCount - 1)
        var l = Swift.abs(q + x)
        if l == 0 {
            l = Swift.abs(x)
        } else if l < 0x1p62 {
            let lInt = Double(Int(l))
            if lInt == l { l = lInt }
        }
        return l
    }
}
