import Foundation
import DriftTestSupport

/// Loads the golden vector files copied from `../shared/golden` into `Fixtures/golden`.
///
/// The files were computed by scipy 1.17.1, numpy 2.4.6, scikit-learn 1.9.1, Evidently 0.7.23 and
/// River 0.26.1; see `Fixtures/golden/README.md`.
enum Golden {
    /// The parsed top-level object of `Fixtures/golden/<name>.json`.
    static func file(_ name: String) throws -> [String: Any] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/golden")
        else { throw GoldenError.missing(name) }
        let data = try Data(contentsOf: url)
        // Correctly rounded numbers: JSONSerialization on Linux can be an ulp off.
        guard let object = try GoldenJSONParser.parse(Array(data)) as? [String: Any] else {
            throw GoldenError.malformed(name)
        }
        return object
    }

    /// The `cases` array of a golden file.
    static func cases(_ name: String) throws -> [[String: Any]] {
        guard let cases = try file(name)["cases"] as? [[String: Any]] else { throw GoldenError.malformed(name) }
        return cases
    }

    /// The case with the given id.
    static func `case`(_ name: String, id: String) throws -> [String: Any] {
        guard let found = try cases(name).first(where: { $0["id"] as? String == id }) else {
            throw GoldenError.missing("\(name)#\(id)")
        }
        return found
    }

    /// The ids of every case in a file (for `@Test(arguments:)`).
    static func caseIDs(_ name: String) -> [String] {
        ((try? cases(name)) ?? []).compactMap { $0["id"] as? String }
    }

    enum GoldenError: Error { case missing(String), malformed(String) }
}

/// Relative-or-absolute closeness: |a − b| ≤ max(rel·max(|a|,|b|), abs); equal infinities and NaNs match.
func isClose(_ a: Double, _ b: Double, rel: Double, abs: Double = 0) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a.isInfinite || b.isInfinite { return a == b }
    return Swift.abs(a - b) <= Swift.max(rel * Swift.max(Swift.abs(a), Swift.abs(b)), abs)
}
