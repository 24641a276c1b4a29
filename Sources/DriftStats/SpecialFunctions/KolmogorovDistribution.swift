#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SpecialFunctions {
    /// The survival function of the Kolmogorov limit distribution,
    /// `K̄(x) = Pr(√n·Dₙ > x) as n → ∞ = 2 Σ_{k≥1} (−1)^(k−1) e^(−2k²x²)` (scipy `special.kolmogorov`,
    /// = `kstwobign.sf`).
    ///
    /// For `x > 0.82` the alternating series above (4 terms suffice); below, the Jacobi-theta form
    /// `1 − (√(2π)/x) Σ_{k≥1} e^(−(2k−1)²π²/(8x²))` (3 terms), so both tails are accurate.
    ///
    /// - Returns: a value in [0, 1]; 1 for `x ≤ 0`, NaN for NaN.
    /// - Cost: O(1), a few `exp`/`pow`; no allocation.
    public static func kolmogorovSurvival(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 1.0 }
        // Below π/√(746·8) every exp() underflows: the distribution function is 0.
        if x <= Double.pi / (746.0 * 8.0).squareRoot() { return 1.0 }
        var p = 1.0
        let sf: Double
        if x <= 0.82 {
            let w = (2 * Double.pi).squareRoot() / x
            let logU8 = -Double.pi * Double.pi / (x * x)
            let u = exp(logU8 / 8)
            if u == 0 {
                p = exp(logU8 / 8 + log(w))
            } else {
                let u8 = exp(logU8)
                let u8Cubed = pow(u8, 3)
                p = 1 + u8Cubed * p
                p = 1 + u8 * u8 * p
                p = 1 + u8 * p
                p = w * u * p
            }
            sf = 1 - p
        } else {
            let v = exp(-2 * x * x)
            let vSquared = v * v
            let v3 = pow(v, 3)
            p = 1 - (v3 * v3 * v) * p
            p = 1 - (v3 * vSquared) * p
            p = 1 - v3 * p
            sf = 2 * v * p
        }
        return Swift.min(Swift.max(sf, 0.0), 1.0)
    }

    /// The survival function of the exact two-sided one-sample Kolmogorov–Smirnov statistic,
    /// `Pr(Dₙ ≥ d)` with `Dₙ = sup|Fₙ − F|` (scipy `stats.kstwo.sf(d, n)`).
    ///
    /// Follows scipy's `_kolmogn` (Simard & L'Ecuyer 2011) branch by branch:
    /// Ruben–Gambino closed forms for `nd ≤ 1` and `nd ≥ n − 1`; `2·smirnov(n, d)` for `d ≥ ½`;
    /// for `n ≤ 140`: the Durbin matrix (Marsaglia–Tsang–Wang) when `nd² ≤ 0.754693`, Pomeranz'
    /// recursion when `nd² ≤ 4`, else `2·smirnov`; for `n > 140`: 0 when `nd² ≥ 370`, `2·smirnov` when
    /// `nd² ≥ 2.2`, else the Durbin matrix when `n ≤ 100000` and `n·d^1.5 ≤ 1.4`, else Pelz–Good.
    ///
    /// Two deliberate departures, for speed, both far below the tolerance of any use of the p-value:
    /// the Smirnov sum for large n is computed by quadrature (see `smirnovSurvival`, ≤ 3e-13 relative),
    /// and for n > 140 the Durbin matrix is used only up to order ⌈nd⌉ = 20, Pelz–Good beyond (there the
    /// distribution function is < 5e-6 and the survival function changes by at most ~5e-11 absolute,
    /// ~1e-16 for n ≥ 50 000).
    ///
    /// - Returns: a value in [0, 1]: 1 for `d ≤ 1/(2n)`, 0 for `d ≥ 1`; NaN when `n < 1` or `d` is NaN.
    /// - Cost: for n > 140 at most ~100 µs (Smirnov quadrature ≈ 20–80 µs; Durbin matrix of order ≤ 39
    ///   ≈ 0.3 ms worst; Pelz–Good O(√n·d)); for n ≤ 140 at most O(n²) (Pomeranz, ≤ 0.2 ms). The
    ///   Durbin and Pomeranz branches allocate small arrays; the others do not allocate.
    public static func kstwoSurvival(_ d: Double, n: Int) -> Double {
        if n < 1 || d.isNaN { return .nan }
        if d <= 0.5 / Double(n) { return 1.0 }
        if d >= 1.0 { return 0.0 }
        return KolmogorovDistribution.survival(n: n, x: d)
    }

    /// The distribution function `Pr(Dₙ ≤ d)` of the exact two-sided one-sample statistic
    /// (scipy `stats.kstwo.cdf(d, n)`), with scipy's branch choice: like `kstwoSurvival`, except that
    /// for n > 140 and `nd² < 18` it uses the Durbin matrix (n ≤ 100000, `n·d^1.5 ≤ 1.4`, whatever its
    /// size: up to ~10 ms) or Pelz–Good, and 1 beyond — so `cdf + sf ≠ 1` in places, as in scipy.
    public static func kstwoDistribution(_ d: Double, n: Int) -> Double {
        if n < 1 || d.isNaN { return .nan }
        if d <= 0.5 / Double(n) { return 0.0 }
        if d >= 1.0 { return 1.0 }
        return KolmogorovDistribution.distribution(n: n, x: d)
    }
}

