import Foundation
import Testing

@testable import DriftCompare

/// `DriftCompare.run` on the fixture files, checked against what Python's csv module reads from them
/// (`Fixtures/expected.json`).
@Suite struct EndToEndTests {
    static let compared = ["age", "income", "score", "city", "note", "plan", "day"]

    static func options(current: String = "current.csv") throws -> CompareOptions {
        var options = CompareOptions(
            source: .files(reference: try TestFiles.fixture("reference.csv"), current: try TestFiles.fixture(current)))
        options.generatedAt = "2026-01-02T03:04:05Z"
        return options
    }

    @Test func columnsTypesAndCountsMatchTheOracle() throws {
        let oracle = try Oracle.load()
        let report = try DriftCompare.run(try Self.options())
        #expect(report.columns.map(\.name) == Self.compared)
        #expect(report.reference.rows == oracle.reference.rows)
        #expect(report.current.rows == oracle.current.rows)
        #expect(report.reference.columns == 8 && report.current.columns == 8)
        for column in report.columns {
            let reference = try #require(oracle.reference.columns[column.name])
            let current = try #require(oracle.current.columns[column.name])
            #expect(column.missingReference == reference.missing, "\(column.name)")
            #expect(column.missingCurrent == current.missing, "\(column.name)")
            if let values = reference.values {
                #expect(column.kind == .numeric, "\(column.name)")
                #expect(column.countReference == values.count)
                #expect(column.countCurrent == current.values?.count)
            } else {
                #expect(column.kind == .categorical, "\(column.name)")
                let referenceCounts = try #require(reference.counts)
                let currentCounts = try #require(current.counts)
                #expect(column.categories?.referenceCount == referenceCounts.count)
                #expect(column.categories?.currentCount == currentCounts.count)
                let unseen = currentCounts.filter { referenceCounts[$0.key] == nil }
                #expect(column.categories?.unseenTotal == unseen.values.reduce(0, +))
                #expect(column.categories?.unseen.map(\.value) == unseen.keys.sorted())
            }
        }
        #expect(report.columns.first { $0.name == "city" }?.categories?.unseen.map(\.value) == ["Nice"])
    }

    /// The decoded values themselves equal the oracle's (numbers bit for bit, categories with counts).
    @Test func decodedValuesMatchTheOracle() throws {
        let oracle = try Oracle.load()
        let options = try Self.options()
        let tables = try InputReader.load(
            paths: [try TestFiles.fixture("reference.csv"), try TestFiles.fixture("current.csv")], delimiter: nil,
            selection: ColumnSelection(), progress: nil, chunkSize: 512)
        let decoder = TypedDecoder(
            decoder: ColumnDecoder(missing: MissingValueMatcher(markers: options.naValues)), numeric: [], categorical: [])
        let columns = try decoder.decode(
            Self.compared, reference: TableSlice(tables[0]), current: TableSlice(tables[1]), progress: nil)
        for column in columns {
            for (side, file) in [(column.reference, oracle.reference), (column.current, oracle.current)] {
                let expected = try #require(file.columns[column.name])
                switch side.values {
                case .numeric(let values):
                    #expect(values == expected.values?.sorted(), "\(column.name)")
                case .categorical(let values, let counts):
                    #expect(Dictionary(uniqueKeysWithValues: zip(values, counts)) == expected.counts, "\(column.name)")
                }
            }
        }
    }

    /// The same current data as CSV (CRLF), gzip CSV and JSON Lines gives the same column reports.
    @Test func formatsAgree() throws {
        let csv = try DriftCompare.run(try Self.options())
        let gzip = try DriftCompare.run(try Self.options(current: "current.csv.gz"))
        let jsonl = try DriftCompare.run(try Self.options(current: "current.jsonl"))
        #expect(gzip.current.gzip && gzip.current.format == .csv)
        #expect(jsonl.current.format == .jsonLines)
        #expect(gzip.columns == csv.columns)
        #expect(jsonl.columns == csv.columns)
        #expect(jsonl.summary == csv.summary)
    }

    @Test func referenceRowsSplitsOneFile() throws {
        let path = try TestFiles.fixture("reference.csv")
        var options = CompareOptions(source: .split(data: path, referenceRows: 150))
        options.generatedAt = "2026-01-02T03:04:05Z"
        options.exclude = ["only_ref"]
        let report = try DriftCompare.run(options)
        #expect(report.columns.map(\.name) == Self.compared)
        #expect(report.reference.rows == 150)
        #expect(report.current.rows == 250)
        #expect(report.reference.rowRange == 1...150)
        #expect(report.current.rowRange == 151...400)
        let oracle = try Oracle.load()
        for column in report.columns {
            let expected = try #require(oracle.reference.columns[column.name])
            #expect(column.missingReference + column.missingCurrent == expected.missing, "\(column.name)")
            #expect(column.countReference + column.countCurrent + column.missingReference + column.missingCurrent == 400)
        }
        let json = report.json()
        #expect(json.contains("\"split\": {\n      \"data\": \"\(path)\",\n      \"reference_rows\": 150\n    }"))
    }

    @Test func columnFilters() throws {
        var options = try Self.options()
        options.columns = ["plan", "age"]
        #expect(try DriftCompare.run(options).columns.map(\.name) == ["age", "plan"])
        options.columns = nil
        options.exclude = ["note", "only_ref"]
        #expect(try DriftCompare.run(options).columns.map(\.name) == ["age", "income", "score", "city", "plan", "day"])
    }

    @Test func reportJSONShape() throws {
        let report = try DriftCompare.run(try Self.options())
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(object["schema_version"] as? String == "1.0")
        #expect(object["generated_at"] as? String == "2026-01-02T03:04:05Z")
        let columns = try #require(object["columns"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == Self.compared)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["total_columns"] as? Int == 7)
        #expect(report.table().contains("COLUMN"))
    }
}
