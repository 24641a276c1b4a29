import DriftJSON
import DriftStats
import Testing

@testable import DriftCompare

@Suite struct SupportTypesTests {
    @Test(arguments: [0, 1, 511, 512, 5_000, 100_000])
    func radixSortMatchesSort(count: Int) {
        var random = SplitMix64(seed: UInt64(count) + 1)
        var values = (0..<count).map { index -> Double in
            switch index % 5 {
            case 0: return (random.nextUniform() - 0.5) * 1e6
            case 1: return Double(random.nextBounded(10))  // ties
            case 2: return -Double(random.nextBounded(3))
            case 3: return (random.nextUniform() - 0.5) * 1e-300
            default: return [0.0, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude, -.leastNonzeroMagnitude][Int(random.nextBounded(6))]
            }
        }
        var expected = values
        expected.sort()
        RadixSort.sort(&values)
        #expect(values == expected)
    }

    @Test func internerCountsAndKeepsInvariants() {
        var interner = CategoryInterner()
        var expected: [String: Int] = [:]
        var random = SplitMix64(seed: 3)
        for step in 0..<20_000 {
            let value = "v\(random.nextBounded(3_000))" + (step % 97 == 0 ? "é" : "")
            expected[value, default: 0] += 1
            interner.add(Array(value.utf8))
        }
        interner.add([])  // the empty string is a value too
        expected["", default: 0] += 1
        #expect(interner.testOnly_verifyInvariants())
        #expect(Dictionary(uniqueKeysWithValues: zip(interner.values, interner.counts)) == expected)
    }

    @Test func missingValueMatcher() {
        let matcher = MissingValueMatcher(markers: MissingValueMatcher.defaultMarkers)
        for marker in ["?", "", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "<NA>"] {
            #expect(matcher.matches(Array(marker.utf8)), "\(marker)")
        }
        for value in ["0", "na", "NAN", "none", "??", " ", "N/A "] { #expect(!matcher.matches(Array(value.utf8)), "\(value)") }
        let long = String(repeating: "x", count: 70)
        #expect(MissingValueMatcher(markers: [long]).matches(Array(long.utf8)))
        #expect(!MissingValueMatcher(markers: [long]).matches(Array((long + "y").utf8)))
    }

    @Test func numberFormatting() {
        #expect(NumberFormatting.short(nil) == "-")
        #expect(NumberFormatting.short(0) == "0")
        #expect(NumberFormatting.short(0.123456) == "0.1235")
        #expect(NumberFormatting.short(-2.5) == "-2.5000")
        #expect(NumberFormatting.short(0.00001234) == "1.2e-05")
        #expect(NumberFormatting.short(9.96e-5) == "1.0e-04")
        #expect(NumberFormatting.short(123456) == "1.2e+05")
        #expect(NumberFormatting.short(.infinity) == "inf")
        #expect(NumberFormatting.short(.nan) == "nan")
        #expect(NumberFormatting.percent(0.25) == "25.0%")
    }

    @Test func timestamps() {
        #expect(Timestamp.rfc3339(secondsSinceEpoch: 0) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.rfc3339(secondsSinceEpoch: 1_795_223_656) == "2026-11-21T01:14:16Z")
    }

    @Test func jsonSerialization() {
        let value = JSONValue.object([
            ("a", .number(0.1)), ("nan", .number(.nan)), ("inf", .number(-.infinity)), ("s", .string("q\"\\\n\u{1}é")),
            ("list", .array([.int(1), .bool(true), .null])), ("empty", .object([])),
        ])
        #expect(value.serialized() == #"{"a":0.1,"nan":null,"inf":null,"s":"q\"\\\n\u0001é","list":[1,true,null],"empty":{}}"#)
        #expect(value.serialized(pretty: true).contains("\n  \"a\": 0.1,\n"))
    }
}