/// scipy's `_kolmogn` and its algorithms (`scipy/stats/_ksstats.py`), re-implemented. Internal.
enum KolmogorovDistribution {
    static let scale128 = 0x1p128
    static let inverseScale128 = 0x1p-128

    @inline(__always)
    static func clip(_ p: Double) -> Double {
        p.isNaN ? p : Swift.min(Swift.max(p, 0.0), 1.0)
    }

    /// `Pr(Dₙ ≥ x)` for `0 < x < 1`.
    static func survival(n: Int, x: Double) -> Double {
        if x >= 1.0 { return 0.0 }
        if x <= 0.0 { return 1.0 }
        let t = Double(n) * x
        if t <= 1.0 {
            if t <= 0.5 { return 1.0 }
            return clip(1.0 - rubenGambinoLower(n: n, t: t))
        }
        if t >= Double(n - 1) {
            return clip(2 * pow(1.0 - x, Double(n)))
        }
        if x >= 0.5 {
            return clip(2 * SmirnovDistribution.survival(n: n, x: x))
        }
        let nxSquared = t * x
        if n <= 140 {
            if nxSquared <= 0.754693 {
                return clip(1.0 - clip(durbinMatrix(n: n, d: x)))
            }
            if nxSquared <= 4 {
                return clip(1.0 - clip(pomeranz(n: n, x: x)))
            }
            return clip(2 * SmirnovDistribution.survival(n: n, x: x))
        }
        if nxSquared >= 370.0 { return 0.0 }
        if nxSquared >= 2.2 {
            return clip(2 * SmirnovDistribution.survival(n: n, x: x))
        }
        let cdf: Double
        if nxSquared >= 18.0 {
            cdf = 1.0
        } else if n <= 100_000, Double(n) * pow(x, 1.5) <= 1.4, useDurbinMatrix(n: n, x: x) {
            cdf = clip(durbinMatrix(n: n, d: x))
        } else {
            cdf = pelzGood(n: n, x: x)
        }
        return clip(1.0 - cdf)
    }

    /// `Pr(Dₙ ≤ x)`.
    static func distribution(n: Int, x: Double) -> Double {
        if x >= 1.0 { return 1.0 }
        if x <= 0.0 { return 0.0 }
        let t = Double(n) * x
        if t <= 1.0 {
            if t <= 0.5 { return 0.0 }
            return clip(rubenGambinoLower(n: n, t: t))
        }
        if t >= Double(n - 1) {
            return clip(1 - 2 * pow(1.0 - x, Double(n)))
        }
        if x >= 0.5 {
            return clip(1.0 - 2 * SmirnovDistribution.survival(n: n, x: x))
        }
        let nxSquared = t * x
        if n <= 140 {
            if nxSquared <= 0.754693 { return clip(durbinMatrix(n: n, d: x)) }
            if nxSquared <= 4 { return clip(pomeranz(n: n, x: x)) }
            return clip(1.0 - 2 * SmirnovDistribution.survival(n: n, x: x))
        }
        if nxSquared >= 18.0 { return 1.0 }
        if n <= 100_000, Double(n) * pow(x, 1.5) <= 1.4 {
            return clip(durbinMatrix(n: n, d: x))
        }
        return clip(pelzGood(n: n, x: x))
    }

