/// Parses decimal numbers from bytes, giving exactly the `Double` that `Double(String)` gives.
///
/// Fast path (Clinger 1990): `[+-]? digits [. digits] [(e|E) [+-]? digits]` (either digit run may be
/// empty, not both) with at most 15 significant digits and a decimal exponent within ±22. Then the
/// significand `m < 10^15 < 2^53` and `10^|e|` are exact doubles, and one IEEE multiplication or
/// division rounds `m × 10^e` correctly.
///
/// Extended path (x86-64): 16 to 19 significant digits — what Python's `repr`, JavaScript and most
/// serializers write for a full-precision double — with a decimal exponent within ±27. Then `m < 2^64`
/// and `10^|e|` (`5^27 < 2^64`) are exact `Float80`s, one x87 operation rounds `m × 10^e` correctly to
/// 64 significant bits, and rounding that to 53 bits gives the correctly rounded double unless the
/// 64-bit result is exactly halfway between two doubles (its low 11 bits `0x400`): only then can double
/// rounding differ, and those inputs (about 1 in 700) take the slow path.
///
/// Everything else (more digits, larger exponents, `inf`, `nan`, hexadecimal, junk) goes to
/// `Double(String)`, so the result, including `nil` and the sign of zero, is always bit-identical to it.
/// Cost: one pass over the bytes, no allocation on the fast paths.
public enum FastDoubleParser {
    @inline(__always)
    public static func parse(_ p: UnsafePointer<UInt8>, count n: Int) -> Double? {
        var i = 0
        guard n > 0 else { return nil }
        var negative = false
        if p[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        } else if p[0] == UInt8(ascii: "+") {
            i = 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var sawDigit = false
        var exponent = 0
        // Integer part.
        while i < n {
            let d = p[i] &- UInt8(ascii: "0")
            guard d < 10 else { break }
            sawDigit = true
            if mantissa != 0 || d != 0 {
                significant += 1
                mantissa = mantissa &* 10 &+ UInt64(d)
            }
            i += 1
        }
        // Fraction.
        if i < n && p[i] == UInt8(ascii: ".") {
            i += 1
            while i < n {
                let d = p[i] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                sawDigit = true
                if mantissa != 0 || d != 0 {
                    significant += 1
                    mantissa = mantissa &* 10 &+ UInt64(d)
                }
                exponent -= 1
                i += 1
            }
        }
        guard sawDigit, significant <= 19 else { return slowPath(p, n) }
        // Exponent.
        if i < n && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            var exponentNegative = false
            if i < n && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
                exponentNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            var value = 0
            var sawExponentDigit = false
            while i < n {
                let d = p[i] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                sawExponentDigit = true
                if value < 100_000 { value = value * 10 + Int(d) }
                i += 1
            }
            guard sawExponentDigit else { return slowPath(p, n) }
            exponent += exponentNegative ? -value : value
        }
        guard i == n else { return slowPath(p, n) }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if significant <= 15 && exponent >= -22 && exponent <= 22 {
            let m = Double(mantissa)
            let value = exponent >= 0 ? m * powerOfTen(exponent) : m / powerOfTen(-exponent)
            return negative ? -value : value
        }
        #if arch(x86_64) && !os(Windows)
        if exponent >= -27 && exponent <= 27, let value = extended(mantissa, exponent) {
            return negative ? -value : value
        }
        #endif
        return slowPath(p, n)
    }

    #if arch(x86_64) && !os(Windows)
    /// `m × 10^e` through one correctly rounded `Float80` operation; `nil` when the 64-bit result is a
    /// midpoint between two doubles (where rounding twice could differ from rounding once).
    @inline(__always)
    static func extended(_ mantissa: UInt64, _ exponent: Int) -> Double? {
        let m = Float80(mantissa)
        let power = powersOfTen80[exponent < 0 ? -exponent : exponent]
        let wide = exponent >= 0 ? m * power : m / power
        guard wide.significandBitPattern & 0x7FF != 0x400 else { return nil }
        return Double(wide)
    }

    /// 10^k for 0 ≤ k ≤ 27, all exact `Float80`s (5^k < 2^64, so 10^k = 5^k · 2^k fits the significand).
    static let powersOfTen80: [Float80] = (0...27).map { k in
        Float80(sign: .plus, exponent: k, significand: Float80((0..<k).reduce(UInt64(1)) { power, _ in power * 5 }))
    }
    #endif

    /// `Double(String)` on the same bytes.
    static func slowPath(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        Double(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
    }

    /// 10^k for 0 ≤ k ≤ 22, all exact doubles.
    @inline(__always)
    static func powerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    /// Convenience for tests and non-hot paths.
    public static func parse(_ bytes: [UInt8]) -> Double? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return parse(base, count: buffer.count)
        }
    }
}
