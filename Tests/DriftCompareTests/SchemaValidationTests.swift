import DriftTestSupport
import Foundation
import Testing

@testable import DriftCompare

/// The JSON report validates against `schemas/compare-report.schema.json` with the real Python
/// `jsonschema` package (Draft 2020-12). If `jsonschema` cannot be imported the tests FAIL: CI
/// installs it (`.ci/run`).
@Suite struct SchemaValidationTests {
    /// Runs the validator on `document`; returns (exit status, output): 0 = valid, 1 = invalid. Throws when
    /// the validator cannot run.
    static func validate(_ document: String) throws -> (status: Int32, output: String) {
        let outcome = try SchemaValidation.validate(documents: [Array(document.utf8)], schema: "compare-report.schema.json")[0]
        return (outcome.valid ? 0 : 1, outcome.errors.joined(separator: "\n"))
    }

    static func report(_ configure: (inout CompareOptions) -> Void = { _ in }) throws -> CompareReport {
        var options = try EndToEndTests.options()
        configure(&options)
        return try DriftCompare.run(options)
    }

    @Test func jsonschemaIsImportable() throws {
        let result = try Self.validate("{}")
        #expect(result.status == 1, "python3 with jsonschema must be installed (pip install jsonschema): \(result.output)")
    }

    @Test func standardReportValidates() throws {
        let result = try Self.validate(try Self.report().json())
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func evidentlySplitFilteredReportValidates() throws {
        var options = CompareOptions(source: .split(data: try TestFiles.fixture("reference.csv"), referenceRows: 123))
        options.mode = .evidently
        options.columns = ["age", "city"]
        options.categorical = ["age"]
        options.delimiter = UInt8(ascii: ",")
        let result = try Self.validate(try DriftCompare.run(options).json(pretty: false))
        #expect(result.status == 0, "\(result.output)")
    }

    /// Reports with an empty side (no metrics), JSON Lines input and non-finite metrics validate too.
    @Test func edgeReportsValidate() throws {
        let reference = try TestFiles.temporary("r.jsonl", "{\"x\": 1, \"c\": \"a\"}\n{\"x\": 2, \"c\": \"a\"}\n")
        let current = try TestFiles.temporary("c.jsonl", "{\"x\": null, \"c\": \"b\"}\n")
        var options = CompareOptions(source: .files(reference: reference, current: current))
        options.mode = .evidently
        let report = try DriftCompare.run(options)
        let result = try Self.validate(report.json())
        #expect(result.status == 0, "\(result.output)")
    }

    /// The schema rejects what it should (the validation is not vacuous).
    @Test(arguments: [
        ("\"status\": \"NORMAL\"", "\"status\": \"FINE\""),
        ("\"schema_version\": \"1.0\"", "\"schema_version\": 1"),
        ("\"type\": \"numeric\"", "\"type\": \"number\""),
        ("\"generated_at\": \"2026-01-02T03:04:05Z\"", "\"generated_at\": \"yesterday\""),
        ("\"missing_reference\": 0", "\"missing_reference\": -1"),
        ("\"drifted\": false", "\"drifted\": true"),
        ("\"mode\": \"standard\"", "\"mode\": \"fancy\""),
        ("\"columns\": [", "\"columns\": [], \"extra\": ["),
    ])
    func brokenReportsFail(original: String, replacement: String) throws {
        let json = try Self.report().json()
        #expect(json.contains(original))
        let broken = json.replacingOccurrences(of: original, with: replacement)
        let result = try Self.validate(broken)
        #expect(result.status == 1, "\(result.output)")
    }
}
