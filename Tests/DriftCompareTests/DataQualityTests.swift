import DriftCompare
import DriftJSON
import DriftTestSupport
import Foundation
import Testing

/// `driftwatch inspect`'s report on the shipped Adult data, against the seed figures and against pandas
/// 3.1.1 / numpy 2.4.6 (`pd.read_csv(path, na_values=['?'])`, `d.duplicated().sum()`, `np.quantile` linear, the
/// IQR rule); and the rules on a small table where every figure can be checked by hand.
@Suite("Data quality (driftwatch inspect)")
struct DataQualityTests {
    @Test func adultMatchesTheSeedAndPandas() throws {
        let path = SchemaValidation.packageRoot.appendingPathComponent("data/adult.csv.gz").path
        let report = try DataQualityReport.inspect(try DataTable.load(path: path), target: "income")
        #expect(report.rows == 48_842)
        #expect(report.columns.count == 15)
        // The seed reported 0 duplicates; the data has 52 rows equal to an earlier one (pandas agrees).
        #expect(report.duplicateRows == 52)
        let missing = Dictionary(uniqueKeysWithValues: report.columns.map { ($0.name, $0.missing) })
        #expect(missing["workclass"] == 2_799)
        #expect(missing["occupation"] == 2_809)
        #expect(missing["native-country"] == 857)
        let totalMissing = missing.values.reduce(0, +)
        #expect(totalMissing == 6_465, "no other column has missing values")
        let types = Dictionary(uniqueKeysWithValues: report.columns.map { ($0.name, $0.type) })
        let numericNames: [String] = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
        let numericTypes = numericNames.map { types[$0] ?? "" }
        #expect(numericTypes == Array(repeating: "numeric", count: 6))
        #expect(types["workclass"] == "categorical")
        let outliers = Dictionary(uniqueKeysWithValues: report.columns.compactMap { column in column.numeric.map { (column.name, $0.outliers) } })
        let pandasOutliers: [String: Int] = ["age": 216, "fnlwgt": 1_453, "education-num": 1_794, "capital-gain": 4_035, "capital-loss": 2_282, "hours-per-week": 13_496]
        #expect(outliers == pandasOutliers)
        let age = try #require(report.columns.first { $0.name == "age" }?.numeric)
        #expect(abs(age.mean - 38.643585) < 1e-6)
        #expect(report.columns.first { $0.name == "workclass" }?.categorical?.rare == ["Never-worked", "Without-pay"])
        let balance = try #require(report.targetBalance)
        #expect(balance.classes.map(\.value) == ["<=50K", ">50K"])
        #expect(balance.classes.map(\.count) == [37_155, 11_687])
        #expect(String(format: "%.1f", balance.classes[0].share * 100) == "76.1")
        #expect(String(format: "%.1f", balance.classes[1].share * 100) == "23.9")
        #expect(abs(balance.entropyBits - 0.7938438393644256) < 1e-12)
        let text = report.text()
        #expect(text.contains("48,842 rows × 15 columns, 52 duplicate rows"))
        #expect(text.contains("<=50K 76.1 % (37,155) · >50K 23.9 % (11,687)"))
        let outcome = try SchemaValidation.validate(documents: [Array(report.json().serialized().utf8)], schema: "data-quality-report.schema.json")
        #expect(outcome.first?.valid == true, "\(outcome.first?.errors ?? [])")
    }

    @Test func rulesOnASmallTable() {
        // x: 1…9 and 100 → numpy linear p25 = 3.25, p75 = 7.75, IQR 4.5, fences −3.5 and 14.5: one outlier (100).
        let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100, Double.nan]
        var c: [String?] = Array(repeating: "a", count: 10)
        c.append(nil)
        let rows: [Int] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 3]  // the last row repeats the third
        let report = DataQualityReport(path: "t", rows: 11, columns: [("x", .numeric(x)), ("c", .categorical(c))], rowKeys: rows, target: "c")
        #expect(report.duplicateRows == 1)
        let numeric = report.columns[0].numeric
        #expect(report.columns[0].missing == 1)
        #expect(numeric?.outliers == 1)
        let quantiles = Dictionary(uniqueKeysWithValues: numeric?.quantiles ?? [])
        #expect(quantiles["p25"] == 3.25)
        #expect(quantiles["p75"] == 7.75)
        #expect(quantiles["p50"] == 5.5)
        #expect(numeric?.minimum == 1 && numeric?.maximum == 100)
        #expect(report.columns[1].categorical?.cardinality == 1)
        #expect(report.targetBalance?.entropyBits == 0)
    }
}
