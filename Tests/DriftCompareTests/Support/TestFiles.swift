import Foundation
import Testing

@testable import DriftCompare

/// Fixture and temporary files for the compare tests.
enum TestFiles {
    /// Path of a file in `Tests/DriftCompareTests/Fixtures` (copied into the test bundle).
    static func fixture(_ name: String) throws -> String {
        let folder = try #require(Bundle.module.path(forResource: "Fixtures", ofType: nil))
        return folder + "/" + name
    }

    /// The package's root folder (for `schemas/`), found from this source file's path.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // DriftCompareTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
    }

    /// Writes `bytes` to a new file `name` in a fresh temporary folder and returns its path.
    static func temporary(_ name: String, bytes: [UInt8]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("driftcompare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func temporary(_ name: String, _ text: String) throws -> String {
        try temporary(name, bytes: Array(text.utf8))
    }

    /// A fresh temporary folder.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("driftcompare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Tokenizes one file.
    static func table(
        _ path: String, delimiter: UInt8? = nil, selection: ColumnSelection = ColumnSelection(), chunkSize: Int = InputReader.chunkSize
    ) throws -> TokenizedTable {
        let tables = try InputReader.load(paths: [path], delimiter: delimiter, selection: selection, progress: nil, chunkSize: chunkSize)
        return try #require(tables.first)
    }

    /// The table's rows as text (`nil` for a missing cell), unescaped, in row order.
    static func rows(_ table: TokenizedTable) throws -> [[String?]] {
        var rows: [[String?]] = []
        for chunk in table.chunks {
            for row in 0..<chunk.rowCount {
                var values: [String?] = []
                for column in table.columnNames.indices {
                    let slot = chunk.slots[column]
                    guard slot >= 0 else {
                        values.append(nil)
                        continue
                    }
                    let cell = chunk.cells[row * chunk.stride + slot]
                    if cell.isMissing {
                        values.append(nil)
                        continue
                    }
                    let bytes: [UInt8] =
                        cell.isEscaped
                        ? try ColumnDecoder.unescape(cell, format: table.format, path: table.path, bytes: table.bytes)
                        : Array(table.bytes[Int(cell.start)..<(Int(cell.start) + cell.length)])
                    values.append(String(decoding: bytes, as: UTF8.self))
                }
                rows.append(values)
            }
        }
        return rows
    }

    /// Runs `body` and returns the ``CompareError`` it throws (failing the test if it throws none).
    static func error(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> CompareError? {
        do {
            try body()
            Issue.record("expected a CompareError, got none", sourceLocation: sourceLocation)
            return nil
        } catch let error as CompareError {
            return error
        } catch {
            Issue.record("expected a CompareError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }
}
