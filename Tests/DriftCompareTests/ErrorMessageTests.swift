import Foundation
import Testing

@testable import DriftCompare

/// Every user error: the exact message `driftwatch compare` prints (after "error: ").
@Suite struct ErrorMessageTests {
    static func message(_ options: CompareOptions) -> String? {
        TestFiles.error { _ = try DriftCompare.run(options) }?.description
    }

    static func files(_ reference: String, _ current: String) throws -> CompareOptions {
        CompareOptions(source: .files(reference: reference, current: current))
    }

    @Test func missingFile() throws {
        let good = try TestFiles.temporary("good.csv", "a\n1\n")
        let missing = good + ".does-not-exist"
        #expect(Self.message(try Self.files(missing, good)) == "\(missing): no such file")
        #expect(Self.message(try Self.files(good, missing)) == "\(missing): no such file")
    }

    @Test func emptyAndBlankFiles() throws {
        let good = try TestFiles.temporary("good.csv", "a\n1\n")
        let empty = try TestFiles.temporary("empty.csv", "")
        let blank = try TestFiles.temporary("blank.csv", " \n\r\n\t\n")
        #expect(Self.message(try Self.files(empty, good)) == "\(empty): the file is empty")
        #expect(Self.message(try Self.files(good, blank)) == "\(blank): the file is empty")
    }

    @Test func directoryIsUnreadable() throws {
        let folder = try TestFiles.temporaryFolder().path
        let good = try TestFiles.temporary("good.csv", "a\n1\n")
        #expect(Self.message(try Self.files(folder, good)) == "\(folder): cannot read: it is a directory")
    }

    @Test func headerOnly() throws {
        let good = try TestFiles.temporary("good.csv", "a\n1\n")
        let header = try TestFiles.temporary("header.csv", "a\n")
        #expect(Self.message(try Self.files(good, header)) == "\(header): the file has a header but no data rows")
    }

    @Test func raggedRowThroughRun() throws {
        let good = try TestFiles.temporary("good.csv", "a,b\n1,2\n")
        let ragged = try TestFiles.temporary("ragged.csv", "a,b\n1,2\n3\n")
        #expect(Self.message(try Self.files(good, ragged)) == "\(ragged):3: expected 2 fields (as in the header), found 1")
    }

    @Test func noCommonColumnsListsBothSides() throws {
        let reference = try TestFiles.temporary("r.csv", "a,b\n1,2\n")
        let current = try TestFiles.temporary("c.csv", "c,d,e\n1,2,3\n")
        #expect(Self.message(try Self.files(reference, current)) == """
            no common columns to compare
              reference \(reference): a, b
              current   \(current): c, d, e
            """)
        // Filtering everything common away is the same error.
        let shared = try TestFiles.temporary("s.csv", "a,z\n1,2\n")
        var options = try Self.files(reference, shared)
        options.exclude = ["a"]
        #expect(Self.message(options)?.hasPrefix("no common columns to compare\n") == true)
    }

    @Test func unknownColumnsInOptions() throws {
        let reference = try TestFiles.temporary("r.csv", "a,b\n1,2\n")
        let current = try TestFiles.temporary("c.csv", "a,c\n1,2\n")
        var options = try Self.files(reference, current)
        options.columns = ["b"]
        #expect(Self.message(options) == "--columns (current \(current)): no column named 'b' (available: a, c)")
        options.columns = nil
        options.exclude = ["zz"]
        #expect(Self.message(options) == "--exclude: no column named 'zz' (available: a, b, c)")
        options.exclude = []
        options.numeric = ["q"]
        #expect(Self.message(options) == "--numeric: no column named 'q' (available: a, b, c)")
    }

    @Test func invalidOptions() throws {
        let good = try TestFiles.temporary("good.csv", "a\n1\n2\n")
        var options = try Self.files(good, good)
        options.bins = 1
        #expect(Self.message(options) == "--bins must be between 2 and 10000 (got 1)")
        options = try Self.files(good, good)
        options.numeric = ["a"]
        options.categorical = ["a"]
        #expect(Self.message(options) == "column 'a' is given both in --numeric and in --categorical")
        options = try Self.files(good, good)
        options.thresholds.driftShare = 0
        #expect(Self.message(options) == "--drift-share must be in (0, 1] (got 0.0)")
        options = CompareOptions(source: .split(data: good, referenceRows: 2))
        #expect(Self.message(options) == "--reference-rows 2 leaves no current rows: \(good) has 2 data rows")
        options = CompareOptions(source: .split(data: good, referenceRows: 0))
        #expect(Self.message(options) == "--reference-rows must be at least 1 (got 0)")
    }
}
