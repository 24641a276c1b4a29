#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// scipy 1.17.1's exact two-sample p-values (`_attempt_exact_2kssamp` and its helpers in
/// `scipy/stats/_stats_py.py` / `_stats_pythran.py`), re-implemented with the same operation order so
/// that the results — and the cases where scipy gives up and falls back to the asymptotic formula —
/// agree. Internal.
///
/// Lattice-path view (Hodges 1958): a pooled ordering is a monotone path from (0, 0) to (n₁, n₂); the
/// statistic is ≥ h/lcm iff the path touches the line(s) `|x/n₁ − y/n₂| = h/lcm`.
enum ExactKolmogorovSmirnov {
    /// Pr(D ≥ h/lcm) under H₀ (all orderings equally likely), or nil when scipy's computation fails
    /// (floating-point overflow / invalid operation, or a result outside [0, 1]) and scipy switches to
    /// the asymptotic method.
    static func probability(n1: Int, n2: Int, g: Int, h: Int, alternative: KolmogorovSmirnov.Alternative)
        -> Double?
    {
        if h == 0 { return 1.0 }
        let p: Double
        if alternative == .twoSided {
            if n1 == n2 {
                p = probabilityOutsideSquare(n: n1, h: h)
            } else {
                p = outerProbabilityInside(m: n1, n: n2, g: g, h: h)
            }
        } else {
            if n1 == n2 {
                // binom(2n, n−h)/binom(2n, n) as a product of h ratios (np.prod: sequential).
                var product = 1.0
                let n = Double(n1)
                for j in 0..<h {
                    let jd = Double(j)
                    product *= (n - jd) / (n + jd + 1.0)
                }
                p = product
            } else {
                guard let paths = countPathsOutside(m: n1, n: n2, g: g, h: h) else { return nil }
                let total = Binomial.coefficient(Double(n1 + n2), Double(n1))
                if total.isInfinite || total.isNaN || paths > total { return nil }
                p = paths / total
            }
        }
        if !(0 <= p && p <= 1) { return nil }
        return p
    }

    /// Pr(D_{n,n} ≥ h/n) = 2 Σ_{k≥1} (−1)^(k−1) C(2n, n − kh)/C(2n, n), evaluated Horner-like from the
    /// last term: `P = 2·A₀(1 − A₁(1 − A₂(…)))` with each ratio a product of h simple factors.
    /// Cost: O(n + h).
    static func probabilityOutsideSquare(n: Int, h: Int) -> Double {
        var p = 0.0
        var k = Int((Double(n) / Double(h)).rounded(.down))
        while k >= 0 {
            var p1 = 1.0
            for j in 0..<h {
                p1 = Double(n - k * h - j) * p1 / Double(n + k * h + j + 1)
            }
            p = p1 * (1.0 - p)
            k -= 1
        }
        return 2 * p
    }

    /// 1 − Pr(path stays strictly inside |nx/g − my/g| < h), by the column recursion of the "inside
    /// method" rewritten for the complement (Viehmann 2021, arXiv:2102.08037), with a sliding window
    /// of one column. Cost: O(max(m, n) · window), window ≈ 2h/(max(m,n)/g) + 1; O(window) memory.
    static func outerProbabilityInside(m mIn: Int, n nIn: Int, g: Int, h: Int) -> Double {
        let m = Swift.max(mIn, nIn)
        let n = Swift.min(mIn, nIn)
        let mg = m / g
        let ng = n / g
        let dmg = Double(mg)
        var minj = 0
        var maxj = Swift.min(Int((Double(h) / dmg).rounded(.up)), n + 1)
        var curlen = maxj - minj
        let lenA = Swift.min(2 * maxj + 2, n + 1)
        var column = [Double](repeating: 1.0, count: lenA)
        return column.withUnsafeMutableBufferPointer { a -> Double in
            for index in minj..<maxj { a[index] = 0.0 }
            for i in 1...m {
                let lastMinj = minj
                let lastLen = curlen
                minj = Swift.max(Int((Double(ng * i - h) / dmg).rounded(.down)) + 1, 0)
                minj = Swift.min(minj, n)
                maxj = Swift.min(Int((Double(ng * i + h) / dmg).rounded(.up)), n + 1)
                if maxj <= minj { return 1.0 }
                var value = minj == 0 ? 0.0 : 1.0
                let di = Double(i)
                let offset = minj - lastMinj
                for jj in 0..<(maxj - minj) {
                    let j = jj + minj
                    value = (a[jj + offset] * di + value * Double(j)) / Double(i + j)
                    a[jj] = value
                }
                curlen = maxj - minj
                if lastLen > curlen {
                    let upper = Swift.min(maxj - minj + (lastLen - curlen), lenA)
                    var index = maxj - minj
                    while index < upper {
                        a[index] = 1
                        index += 1
                    }
                }
            }
            return a[maxj - minj - 1]
        }
    }