    /// The largest ⌈nx⌉ for which the Durbin matrix (size 2⌈nx⌉ − 1) is used when n > 140.
    static let maximumDurbinOrder = 20

    /// Whether the survival function follows scipy into the Durbin matrix for n > 140
    /// (`n·x^1.5 ≤ 1.4`; the distribution function always does). scipy does so for
    /// ⌈nx⌉ up to 1.25·n^(1/3) (k = 46 at n = 50 000: 24 products of 91×91 matrices, ~10 ms). Here
    /// the matrix is used only for ⌈nx⌉ ≤ 20; beyond, Pelz–Good is used instead. This regime is the far
    /// lower tail (z = x√n < 1.25 n^(−1/6)), where the distribution function is tiny and Pelz–Good
    /// differs from the Durbin value by at most ~5e-11 absolute (n ≈ 4 000–6 000), ~5e-13 at n = 10⁴,
    /// ~1e-16 for n ≥ 5·10⁴; the survival function ≈ 1 is affected only in those digits.
    static func useDurbinMatrix(n: Int, x: Double) -> Bool {
        (Double(n) * x).rounded(.up) <= Double(maximumDurbinOrder)
    }

    /// Ruben–Gambino: `Pr(Dₙ ≤ t/n) = n!/nⁿ (2t − 1)ⁿ` for `½ < t ≤ 1`.
    static func rubenGambinoLower(n: Int, t: Double) -> Double {
        if n <= 140 {
            let inverseN = 1.0 / Double(n)
            let factor = 2 * t - 1
            var product = 1.0
            for i in 1...n { product *= (Double(i) * inverseN) * factor }
            return product
        }
        return exp(logFactorialOverPower(n) + Double(n) * log(2 * t - 1))
    }

    static let stirlingCoefficients: [Double] = [
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
        8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
        -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ]

    /// ln(n!/nⁿ) by Stirling's series.
    static func logFactorialOverPower(_ n: Int) -> Double {
        let nd = Double(n)
        let rn = 1.0 / nd
        let x = rn / nd
        var poly = 0.0
        for c in stirlingCoefficients { poly = poly * x + c }
        return log(nd) / 2 - nd + log(2 * Double.pi) / 2 + rn * poly
    }

    // MARK: Durbin matrix (Marsaglia, Tsang & Wang 2003)

