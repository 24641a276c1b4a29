public import Foundation

/// Validates JSON documents against the repository's `schemas/` with the real Python `jsonschema` package
/// (Draft 2020-12, formats checked), through `scripts/validate-json.py`. When the validator cannot run (no
/// `jsonschema`) it throws, so tests fail rather than pass vacuously: `.ci/run` installs it.
public enum SchemaValidation {
    /// The repository's root (this file is `Sources/DriftTestSupport/SchemaValidation.swift`).
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `schemas/`.
    public static var schemaDirectory: URL { packageRoot.appendingPathComponent("schemas") }

    /// One document's verdict.
    public struct Outcome: Decodable, Sendable {
        public let file: String
        public let valid: Bool
        public let errors: [String]
    }

    /// The validator could not run.
    public struct ValidatorFailure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { "the schema validator could not run (pip install jsonschema): \(message)" }
    }

    /// Validates files against `schema` (a file name in `schemas/`); one outcome per file, in order.
    public static func validate(files: [String], schema: String) throws -> [Outcome] {
        let result = try ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", packageRoot.appendingPathComponent("scripts/validate-json.py").path, schemaDirectory.path, schema] + files)
        let text = result.stdout
        guard result.status <= 1 else { throw ValidatorFailure(message: text + result.stderr) }
        let outcomes = try text.split(separator: "\n").map { try JSONDecoder().decode(Outcome.self, from: Data($0.utf8)) }
        guard outcomes.count == files.count else { throw ValidatorFailure(message: text + result.stderr) }
        return outcomes
    }

    /// Validates documents given as bytes (written to temporary files first).
    public static func validate(documents: [[UInt8]], schema: String) throws -> [Outcome] {
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
}
