import Foundation
import Testing

/// `Fixtures/expected.json`: what Python's csv module reads from the fixtures (see make_fixtures.py).
struct Oracle: Decodable {
    struct Column: Decodable {
        var missing: Int
        var values: [Double]?
        var counts: [String: Int]?
    }

    struct File: Decodable {
        var rows: Int
        var columns: [String: Column]
    }

    var reference: File
    var current: File

    static func load() throws -> Oracle {
        let data = try Data(contentsOf: URL(fileURLWithPath: try TestFiles.fixture("expected.json")))
        return try JSONDecoder().decode(Oracle.self, from: data)
    }
}