    /// The number of lattice paths from (0, 0) to (m, n) that reach `m·y ≤ n·x − h·g` somewhere
    /// (Hodges' treatment of Drion / Gnedenko / Korolyuk), as a double; nil when the computation
    /// overflows or produces NaN (scipy runs it under `np.errstate(over='raise', invalid='raise')`).
    /// Cost: O(lxj²) binomial coefficients, lxj ≤ min(m, n).
    static func countPathsOutside(m mIn: Int, n nIn: Int, g: Int, h: Int) -> Double? {
        let m = Swift.max(mIn, nIn)
        let n = Swift.min(mIn, nIn)
        let mg = m / g
        let ng = n / g
        // Python floor division of (mg − h) by mg.
        let lxj = n + floorDivide(mg - h, mg)
        if lxj <= 0 {
            let total = Binomial.coefficient(Double(m + n), Double(n))
            return total.isFinite ? total : nil
        }
        var xj = [Int](repeating: 0, count: lxj)
        for j in 0..<lxj { xj[j] = floorDivide(h + mg * j + ng - 1, ng) }
        var b = [Double](repeating: 0, count: lxj)
        b[0] = 1
        for j in 1..<Swift.max(lxj, 1) {
            var bj = Binomial.coefficient(Double(xj[j] + j), Double(j))
            if !bj.isFinite { return nil }
            for i in 0..<j {
                let bin = Binomial.coefficient(Double(xj[j] - xj[i] + j - i), Double(j - i))
                let product = bin * b[i]
                if !bin.isFinite || !product.isFinite { return nil }
                bj -= product
                if !bj.isFinite { return nil }
            }
            b[j] = bj
        }
        var paths = 0.0
        for j in 0..<lxj {
            let bin = Binomial.coefficient(Double((m - xj[j]) + (n - j)), Double(n - j))
            let term = b[j] * bin
            if !bin.isFinite || !term.isFinite { return nil }
            paths += term
            if !paths.isFinite { return nil }
        }
        return paths
    }

    @inline(__always)
    static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }
}

/// Binomial coefficients as scipy's `special.binom` computes them for non-negative integer
/// arguments (`xsf/binom.h`): the multiplicative formula when `min(k, n − k) < 20`, otherwise
/// `1/((n + 1)·B(n − k + 1, k + 1))` with Cephes' Beta function (Γ products for small arguments,
/// `exp` of log-Gamma sums beyond 171.6, an asymptotic expansion when one argument dominates).
/// Internal.
enum Binomial {
    static func coefficient(_ n: Double, _ k: Double) -> Double {
        if k < 0 || k > n { return 0 }
        var kx = k.rounded(.down)
        if k == kx && (Swift.abs(n) > 1e-8 || n == 0) {
            let nx = n.rounded(.down)
            if nx == n && kx > nx / 2 && nx > 0 { kx = nx - kx }
            if kx >= 0 && kx < 20 {
                var num = 1.0
                var den = 1.0
                var i = 1
                while i < 1 + Int(kx) {
                    num *= Double(i) + n - kx
                    den *= Double(i)
                    if Swift.abs(num) > 1e50 {
                        num /= den
                        den = 1.0
                    }
                    i += 1
                }
                return num / den
            }
        }
        if n >= 1e10 * k && k > 0 {
            return exp(-logBeta(1 + n - k, 1 + k) - log(n + 1))
        }
        return 1 / (n + 1) / beta(1 + n - k, 1 + k)
    }

    static let asymptoticFactor = 1e6

    /// ln B(a, b) − for a ≫ b (a > 10⁶·b): ln Γ(b) − b ln a + corrections.
    static func logBetaAsymptotic(_ a: Double, _ b: Double) -> Double {
        var r = Cephes.logGamma(b)
        r -= b * log(a)
        r += b * (1 - b) / (2 * a)
        r += b * (1 - b) * (1 - 2 * b) / (12 * a * a)
        r += -b * b * (1 - b) * (1 - b) / (12 * a * a * a)
        return r
    }

    /// B(a, b) for a, b ≥ 1 (Cephes `beta`).
    static func beta(_ aIn: Double, _ bIn: Double) -> Double {
        var a = aIn
        var b = bIn
        if Swift.abs(a) < Swift.abs(b) { swap(&a, &b) }
        if Swift.abs(a) > asymptoticFactor * Swift.abs(b) && a > asymptoticFactor {
            return exp(logBetaAsymptotic(a, b))
        }
        let y = a + b
        if Swift.abs(y) > Cephes.maxGamma || Swift.abs(a) > Cephes.maxGamma || Swift.abs(b) > Cephes.maxGamma {
            var value = Cephes.logGamma(y)
            value = Cephes.logGamma(b) - value
            value = Cephes.logGamma(a) + value
            if value > Cephes.maxLog { return .infinity }
            return exp(value)
        }
        let reciprocal = 1 / tgamma(y)
        let gammaA = tgamma(a)
        let gammaB = tgamma(b)
        if reciprocal.isInfinite { return .infinity }
        if Swift.abs(Swift.abs(gammaA * reciprocal) - 1.0) > Swift.abs(Swift.abs(gammaB * reciprocal) - 1.0) {
            return (gammaB * reciprocal) * gammaA
        }
        return (gammaA * reciprocal) * gammaB
    }

    /// ln B(a, b) for a, b ≥ 1 (Cephes `lbeta`).
    static func logBeta(_ aIn: Double, _ bIn: Double) -> Double {
        var a = aIn
        var b = bIn
        if Swift.abs(a) < Swift.abs(b) { swap(&a, &b) }
        if Swift.abs(a) > asymptoticFactor * Swift.abs(b) && a > asymptoticFactor {
            return logBetaAsymptotic(a, b)
        }
        let y = a + b
        if Swift.abs(y) > Cephes.maxGamma || Swift.abs(a) > Cephes.maxGamma || Swift.abs(b) > Cephes.maxGamma {
            return Cephes.logGamma(a) + (Cephes.logGamma(b) - Cephes.logGamma(y))
        }
        return log(Swift.abs(beta(a, b)))
    }
}
