#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Internal numerics shared by the binned divergences (PSI, JS, KL, Hellinger) and Wasserstein.
enum DivergenceMath {
    /// Neumaier-compensated running sum of finite values: the error is about one ulp of the result,
    /// independent of the number of terms (numpy's pairwise `np.sum` is within O(log n) ulps, so the two
    /// agree to ~1e-15 relative).
    struct NeumaierSum {
        var sum = 0.0
        var compensation = 0.0

        @inline(__always)
        mutating func add(_ x: Double) {
            let t = sum + x
            if Swift.abs(sum) >= Swift.abs(x) {
                compensation += (sum - t) + x
            } else {
                compensation += (x - t) + sum
            }
            sum = t
        }

        var value: Double { sum + compensation }
    }

    /// Sum of values that may include ±∞ or NaN: finite terms are summed with compensation, and any
    /// non-finite term decides the result as in plain IEEE addition (∞ + (−∞) = NaN, NaN propagates).
    struct Total {
        private var finite = NeumaierSum()
        private var special = 0.0

        @inline(__always)
        mutating func add(_ x: Double) {
            if x.isFinite { finite.add(x) } else { special += x }
        }

        var value: Double { special == 0 ? finite.value : special }
    }

    /// Compensated sum of an array (see `Total`). O(n).
    static func total(_ values: [Double]) -> Double {
        var s = Total()
        for v in values { s.add(v) }
        return s.value
    }

    /// `w / Σw` (compensated Σ), as scipy's `p / np.sum(p)`. A zero total gives NaN (0/0) entries. O(n).
    static func normalised(_ weights: [Double]) -> [Double] {
        let t = total(weights)
        return weights.map { $0 / t }
    }

    /// `scipy.special.rel_entr(x, y)`: `x·ln(x/y)` for x > 0, y > 0; 0 for x = 0, y ≥ 0; +∞ otherwise;
    /// NaN if either is NaN.
    @inline(__always)
    static func relativeEntropy(_ x: Double, _ y: Double) -> Double {
        if x.isNaN || y.isNaN { return .nan }
        if x > 0 && y > 0 { return x * log(x / y) }
        if x == 0 && y >= 0 { return 0 }
        return .infinity
    }
}
