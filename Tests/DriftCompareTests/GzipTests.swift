import Foundation
import Testing

@testable import DriftCompare

@Suite struct GzipTests {
    /// gzip-compresses `text` with the system `gzip` command.
    static func gzip(_ text: String) throws -> [UInt8] {
        let input = try TestFiles.temporary("plain", text)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-c", "-n", input]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return Array(data)
    }

    @Test func fixtureInflatesToThePlainFile() throws {
        let plain = try FileLoader.load(path: try TestFiles.fixture("current.csv"), progress: nil)
        let inflated = try FileLoader.load(path: try TestFiles.fixture("current.csv.gz"), progress: nil)
        #expect(!plain.wasGzip)
        #expect(inflated.wasGzip)
        #expect(inflated.bytes == plain.bytes)
    }

    @Test func detectedByMagicBytesNotName() throws {
        let path = try TestFiles.temporary("looks-plain.csv", bytes: try Self.gzip("a,b\n1,2\n"))
        let table = try TestFiles.table(path)
        #expect(table.wasGzip)
        #expect(try TestFiles.rows(table) == [["1", "2"]])
    }

    @Test func concatenatedMembersAreJoined() throws {
        let bytes = try Self.gzip("a,b\n1,2\n") + Self.gzip("3,4\n")
        let path = try TestFiles.temporary("two.csv.gz", bytes: bytes)
        #expect(try TestFiles.rows(try TestFiles.table(path)) == [["1", "2"], ["3", "4"]])
    }

    @Test func truncatedStreamIsAnError() throws {
        var text = "a,b\n"
        for row in 0..<2000 { text += "\(row),\(row * 7919 % 1000)\n" }
        let bytes = try Self.gzip(text)
        let path = try TestFiles.temporary("cut.csv.gz", bytes: Array(bytes.prefix(bytes.count / 2)))
        let error = TestFiles.error { _ = try FileLoader.load(path: path, progress: nil) }
        #expect(error == .corruptGzip(path: path, reason: "unexpected end of data (truncated file?)"))
        #expect(error?.description == "\(path): corrupt gzip data: unexpected end of data (truncated file?)")
    }

    @Test func damagedStreamIsAnError() throws {
        var bytes = try Self.gzip("a,b\n1,2\n")
        bytes[12] ^= 0xFF  // inside the deflate data
        bytes[13] ^= 0xFF
        let path = try TestFiles.temporary("bad.csv.gz", bytes: bytes)
        guard case .corruptGzip(let errorPath, _)? = TestFiles.error({ _ = try FileLoader.load(path: path, progress: nil) }) else {
            Issue.record("expected corruptGzip")
            return
        }
        #expect(errorPath == path)
    }

    @Test func compressedEmptyFileIsEmpty() throws {
        let path = try TestFiles.temporary("empty.csv.gz", bytes: try Self.gzip(""))
        #expect(TestFiles.error { _ = try FileLoader.load(path: path, progress: nil) } == .emptyFile(path: path))
    }
}