    /// `Pr(Dₙ ≤ d) = n!/nⁿ · (Hⁿ)_{kk}` with the (2k−1)×(2k−1) Durbin matrix H, k = ⌈nd⌉, computed by
    /// repeated squaring with explicit power-of-two exponent tracking.
    static func durbinMatrix(n: Int, d: Double) -> Double {
        if d >= 1.0 { return 1.0 }
        let nd = Double(n) * d
        if nd <= 0.5 { return 0.0 }
        let k = Int(nd.rounded(.up))
        let h = Double(k) - nd
        let m = 2 * k - 1

        var v = [Double](repeating: 0, count: m)
        var w = [Double](repeating: 0, count: m)
        var fac = 1.0
        for j in 1...m {
            w[j - 1] = fac
            fac /= Double(j)
            v[j - 1] = (1.0 - pow(h, Double(j))) * fac
        }
        let tt = pow(Swift.max(2 * h - 1.0, 0), Double(m)) - 2 * pow(h, Double(m))
        v[m - 1] = (1.0 + tt) * fac

        var hMatrix = [Double](repeating: 0, count: m * m)
        for i in 1..<Swift.max(m, 1) {
            // H[i-1:, i] = w[:m-i+1]
            for r in (i - 1)..<m { hMatrix[r * m + i] = w[r - (i - 1)] }
        }
        for r in 0..<m { hMatrix[r * m] = v[r] }
        for c in 0..<m { hMatrix[(m - 1) * m + c] = v[m - 1 - c] }

        // e_kᵀ Hⁿ e_k by binary powering; the row vector e_kᵀ·(powers applied so far) replaces
        // scipy's full product matrix (same value, m² instead of m³ work per set bit).
        var row = [Double](repeating: 0, count: m)
        row[k - 1] = 1
        var nextRow = [Double](repeating: 0, count: m)
        var scratch = [Double](repeating: 0, count: m * m)
        var exponent = 0
        var hExponent = 0
        var remaining = n
        while remaining > 0 {
            if remaining % 2 == 1 {
                multiplyRow(row, hMatrix, into: &nextRow, size: m)
                swap(&row, &nextRow)
                exponent += hExponent
            }
            remaining /= 2
            if remaining == 0 { break }  // the last squaring would not be used
            multiply(hMatrix, hMatrix, into: &scratch, size: m)
            swap(&hMatrix, &scratch)
            hExponent *= 2
            if Swift.abs(hMatrix[(k - 1) * m + (k - 1)]) > scale128 {
                for i in 0..<(m * m) { hMatrix[i] /= scale128 }
                hExponent += 128
            }
        }
        var p = row[k - 1]
        let nd0 = Double(n)
        for i in 1...n {
            p = Double(i) * p / nd0
            if Swift.abs(p) < inverseScale128 {
                p *= scale128
                exponent -= 128
            }
        }
        if exponent != 0 { p = scalbn(p, exponent) }
        return p
    }

