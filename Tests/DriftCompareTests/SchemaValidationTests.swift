import Foundation
import Testing

@testable import DriftCompare

/// The JSON report validates against `schemas/compare-report.schema.json` with the real Python
/// `jsonschema` package (Draft 2020-12). If `jsonschema` cannot be imported the tests FAIL: CI
/// installs it (`.ci/run`).
@Suite struct SchemaValidationTests {
    static var schemaPath: String {
        TestFiles.packageRoot.appendingPathComponent("schemas/compare-report.schema.json").path
    }

    /// Runs the validator on `document`; returns (exit status, output). Exit 0 = valid, 1 = invalid,
    /// anything else = the validator could not run.
    static func validate(_ document: String) throws -> (status: Int32, output: String) {
        let documentPath = try TestFiles.temporary("report.json", document)
        let script = """
            import json, sys
            import jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
            errors = sorted(validator.iter_errors(json.load(open(sys.argv[2]))), key=lambda e: list(e.path))
            for error in errors:
                print(list(error.path), error.message)
            sys.exit(1 if errors else 0)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schemaPath, documentPath]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
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
