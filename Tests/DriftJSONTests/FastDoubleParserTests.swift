import DriftStats
import Testing

@testable import DriftJSON

/// The byte-level number parser must give exactly what `Double(String)` gives: same bits (sign of zero,
/// NaN-ness), same `nil`.
@Suite struct FastDoubleParserTests {
    static func agrees(_ text: String) -> Bool {
        let expected = Double(text)
        let actual = FastDoubleParser.parse(Array(text.utf8))
        switch (expected, actual) {
        case (nil, nil): return true
        case (let e?, let a?): return e.isNaN ? a.isNaN : e.bitPattern == a.bitPattern
        default: return false
        }
    }

    static let edgeCases = [
        "0", "-0", "+0", "0.0", "-0.0", "00012", "007.50", "1", "-1", "+1", ".5", "5.", "+.5", "-.5e1", "1.e5",
        "1e5", "1E5", "1e+05", "1e-05", "1e0001", "1e22", "1e23", "1e-22", "1e-23", "123456789012345",
        "1234567890123456", "12345678901234567890", "9007199254740993", "0.1", "0.2", "0.30000000000000004",
        "4.9e-324", "5e-324", "2e-324", "2.2250738585072014e-308", "1.7976931348623157e308", "1.7976931348623159e308",
        "1e308", "1e309", "1e-400", "1e400", "0e99999999999999999999", "1e99999999999999999999", "123.456e-10",
        ".000000000000000000000000001", "18446744073709551616", "0.000001", "999999999999999", "99999999999999.99",
        "3.141592653589793", "2.718281828459045235360287", "1.0000000000000002", "0.56443", "15.676333",
        "", "-", "+", ".", "-.", "e5", ".e5", "1e", "1e+", "1e-", "+-1", "--1", "1..2", "1.2.3", "1e5.5", "1_0", "1,5",
        " 1", "1 ", "0x10", "0x1p3", "0x1.8p1", "inf", "-inf", "Infinity", "-Infinity", "nan", "NaN", "-nan", "nan(1)",
        "infinity", "INF", "١", "1\u{0}", "12a", "a12", "١٢",
    ]

    @Test(arguments: edgeCases)
    func edgeCase(_ text: String) {
        #expect(Self.agrees(text), "\(text.debugDescription): Double gives \(String(describing: Double(text)))")
    }

    /// Well-formed decimals from a grammar: sign, 0–20 integer digits, fraction, exponent (seeded).
    @Test func randomDecimals() {
        var random = SplitMix64(seed: 20_261_123)
        let digits = Array("0123456789")
        func run(_ max: Int) -> String {
            let count = Int(random.nextBounded(UInt64(max + 1)))
            return String((0..<count).map { _ in digits[Int(random.nextBounded(10))] })
        }
        var failures: [String] = []
        for _ in 0..<100_000 {
            var text = ""
            switch random.nextBounded(3) {
            case 0: text += "-"
            case 1: if random.nextBounded(4) == 0 { text += "+" }
            default: break
            }
            text += run(random.nextBounded(2) == 0 ? 3 : 20)
            if random.nextBounded(3) != 0 { text += "." + run(random.nextBounded(2) == 0 ? 6 : 20) }
            if random.nextBounded(4) == 0 {
                text += random.nextBounded(2) == 0 ? "e" : "E"
                if random.nextBounded(2) == 0 { text += random.nextBounded(2) == 0 ? "-" : "+" }
                text += String(random.nextBounded(60))
            }
            if !Self.agrees(text) { failures.append(text) }
        }
        let disagreements = failures.count
        #expect(disagreements == 0, "first disagreements: \(failures.prefix(10))")
    }

    /// Shortest round-trip spellings of random doubles of every magnitude, and the same with a few
    /// digits cut (not round-trip any more).
    @Test func randomDoubles() {
        var random = SplitMix64(seed: 7)
        var failures: [String] = []
        for _ in 0..<50_000 {
            let bits = random.next()
            let value = Double(bitPattern: bits)
            guard value.isFinite else { continue }
            let text = value.description
            if !Self.agrees(text) { failures.append(text) }
            let scaled = (random.nextUniform() - 0.5) * 1e6
            let short = String(scaled.description.prefix(Int(random.nextBounded(12)) + 1))
            if !Self.agrees(short) { failures.append(short) }
        }
        let disagreements = failures.count
        #expect(disagreements == 0, "first disagreements: \(failures.prefix(10))")
    }

    /// Junk over a numeric alphabet: the parser must reject exactly what `Double` rejects.
    @Test func randomJunk() {
        var random = SplitMix64(seed: 99)
        let alphabet = Array("0123456789.eE+-xainfINF ")
        var failures: [String] = []
        for _ in 0..<100_000 {
            let count = Int(random.nextBounded(8)) + 1
            let text = String((0..<count).map { _ in alphabet[Int(random.nextBounded(UInt64(alphabet.count)))] })
            if !Self.agrees(text) { failures.append(text) }
        }
        let disagreements = failures.count
        #expect(disagreements == 0, "first disagreements: \(failures.prefix(10))")
    }

    /// The extended (`Float80`) path: 16–19 significant digits with exponents within ±27 — the spellings of
    /// full-precision doubles — and integers that are exact midpoints between two doubles (where rounding
    /// twice would differ from rounding once).
    @Test func extendedPrecisionSpellings() async {
        var random = SplitMix64(seed: 2_026)
        var failures: [String] = []
        for round in 0..<100_000 {
            if round % 5_000 == 0 { await Task.yield() }  // let the Kafka tests' tasks run
            let digits = 16 + Int(random.nextBounded(4))
            var mantissa = String(random.nextBounded(9) + 1)
            for _ in 1..<digits { mantissa += String(random.nextBounded(10)) }
            let point = Int(random.nextBounded(UInt64(digits + 1)))
            let text = String(mantissa.prefix(point)) + "." + String(mantissa.dropFirst(point))
                + (random.nextBounded(2) == 0 ? "" : "e" + String(Int(random.nextBounded(30)) - 15))
            if !Self.agrees(text) { failures.append(text) }
            var integer = random.next() % 9_000_000_000_000_000_000 + (1 << 53)
            let spacing = UInt64(1) << (64 - integer.leadingZeroBitCount - 53)
            integer = integer & ~(spacing - 1) | spacing / 2  // halfway between two doubles
            if !Self.agrees(String(integer)) { failures.append(String(integer)) }
            if !Self.agrees("-" + String(integer) + "e-3") { failures.append("-" + String(integer) + "e-3") }
        }
        let disagreements = failures.count
        #expect(disagreements == 0, "first disagreements: \(failures.prefix(10))")
    }
}
