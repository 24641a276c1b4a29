import Testing
@testable import DriftStats
import DriftTestSupport

/// numpy 2.4.6 `np.quantile` reproduced bit for bit (quantiles.json).
@Suite struct ExactQuantilesTests {
    // Tolerance: exact (bitwise) — the golden README gives the same floating-point formula numpy uses.
    @Test(arguments: Golden.caseIDs("quantiles"))
    func goldenCaseIsBitExact(id: String) throws {
        let c = try Golden.case("quantiles", id: id)
        let inputs = BinnedGolden.dict(c["inputs"])
        let expected = BinnedGolden.dict(c["expected"])
        let x = BinnedGolden.sample(inputs["x"]).sorted()
        #expect(x.count == GoldenJSON.int(expected["n"]))
        #expect(x.first == GoldenJSON.double(expected["min"]))
        #expect(x.last == GoldenJSON.double(expected["max"]))
        let qs = BinnedGolden.doubles(expected["q"])
        let linear = BinnedGolden.doubles(expected["linear"])
        let inverted = BinnedGolden.doubles(expected["inverted_cdf"])
        #expect(!qs.isEmpty && qs.count == linear.count && qs.count == inverted.count)
        let gotLinear = qs.map { ExactQuantiles.linear(sorted: x, probability: $0) }
        let gotInverted = qs.map { ExactQuantiles.invertedCDF(sorted: x, probability: $0) }
        #expect(BinnedGolden.bitwiseEqual(gotLinear, linear), "linear \(id): \(gotLinear) vs \(linear)")
        #expect(BinnedGolden.bitwiseEqual(gotInverted, inverted), "inverted_cdf \(id): \(gotInverted) vs \(inverted)")
        if expected["rank_lt_linear"] != nil {
            // Ranks are integers: exact.
            let lt = BinnedGolden.ints(expected["rank_lt_linear"]), le = BinnedGolden.ints(expected["rank_le_linear"])
            #expect(gotLinear.map { rank(x, $0, inclusive: false) } == lt)
            #expect(gotLinear.map { rank(x, $0, inclusive: true) } == le)
        }
    }

    @Test func floatTrapIsNumpysNotTextbook() {
        let x = (1...100).map(Double.init)
        // 100·0.07 = 7.000000000000001 → index 7 → 8.0 (numpy), not 7.0.
        #expect(ExactQuantiles.invertedCDF(sorted: x, probability: 0.07) == 8.0)
        #expect(ExactQuantiles.invertedCDF(sorted: x, probability: 0.5) == 50.0)
        #expect(ExactQuantiles.linear(sorted: x, probability: 0.5) == 50.5)
    }

    /// numpy 2.4.6 outputs (printed by numpy itself) for signed zeros and infinities: numpy always
    /// interpolates, so `−0.0 + 0.0 = +0.0` at the ends and `∞ − ∞` / `0·∞` give NaN.
    @Test func signedZerosAndInfinitiesFollowNumpy() {
        func bits(_ x: Double) -> UInt64 { x.bitPattern }
        // np.quantile([-1.0, -0.0], 1.0) → 0.0; np.quantile([-0.0, 1.0], 0.0) → 0.0
        #expect(bits(ExactQuantiles.linear(sorted: [-1.0, -0.0], probability: 1)) == bits(0.0))
        #expect(bits(ExactQuantiles.linear(sorted: [-0.0, 1.0], probability: 0)) == bits(0.0))
        // np.quantile([-0.0], [0, 1]) → [-0., -0.]; np.quantile([-0.0, -0.0], [0, .5, 1]) → [0., -0., 0.]
        #expect(bits(ExactQuantiles.linear(sorted: [-0.0], probability: 0)) == bits(-0.0))
        #expect(bits(ExactQuantiles.linear(sorted: [-0.0], probability: 1)) == bits(-0.0))
        #expect([0.0, 0.5, 1.0].map { bits(ExactQuantiles.linear(sorted: [-0.0, -0.0], probability: $0)) }
                == [bits(0.0), bits(-0.0), bits(0.0)])
        // inverted_cdf returns the stored element: np.quantile([-0.0, 1.0], 0, method='inverted_cdf') → -0.
        #expect(bits(ExactQuantiles.invertedCDF(sorted: [-0.0, 1.0], probability: 0)) == bits(-0.0))
        // np.quantile([-inf, 0, 1], [0, .25, .5, .75, 1]) → [nan, -inf, 0, 0.5, 1]
        let withInf: [Double] = [-.infinity, 0, 1]
        let got = [0.0, 0.25, 0.5, 0.75, 1.0].map { ExactQuantiles.linear(sorted: withInf, probability: $0) }
        #expect(got[0].isNaN && got[1] == -.infinity && got[2] == 0 && got[3] == 0.5 && got[4] == 1)
        // np.quantile([0, inf], [0, .5, 1]) → [nan, nan, nan]
        #expect([0.0, 0.5, 1.0].allSatisfy { ExactQuantiles.linear(sorted: [0, .infinity], probability: $0).isNaN })
        // inverted_cdf: [-inf, 0, 1] at [0, .5, 1] → [-inf, 0, 1]
        #expect([0.0, 0.5, 1.0].map { ExactQuantiles.invertedCDF(sorted: withInf, probability: $0) } == [-.infinity, 0, 1])
        // np.quantile([1, 2, 3, 4], [.1, .5, .9]) → [1.3, 2.5, 3.7]
        #expect([0.1, 0.5, 0.9].map { ExactQuantiles.linear(sorted: [1, 2, 3, 4], probability: $0) } == [1.3, 2.5, 3.7])
    }

    @Test func probabilityOutsideUnitIntervalIsNaN() {
        for q in [-0.1, 1.0000000000000002, .nan, .infinity] {
            #expect(ExactQuantiles.linear(sorted: [1, 2, 3], probability: q).isNaN)
            #expect(ExactQuantiles.invertedCDF(sorted: [1, 2, 3], probability: q).isNaN)
        }
    }

    @Test func emptyAndEndpoints() {
        #expect(ExactQuantiles.linear(sorted: [], probability: 0.5).isNaN)
        #expect(ExactQuantiles.invertedCDF(sorted: [], probability: 0.5).isNaN)
        #expect(ExactQuantiles.linear(sorted: [3], probability: 0.9) == 3)
        #expect(ExactQuantiles.invertedCDF(sorted: [1, 2], probability: 0) == 1)
        #expect(ExactQuantiles.invertedCDF(sorted: [1, 2], probability: 1) == 2)
    }

    private func rank(_ sorted: [Double], _ v: Double, inclusive: Bool) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if inclusive ? sorted[mid] <= v : sorted[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Guards against a silently empty parameter list (a missing fixture would make the golden test vacuous).
    @Test func goldenFileHasAllCases() {
        #expect(Golden.caseIDs("quantiles").count == 15)
    }
}
