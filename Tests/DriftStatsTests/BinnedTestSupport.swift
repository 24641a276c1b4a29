import Testing
@testable import DriftStats
import DriftTestSupport

/// Shared helpers for the binned-divergence golden tests (psi.json, js_kl.json, wasserstein.json, quantiles.json).
enum BinnedGolden {
    /// A golden sample (inline or regenerated). A regenerated sample is verified against its `check`
    /// block bit for bit (first values, last, min, max, n), so a generator slip cannot go unnoticed.
    static func sample(_ value: Any?) -> [Double] {
        let x = GoldenJSON.sample(value) ?? []
        let object = value as? [String: Any] ?? [:]
        if let n = GoldenJSON.int(object["n"]) { #expect(x.count == n, "sample size") }
        if let check = object["check"] as? [String: Any], !x.isEmpty {
            let first = doubles(check["first"])
            #expect(bitwiseEqual(Array(x.prefix(first.count)), first), "generated sample: first values")
            #expect(x.last?.bitPattern == double(check["last"]).bitPattern, "generated sample: last value")
            #expect(x.min()?.bitPattern == double(check["min"]).bitPattern, "generated sample: min")
            #expect(x.max()?.bitPattern == double(check["max"]).bitPattern, "generated sample: max")
        }
        return x
    }

    static func doubles(_ value: Any?) -> [Double] { GoldenJSON.doubles(value) ?? [] }
    static func dict(_ value: Any?) -> [String: Any] { value as? [String: Any] ?? [:] }
    static func double(_ value: Any?) -> Double { GoldenJSON.double(value) ?? .nan }
    static func ints(_ value: Any?) -> [Int] { (value as? [Any] ?? []).compactMap { GoldenJSON.int($0) } }

    /// Bitwise equality of two arrays (NaN == NaN).
    static func bitwiseEqual(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    /// Count dictionaries from a categorical case (`categories`, `ref_counts`, `cur_counts`).
    static func categoryCounts(_ inputs: [String: Any]) -> (ref: [String: Int], cur: [String: Int]) {
        let cats = inputs["categories"] as? [String] ?? []
        let r = ints(inputs["ref_counts"]), c = ints(inputs["cur_counts"])
        var rd = [String: Int](), cd = [String: Int]()
        for (k, name) in cats.enumerated() {
            if r[k] > 0 { rd[name] = r[k] }
            if c[k] > 0 { cd[name] = c[k] }
        }
        return (rd, cd)
    }

    /// Evidently 0.7.23's automatic stat-test choice (`registry._get_default_stattest`) for a numeric column,
    /// as the golden README states it: `n_unique` = distinct values of ref ∪ cur.
    static func evidentlyDefaultNumericStattest(referenceCount: Int, reference: [Double], current: [Double]) -> String {
        let unique = Set(reference + current).count
        if referenceCount <= 1000 {
            return unique > 5 ? "ks" : (unique > 2 ? "chisquare" : "z")
        }
        return unique > 5 ? "wasserstein" : "jensenshannon"
    }

    /// frouros 0.9.0 `PSI()` (psi.json's `frouros_psi`): 10 equal-width `np.histogram` bins over the
    /// combined range, empty bins set to `sys.float_info.min`, `Σ (c − r)·ln(c / r)`.
    static func frourosPSI(reference: [Double], current: [Double]) -> Double {
        let all = reference + current
        let edges = EvidentlyBinning.histogramEdges(min: all.min() ?? 0, max: all.max() ?? 0, bins: 10)
        let fill = { (p: [Double]) in p.map { $0 == 0 ? Double.leastNormalMagnitude : $0 } }
        let r = fill(EvidentlyBinning.histogramPercents(reference, edges: edges))
        let c = fill(EvidentlyBinning.histogramPercents(current, edges: edges))
        return PopulationStabilityIndex.psi(referenceProportions: r, currentProportions: c)
    }
}