    /// out = row·b for a row vector and an m×m row-major matrix.
    static func multiplyRow(_ row: [Double], _ b: [Double], into out: inout [Double], size m: Int) {
        row.withUnsafeBufferPointer { row in
            b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { out in
                    for j in 0..<m { out[j] = 0 }
                    for l in 0..<m {
                        let rl = row[l]
                        if rl == 0 { continue }
                        let bRow = l * m
                        for j in 0..<m { out[j] += rl * b[bRow + j] }
                    }
                }
            }
        }
    }

    /// c = a·b for m×m row-major matrices.
    static func multiply(_ a: [Double], _ b: [Double], into c: inout [Double], size m: Int) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for i in 0..<m {
                        let row = i * m
                        for j in 0..<m { c[row + j] = 0 }
                        for l in 0..<m {
                            let ail = a[row + l]
                            if ail == 0 { continue }
                            let bRow = l * m
                            for j in 0..<m { c[row + j] += ail * b[bRow + j] }
                        }
                    }
                }
            }
        }
    }

    // MARK: Pomeranz (1974)

    static func pomeranzBounds(_ i: Int, n: Int, ll: Int, ceilF: Int, roundF: Int) -> (Int, Int) {
        var j1: Int
        var j2: Int
        if i == 0 {
            j1 = -ll - ceilF - 1
            j2 = ll + ceilF - 1
        } else {
            let half = (i + 1) / 2
            if (i + 1) % 2 == 0 {  // i odd
                if half == n + 1 {
                    j1 = n - ll - ceilF - 1
                    j2 = n + ll + ceilF - 1
                } else {
                    j1 = half - 1 - ll - roundF - 1
                    j2 = half + ll - 1 + ceilF - 1
                }
            } else {
                j1 = half - 1 - ll - 1
                j2 = half + ll + roundF - 1
            }
        }
        return (Swift.max(j1 + 2, 0), Swift.min(j2, n))
    }

    /// `Pr(Dₙ ≤ x)` by Pomeranz' recursion: 2n + 1 convolution steps with truncated power tables.
    static func pomeranz(n: Int, x: Double) -> Double {
        let t = Double(n) * x
        let ll = Int(t.rounded(.down))
        let f = t - Double(ll)
        let g = Swift.min(f, 1.0 - f)
        let ceilF = f > 0 ? 1 : 0
        let roundF = f > 0.5 ? 1 : 0
        let powerCount = 2 * (ll + 1)
        let nd = Double(n)
        var gPower = [Double](repeating: 1, count: powerCount)
        var twoGPower = [Double](repeating: 1, count: powerCount)
        var oneMinusTwoGPower = [Double](repeating: 1, count: powerCount)
        let gOverN = g / nd
        let twoGOverN = 2 * g / nd
        let oneMinusTwoGOverN = (1 - 2 * g) / nd
        for m in 1..<Swift.max(powerCount, 1) {
            gPower[m] = gPower[m - 1] * gOverN / Double(m)
            twoGPower[m] = twoGPower[m - 1] * twoGOverN / Double(m)
            oneMinusTwoGPower[m] = oneMinusTwoGPower[m - 1] * oneMinusTwoGOverN / Double(m)
        }
        var v0 = [Double](repeating: 0, count: powerCount)
        var v1 = [Double](repeating: 0, count: powerCount)
        v1[0] = 1
        var v0Start = 0
        var v1Start = 0
        var exponent = 0
        var (j1, j2) = pomeranzBounds(0, n: n, ll: ll, ceilF: ceilF, roundF: roundF)
        for i in 1..<(2 * n + 2) {
            let k1 = j1
            swap(&v0, &v1)
            swap(&v0Start, &v1Start)
            for index in 0..<powerCount { v1[index] = 0 }
            (j1, j2) = pomeranzBounds(i, n: n, ll: ll, ceilF: ceilF, roundF: roundF)
            let powers: [Double]
            if i == 1 || i == 2 * n + 1 {
                powers = gPower
            } else {
                powers = i % 2 == 1 ? twoGPower : oneMinusTwoGPower
            }
            let ln2 = j2 - k1 + 1
            if ln2 > 0 {
                // conv = convolve(V0[k1 - V0s ..< k1 - V0s + ln2], powers[..<ln2]); keep conv[j1-k1 ..< j2-k1+1].
                let aStart = k1 - v0Start
                let aCount = Swift.max(0, Swift.min(ln2, powerCount - aStart))
                let vCount = Swift.min(ln2, powerCount)
                let convStart = j1 - k1
                let convCount = j2 - j1 + 1
                var maximum = -Double.infinity
                for out in 0..<powerCount {
                    if out < convCount {
                        let index = convStart + out
                        var sum = 0.0
                        let lower = Swift.max(0, index - (vCount - 1))
                        let upper = Swift.min(aCount - 1, index)
                        if lower <= upper {
                            for s in lower...upper { sum += v0[aStart + s] * powers[index - s] }
                        }
                        v1[out] = sum
                    }
                    maximum = Swift.max(maximum, v1[out])
                }
                if maximum > 0, maximum < inverseScale128 {
                    for index in 0..<powerCount { v1[index] *= scale128 }
                    exponent -= 128
                }
                v1Start = v0Start + j1 - k1
            }
        }
        var answer = v1[n - v1Start]
        for m in 1...n {
            if Swift.abs(answer) > scale128 {
                answer *= inverseScale128
                exponent += 128
            }
            answer *= Double(m)
        }
        if exponent != 0 { answer = scalbn(answer, exponent) }
        return answer
    }

    // MARK: Pelz–Good (1976)

    /// The Pelz–Good approximation `Pr(Dₙ ≤ x) ≈ K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^1.5`, z = x√n,
    /// with each Kᵢ written through Jacobi theta functions for small z.
    static func pelzGood(n: Int, x: Double) -> Double {
        if x <= 0.0 { return 0.0 }
        if x >= 1.0 { return 1.0 }
        let nd = Double(n)
        let z = nd.squareRoot() * x
        let zSquared = pow(z, 2)
        let zThree = pow(z, 3)
        let zFour = pow(z, 4)
        let zSix = pow(z, 6)
        let piSquared = pow(Double.pi, 2)
        let piFour = pow(Double.pi, 4)
        let piSix = pow(Double.pi, 6)
        let sqrt2Pi = (2 * Double.pi).squareRoot()

        let qLog = -piSquared / 8 / zSquared
        if qLog < -708 { return 0.0 }
        var q = exp(qLog)
        let k1a = -zSquared
        let k1b = piSquared / 4
        let k2a = 6 * zSix + 2 * zFour
        let k2b = (2 * zFour - 5 * zSquared) * piSquared / 4
        let k2c = piFour * (1 - 2 * zSquared) / 16
        let k3d = piSix * (5 - 30 * zSquared) / 64
        let k3c = piFour * (-60 * zSquared + 212 * zFour) / 16
        let k3b = piSquared * (135 * zFour - 96 * zSix) / 4
        let k3a = -30 * zSix - 90 * pow(z, 8)

        var k0 = 0.0, k1 = 0.0, k2 = 0.0, k3 = 0.0
        let maxK = Int((16 * z / Double.pi).rounded(.up))
        if maxK >= 1 {
            for k in stride(from: maxK, through: 1, by: -1) {
                let m = Double(2 * k - 1)
                let mSquared = m * m
                let mFour = mSquared * mSquared
                let mSix = mFour * mSquared
                let qPower = pow(q, Double(8 * k))
                k0 = k0 * qPower + 1.0
                k1 = k1 * qPower + (k1a + k1b * mSquared)
                k2 = k2 * qPower + (k2a + k2b * mSquared + k2c * mFour)
                k3 = k3 * qPower + (k3a + k3b * mSquared + k3c * mFour + k3d * mSix)
            }
        }
        k0 = k0 * q * sqrt2Pi / z
        k1 = k1 * q * sqrt2Pi / (6 * zFour)
        k2 = k2 * q * sqrt2Pi / (72 * pow(z, 7))
        k3 = k3 * q * sqrt2Pi / (6480 * pow(z, 10))

        q = exp(-piSquared / 2 / zSquared)
        let sqrt3z = 3.0.squareRoot() * z
        var k2Terms = [Double]()
        var k3Terms = [Double]()
        k2Terms.reserveCapacity(Swift.max(maxK, 0))
        k3Terms.reserveCapacity(Swift.max(maxK, 0))
        if maxK >= 1 {
            for k in stride(from: maxK, through: 1, by: -1) {
                let kSquared = Double(k * k)
                let kPi = Double.pi * Double(k)
                let qPower = pow(q, kSquared)
                k2Terms.append(kSquared * qPower)
                k3Terms.append((sqrt3z + kPi) * (sqrt3z - kPi) * kSquared * qPower)
            }
        }
        k2 += NumpySum.pairwise(k2Terms) * (piSquared * sqrt2Pi / (-36 * zThree))
        k3 += NumpySum.pairwise(k3Terms) * (piSquared * sqrt2Pi / (216 * zSix))

        k1 /= pow(nd, 0.5)
        k2 /= pow(nd, 1.0)
        k3 /= pow(nd, 1.5)
        return ((k0 + k1) + k2) + k3
    }
}

/// numpy's summation order for `np.sum` of a contiguous float64 array: pairwise, with 8-way
/// unrolled blocks of up to 128 elements (`pairwise_sum_DOUBLE`). Bit-identical results matter when
/// reproducing scipy's statistics. Internal.
enum NumpySum {
    static func pairwise(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { pairwise($0) }
    }

    static func pairwise(_ a: UnsafeBufferPointer<Double>) -> Double {
        let n = a.count
        if n < 8 {
            var result = 0.0
            for i in 0..<n { result += a[i] }
            return result
        }
        if n <= 128 {
            var r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3]
            var r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7]
            var i = 8
            let end = n - n % 8
            while i < end {
                r0 += a[i]
                r1 += a[i + 1]
                r2 += a[i + 2]
                r3 += a[i + 3]
                r4 += a[i + 4]
                r5 += a[i + 5]
                r6 += a[i + 6]
                r7 += a[i + 7]
                i += 8
            }
            var result = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n {
                result += a[i]
                i += 1
            }
            return result
        }
        var half = n / 2
        half -= half % 8
        return pairwise(UnsafeBufferPointer(rebasing: a[0..<half]))
            + pairwise(UnsafeBufferPointer(rebasing: a[half..<n]))
    }
}
