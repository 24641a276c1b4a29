import Foundation

/// The repository's files, and the real Python `jsonschema` validator (`scripts/validate-json.py`) run on
/// documents. If `jsonschema` is missing the tests fail: `.ci/run` installs it.
enum SchemaValidator {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // DriftContractsTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
    }

    static var schemaDirectory: URL { packageRoot.appendingPathComponent("schemas") }
    static var examplesDirectory: URL { schemaDirectory.appendingPathComponent("examples") }

    struct Outcome: Decodable {
        let file: String
        let valid: Bool
        let errors: [String]
    }

    /// Validates files against `schema` (a file name in `schemas/`); one outcome per file, in order.
    static func validate(files: [String], schema: String) throws -> [Outcome] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", packageRoot.appendingPathComponent("scripts/validate-json.py").path,
                             schemaDirectory.path, schema] + files
        let pipe = Pipe()
        process.standardOutput = pipe
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        let diagnostics = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus <= 1 else {
            throw ValidatorFailure(message: String(decoding: output, as: UTF8.self) + diagnostics)
        }
        return try String(decoding: output, as: UTF8.self).split(separator: "\n").map {
            try JSONDecoder().decode(Outcome.self, from: Data($0.utf8))
        }
    }

    /// Validates documents given as bytes (written to temporary files first).
    static func validate(documents: [[UInt8]], schema: String) throws -> [Outcome] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try documents.enumerated().map { index, bytes in
            let url = directory.appendingPathComponent("document-\(index).json")
            try Data(bytes).write(to: url)
            return url.path
        }
        return try validate(files: files, schema: schema)
    }

    struct ValidatorFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { "the schema validator could not run (pip install jsonschema): \(message)" }
    }

    /// An entry of `schemas/examples/manifest.json`.
    struct Example: Decodable, Sendable, CustomStringConvertible {
        let file: String
        let schema: String
        let valid: Bool
        let reason: String?
        let path: String?
        let schema_catches: Bool?
        var description: String { file }
    }

    static func examples() throws -> [Example] {
        let data = try Data(contentsOf: examplesDirectory.appendingPathComponent("manifest.json"))
        return try JSONDecoder().decode([Example].self, from: data)
    }

    static func bytes(of example: Example) throws -> [UInt8] {
        Array(try Data(contentsOf: examplesDirectory.appendingPathComponent(example.file)))
    }
}
