public import DriftJSON
import DriftStats
import Foundation

/// A data-quality report of a table (`driftwatch inspect`): rows and columns with their inferred types,
/// duplicate rows, missing values per column, numeric summaries with IQR outliers, categorical cardinality and
/// rare categories, and the target's class balance and entropy. Pure: it is built from column values.
public struct DataQualityReport: Sendable {
    /// A column's values as read.
    public enum Values: Sendable {
        /// Every present value is a number (NaN marks a missing one).
        case numeric([Double])
        /// Text (nil marks a missing value).
        case categorical([String?])
    }

    public struct NumericSummary: Sendable {
        public var mean: Double
        public var standardDeviation: Double
        public var minimum: Double
        public var maximum: Double
        /// numpy's linear quantiles: p01, p05, p25, p50, p75, p95, p99.
        public var quantiles: [(String, Double)]
        /// Values outside [p25 − 1.5·IQR, p75 + 1.5·IQR].
        public var outliers: Int
        public var zeros: Int
    }

    public struct CategoricalSummary: Sendable {
        public var cardinality: Int
        /// Categories by count, most frequent first (ties by name).
        public var counts: [(value: String, count: Int)]
        /// Categories under ``DataQualityReport/rareShare`` of the present values.
        public var rare: [String]
    }

    public struct Column: Sendable {
        public var name: String
        public var type: String
        public var missing: Int
        public var numeric: NumericSummary?
        public var categorical: CategoricalSummary?
    }

    /// Under this share of the present values a category is rare.
    public static let rareShare = 0.01

    public var path: String
    public var rows: Int
    public var duplicateRows: Int
    public var columns: [Column]
    public var target: String?

    /// Builds the report. `rowKeys` identify each row's content (equal keys: duplicate rows; ``inspect(_:target:)``
    /// uses 64-bit hashes of the rows' cells, so two different rows count as duplicates only on a hash collision,
    /// odds of about n² / 2⁶⁵ for n rows).
    public init(path: String, rows: Int, columns: [(name: String, values: Values)], rowKeys: [Int], target: String?) {
        self.path = path
        self.rows = rows
        self.target = target
        var seen = Set<Int>()
        seen.reserveCapacity(rowKeys.count)
        duplicateRows = rowKeys.reduce(0) { count, key in seen.insert(key).inserted ? count : count + 1 }
        self.columns = columns.map { name, values in
            switch values {
            case .numeric(let numbers):
                let present = numbers.filter { !$0.isNaN }
                return Column(name: name, type: "numeric", missing: numbers.count - present.count, numeric: Self.numeric(present), categorical: nil)
            case .categorical(let texts):
                let present = texts.compactMap { $0 }
                return Column(name: name, type: "categorical", missing: texts.count - present.count, numeric: nil, categorical: Self.categorical(present))
            }
        }
    }

