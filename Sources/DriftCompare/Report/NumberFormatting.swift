#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Short human-readable numbers for the text table (the JSON report keeps full precision).
enum NumberFormatting {
    /// `-` for nil, `nan`/`inf`, 4 decimals in [1e-4, 1000), else scientific with 2 significant digits.
    static func short(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return "0" }
        let magnitude = Swift.abs(value)
        if magnitude >= 1e-4 && magnitude < 1000 { return fixed(value, decimals: 4) }
        return scientific(value)
    }

    /// `value` rounded to `decimals` places (|value| < 1e15).
    static func fixed(_ value: Double, decimals: Int) -> String {
        let scale = pow(10.0, Double(decimals))
        let scaled = (Swift.abs(value) * scale).rounded()
        guard scaled < 9e15 else { return scientific(value) }
        let units = Int(scaled)
        let divisor = Int(scale)
        let whole = units / divisor
        var fraction = String(units % divisor)
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        let sign = value < 0 && units != 0 ? "-" : ""
        return decimals == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// `d.de±XX`.
    static func scientific(_ value: Double) -> String {
        let magnitude = Swift.abs(value)
        var exponent = Int(floor(log10(magnitude)))
        var mantissa = magnitude / pow(10.0, Double(exponent))
        mantissa = (mantissa * 10).rounded() / 10
        if mantissa >= 10 {
            mantissa /= 10
            exponent += 1
        }
        let digits = String(Swift.abs(exponent))
        return (value < 0 ? "-" : "") + fixed(mantissa, decimals: 1) + "e" + (exponent < 0 ? "-" : "+")
            + (digits.count < 2 ? "0" + digits : digits)
    }

    /// A share as a percentage with one decimal.
    static func percent(_ share: Double) -> String {
        fixed(share * 100, decimals: 1) + "%"
    }
}
