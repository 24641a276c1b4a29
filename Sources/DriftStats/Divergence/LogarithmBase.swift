#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The logarithm base of an information-theoretic quantity (nats or bits).
public enum LogarithmBase: Sendable, Equatable {
    /// Natural logarithm (nats).
    case natural
    /// Base-2 logarithm (bits).
    case two

    /// `ln(base)`: divide a value in nats by this to convert it (1 for `.natural`, ln 2 for `.two`).
    public var naturalLogOfBase: Double {
        switch self {
        case .natural: return 1.0
        case .two: return log(2.0)
        }
    }
}

/// Neumaier-compensated running sum (internal helper; error ≈ 1 ulp of the result independent of n).
@usableFromInline
struct CompensatedSum {
    @usableFromInline var sum = 0.0
    @usableFromInline var compensation = 0.0
    @inlinable init() {}
    @inlinable mutating func add(_ x: Double) {
        let t = sum + x
        if Swift.abs(sum) >= Swift.abs(x) {
            compensation += (sum - t) + x
        } else {
            compensation += (x - t) + sum
        }
        sum = t
    }
    @inlinable var value: Double { sum + compensation }
}

/// scipy.special.rel_entr: x·ln(x/y) for x>0,y>0; 0 for x==0,y>=0; +inf otherwise.
@inline(__always)
func relativeEntropyTerm(_ x: Double, _ y: Double) -> Double {
    if x.isNaN || y.isNaN { return .nan }
    if x > 0 && y > 0 { return x * log(x / y) }
    if x == 0 && y >= 0 { return 0 }
    return .infinity
}

/// Sum of finite-or-not values using compensated summation (NaN/inf propagate).
func compensatedTotal(_ values: [Double]) -> Double {
    var s = CompensatedSum()
    var special = 0.0
    for v in values {
        if v.isFinite { s.add(v) } else { special += v }
    }
    return special == 0 ? s.value : special
}