    static func numeric(_ values: [Double]) -> NumericSummary? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        var moments = Moments()
        for value in values { moments.update(value) }
        let points: [(String, Double)] = [("p01", 0.01), ("p05", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95), ("p99", 0.99)]
        let quantiles = points.map { ($0.0, ExactQuantiles.linear(sorted: sorted, probability: $0.1)) }
        let q1 = quantiles[2].1, q3 = quantiles[4].1  // p25, p75
        let fence = 1.5 * (q3 - q1)
        let outliers = values.filter { $0 < q1 - fence || $0 > q3 + fence }.count
        return NumericSummary(mean: moments.mean, standardDeviation: values.count > 1 ? moments.sampleVariance.squareRoot() : 0,
                              minimum: sorted[0], maximum: sorted[sorted.count - 1],
                              quantiles: quantiles, outliers: outliers, zeros: values.filter { $0 == 0 }.count)
    }

    static func categorical(_ values: [String]) -> CategoricalSummary {
        var counts: [String: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        let ordered = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { (value: $0.key, count: $0.value) }
        let threshold = Double(values.count) * rareShare
        return CategoricalSummary(cardinality: counts.count, counts: ordered, rare: ordered.filter { Double($0.count) < threshold }.map(\.value).sorted())
    }

    /// The target's classes, most frequent first, with their shares; and the entropy in bits.
    public var targetBalance: (classes: [(value: String, count: Int, share: Double)], entropyBits: Double)? {
        guard let target, let counts = columns.first(where: { $0.name == target })?.categorical?.counts else { return nil }
        let total = Double(counts.reduce(0) { $0 + $1.count })
        guard total > 0 else { return nil }
        let classes = counts.map { (value: $0.value, count: $0.count, share: Double($0.count) / total) }
        let entropy = -classes.reduce(0.0) { $0 + ($1.share > 0 ? $1.share * log2($1.share) : 0) }
        return (classes, entropy)
    }

    /// The report as JSON (`schemas/data-quality-report.schema.json`).
    public func json() -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("schema_version", .string("1")), ("kind", .string("driftwatch.data-quality")), ("path", .string(path)),
            ("rows", .int(rows)), ("column_count", .int(columns.count)), ("duplicate_rows", .int(duplicateRows)),
            ("columns", .array(columns.map { column in
                var entry: [(String, JSONValue)] = [
                    ("name", .string(column.name)), ("type", .string(column.type)), ("missing", .int(column.missing)),
                    ("missing_share", .number(rows > 0 ? Double(column.missing) / Double(rows) : 0)),
                ]
                if let numeric = column.numeric {
                    entry.append(("numeric", .object([
                        ("mean", .number(numeric.mean)), ("std", .number(numeric.standardDeviation)),
                        ("min", .number(numeric.minimum)), ("max", .number(numeric.maximum)),
                        ("quantiles", .object(numeric.quantiles.map { ($0.0, .number($0.1)) })),
                        ("outliers_iqr", .int(numeric.outliers)), ("zeros", .int(numeric.zeros)),
                    ])))
                }
                if let categorical = column.categorical {
                    let present = categorical.counts.reduce(0) { $0 + $1.count }
                    entry.append(("categorical", .object([
                        ("cardinality", .int(categorical.cardinality)),
                        ("top", .array(categorical.counts.prefix(10).map { .object([("value", .string($0.value)), ("count", .int($0.count)),
                                                                                    ("share", .number(Double($0.count) / Double(max(present, 1))))]) })),
                        ("rare", .array(categorical.rare.map(JSONValue.string))),
                    ])))
                }
                return .object(entry)
            })),
        ]
        if let target, let balance = targetBalance {
            members.append(("target", .object([
                ("name", .string(target)),
                ("classes", .array(balance.classes.map { .object([("value", .string($0.value)), ("count", .int($0.count)), ("share", .number($0.share))]) })),
                ("entropy_bits", .number(balance.entropyBits)),
                ("entropy_normalized", .number(balance.classes.count > 1 ? balance.entropyBits / log2(Double(balance.classes.count)) : 0)),
            ])))
        }
        return .object(members)
    }

    /// The report as terminal text.
    public func text() -> String {
        func percent(_ part: Int, _ whole: Int) -> String { String(format: "%.2f %%", whole > 0 ? Double(part) * 100 / Double(whole) : 0) }
        func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(format: abs(value) >= 100 ? "%.1f" : "%.3g", value)
        }
        var out = "\(path): \(rows.formatted()) rows × \(columns.count) columns, \(duplicateRows.formatted()) duplicate rows (\(percent(duplicateRows, rows)))\n\n"
        let width = max(8, columns.map(\.name.count).max() ?? 8)
        out += "column".padding(toLength: width + 2, withPad: " ", startingAt: 0) + "type         missing           summary\n"
        for column in columns {
            let missing = column.missing == 0 ? "0" : "\(column.missing.formatted()) (\(percent(column.missing, rows)))"
            var summary = ""
            if let numeric = column.numeric {
                let q = Dictionary(numeric.quantiles, uniquingKeysWith: { a, _ in a })
                summary = "mean \(number(numeric.mean)) · min \(number(numeric.minimum)) · p25 \(number(q["p25"] ?? .nan)) · p50 \(number(q["p50"] ?? .nan))"
                    + " · p75 \(number(q["p75"] ?? .nan)) · max \(number(numeric.maximum)) · outliers (IQR) \(numeric.outliers.formatted())"
            } else if let categorical = column.categorical {
                let present = categorical.counts.reduce(0) { $0 + $1.count }
                let top = categorical.counts.first.map { "top \($0.value) \(percent($0.count, present))" } ?? ""
                let rare = categorical.rare.isEmpty ? "" : " · rare (<1 %): \(categorical.rare.count)"
                summary = "\(categorical.cardinality) categories · \(top)\(rare)"
            }
            out += column.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + column.type.padding(toLength: 13, withPad: " ", startingAt: 0)
                + missing.padding(toLength: 18, withPad: " ", startingAt: 0) + summary + "\n"
        }
        if let target, let balance = targetBalance {
            let classes = balance.classes.map { "\($0.value) \(String(format: "%.1f %%", $0.share * 100)) (\($0.count.formatted()))" }.joined(separator: " · ")
            out += "\ntarget \(target): \(classes) · entropy \(String(format: "%.3f", balance.entropyBits)) bits\n"
        }
        return out
    }
}

extension DataQualityReport {
    /// Reads `table` (types inferred: a column is numeric when every present value is a number) and builds the report.
    public static func inspect(_ table: DataTable, target: String?) throws(CompareError) -> DataQualityReport {
        var columns: [(name: String, values: Values)] = []
        var keys = [Hasher](repeating: Hasher(), count: table.rowCount)
        for name in table.columnNames {
            let strings = try table.strings(name)
            for (row, value) in strings.enumerated() {
                keys[row].combine(value)
            }
            if name != target, let numbers = try table.numbers(name), numbers.contains(where: { !$0.isNaN }) {
                columns.append((name, .numeric(numbers)))
            } else {
                columns.append((name, .categorical(strings)))
            }
        }
        let rowKeys = keys.map { $0.finalize() }
        return DataQualityReport(path: table.path, rows: table.rowCount, columns: columns, rowKeys: rowKeys, target: target)
    }
}
