import DriftTestSupport

/// Shared helpers for the binned-divergence golden tests (psi.json, js_kl.json, wasserstein.json).
enum BinnedGolden {
    static func sample(_ value: Any?) -> [Double] { GoldenJSON.sample(value) ?? [] }
    static func doubles(_ value: Any?) -> [Double] { GoldenJSON.doubles(value) ?? [] }
    static func dict(_ value: Any?) -> [String: Any] { value as? [String: Any] ?? [:] }
    static func double(_ value: Any?) -> Double { GoldenJSON.double(value) ?? .nan }
    static func ints(_ value: Any?) -> [Int] { (value as? [Any] ?? []).compactMap { GoldenJSON.int($0) } }

    /// Bitwise equality of two arrays (NaN == NaN).
    static func bitwiseEqual(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    /// Count dictionaries from a categorical case.
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
}
