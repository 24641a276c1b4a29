import DriftTestSupport
import Foundation

/// The schema examples of `schemas/examples/` and their manifest; validation itself is DriftTestSupport's
/// ``SchemaValidation``.
enum SchemaExamples {
    static var examplesDirectory: URL { SchemaValidation.schemaDirectory.appendingPathComponent("examples") }

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
