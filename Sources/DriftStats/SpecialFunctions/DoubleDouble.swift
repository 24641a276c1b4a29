#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An unevaluated sum `hi + lo` of two doubles with |lo| ≤ ½ulp(hi): about 106 significant bits.
///
/// Used by the one-sided Smirnov distribution, whose terms raise numbers near 1 to powers in the
/// tens of thousands (scipy's `xsf` uses the same representation there). Only the operations that
/// code needs are provided; all are the classical error-free transformations (Dekker, Knuth, with a
/// fused multiply-add for the exact product). Internal.
struct DoubleDouble: Sendable, Equatable {
    var hi: Double
    var lo: Double

    @inline(__always)
    init(_ hi: Double, _ lo: Double = 0) {
        self.hi = hi
        self.lo = lo
    }

    /// hi + lo rounded to a double.
    @inline(__always)
    var value: Double { hi + lo }

    var isFinite: Bool { hi.isFinite }

    // MARK: Error-free transformations

    @inline(__always)
    static func twoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        let bb = s - a
        return DoubleDouble(s, (a - (s - bb)) + (b - bb))
    }

    @inline(__always)
    static func quickTwoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        return DoubleDouble(s, b - (s - a))
    }

    @inline(__always)
    static func twoProduct(_ a: Double, _ b: Double) -> DoubleDouble {
        let p = a * b
        return DoubleDouble(p, (-p).addingProduct(a, b))
    }

    // MARK: Arithmetic

    static func + (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        var s = twoSum(a.hi, b.hi)
        let t = twoSum(a.lo, b.lo)
        s.lo += t.hi
        s = quickTwoSum(s.hi, s.lo)
        s.lo += t.lo
        return quickTwoSum(s.hi, s.lo)
    }

    static func + (a: DoubleDouble, b: Double) -> DoubleDouble {
        var s = twoSum(a.hi, b)
        s.lo += a.lo
        return quickTwoSum(s.hi, s.lo)
    }

    static prefix func - (a: DoubleDouble) -> DoubleDouble { DoubleDouble(-a.hi, -a.lo) }

    static func - (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble { a + (-b) }

    static func - (a: DoubleDouble, b: Double) -> DoubleDouble { a + (-b) }

    static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        var p = twoProduct(a.hi, b.hi)
        p.lo += a.hi * b.lo + a.lo * b.hi
        return quickTwoSum(p.hi, p.lo)
    }

    static func * (a: DoubleDouble, b: Double) -> DoubleDouble {
        var p = twoProduct(a.hi, b)
        p.lo += a.lo * b
        return quickTwoSum(p.hi, p.lo)
    }

    static func * (a: Double, b: DoubleDouble) -> DoubleDouble { b * a }

    static func / (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let q1 = a.hi / b.hi
        var r = a - b * q1
        let q2 = r.hi / b.hi
        r = r - b * q2
        let q3 = r.hi / b.hi
        return quickTwoSum(q1, q2) + q3
    }

    static func / (a: DoubleDouble, b: Double) -> DoubleDouble {
        let q1 = a.hi / b
        var r = a - twoProduct(q1, b)
        let q2 = r.hi / b
        r = r - twoProduct(q2, b)
        let q3 = r.hi / b
        return quickTwoSum(q1, q2) + q3
    }

    static func / (a: Double, b: DoubleDouble) -> DoubleDouble { DoubleDouble(a) / b }

    // MARK: Other operations

    /// The largest integer-valued double-double ≤ self.
    func floor() -> DoubleDouble {
        let fhi = hi.rounded(.down)
        if fhi == hi {
            return DoubleDouble.quickTwoSum(fhi, lo.rounded(.down))
        }
        return DoubleDouble(fhi, 0)
    }

    /// self·2ⁿ (exact unless it under- or overflows).
    func scaled(by n: Int) -> DoubleDouble {
        DoubleDouble(scalbn(hi, n), scalbn(lo, n))
    }

    /// (m, e) with self = m·2ᵉ and |m.hi| in [½, 1) (C `frexp` applied to hi; lo scaled alike).
    func frexp() -> (DoubleDouble, Int) {
        if hi == 0 || !hi.isFinite { return (self, 0) }
        let e = Int(hi.exponent) + 1
        return (DoubleDouble(scalbn(hi, -e), scalbn(lo, -e)), e)
    }

    static func < (a: DoubleDouble, b: Double) -> Bool { a.hi < b || (a.hi == b && a.lo < 0) }

    /// Equality with a double as the QD library defines it.
    func equals(_ b: Double) -> Bool { hi == b && lo == 0 }
}
