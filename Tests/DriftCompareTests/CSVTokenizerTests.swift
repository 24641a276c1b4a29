import DriftStats
import Testing

@testable import DriftCompare

@Suite struct CSVTokenizerTests {
    @Test func quotesEscapesCRLFAndEmptyFields() throws {
        let text = "a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n,,\r\n\"multi\nline\",  spaced  ,\" kept \"\r\n"
        let table = try TestFiles.table(try TestFiles.temporary("t.csv", text))
        #expect(table.columnNames == ["a", "b", "c"])
        #expect(try TestFiles.rows(table) == [
            ["1", "x,y", "say \"hi\""],
            ["", "", ""],
            ["multi\nline", "spaced", " kept "],
        ])
        #expect(table.testOnly_verifyInvariants())
    }

    @Test func noTrailingNewlineBlankLinesAndBOM() throws {
        let text = "\u{FEFF}x,y\n\n1,2\n\r\n3,4"
        let table = try TestFiles.table(try TestFiles.temporary("t.csv", text))
        #expect(table.columnNames == ["x", "y"])
        #expect(try TestFiles.rows(table) == [["1", "2"], ["3", "4"]])
    }

    @Test func detectsSemicolonAndTab() throws {
        let semicolon = try TestFiles.table(try TestFiles.temporary("s.csv", "a;b;\"c,d\"\n1,5;2;3\n"))
        #expect(semicolon.delimiter == UInt8(ascii: ";"))
        #expect(semicolon.columnNames == ["a", "b", "c,d"])
        #expect(try TestFiles.rows(semicolon) == [["1,5", "2", "3"]])
        let tab = try TestFiles.table(try TestFiles.temporary("t.txt", "a\tb\n 1\t2 \n"))
        #expect(tab.delimiter == UInt8(ascii: "\t"))
        #expect(try TestFiles.rows(tab) == [["1", "2"]])
        let forced = try TestFiles.table(try TestFiles.temporary("f.csv", "a|b,c\n1|2,3\n"), delimiter: UInt8(ascii: "|"))
        #expect(forced.columnNames == ["a", "b,c"])
    }

    @Test func headerNamesUnnamedAndDuplicates() throws {
        let table = try TestFiles.table(try TestFiles.temporary("t.csv", ",value,\n1,2,3\n"))
        #expect(table.columnNames == ["unnamed_0", "value", "unnamed_2"])
        let path = try TestFiles.temporary("dup.csv", "a,b,a\n1,2,3\n")
        let error = TestFiles.error { _ = try TestFiles.table(path) }
        #expect(error == .duplicateColumn(path: path, name: "a"))
        #expect(error?.description == "\(path):1: the header names column 'a' twice")
    }

    @Test func raggedRowReportsLineAndCounts() throws {
        // Line 4 is the record after a quoted field spanning lines 2-3.
        let path = try TestFiles.temporary("r.csv", "a,b,c\n1,\"two\nlines\",3\n4,5\n")
        let error = TestFiles.error { _ = try TestFiles.table(path) }
        #expect(error == .raggedRow(path: path, line: 4, expected: 3, found: 2))
        #expect(error?.description == "\(path):4: expected 3 fields (as in the header), found 2")
        let tooMany = try TestFiles.temporary("m.csv", "a,b\n1,2\n1,2,\n")
        #expect(TestFiles.error { _ = try TestFiles.table(tooMany) } == .raggedRow(path: tooMany, line: 3, expected: 2, found: 3))
    }

    @Test func unterminatedQuoteAndJunkAfterQuote() throws {
        let open = try TestFiles.temporary("o.csv", "a,b\n1,2\n3,\"never closed\n4,5\n")
        let error = TestFiles.error { _ = try TestFiles.table(open) }
        #expect(error == .malformed(path: open, line: 3, reason: "unterminated quoted field"))
        let junk = try TestFiles.temporary("j.csv", "a,b\n1,\"x\"y\n")
        #expect(
            TestFiles.error { _ = try TestFiles.table(junk) }
                == .malformed(path: junk, line: 2, reason: "unexpected character after the closing quote of a quoted field"))
    }

    @Test func headerOnlyHasNoDataRows() throws {
        let path = try TestFiles.temporary("h.csv", "a,b\n\n")
        #expect(TestFiles.error { _ = try TestFiles.table(path) } == .noDataRows(path: path))
    }

    /// Tiny chunks put boundaries everywhere, including inside quoted fields with line breaks: the
    /// parallel tokenizing must give the same rows as one chunk.
    @Test func chunkedEqualsSequential() throws {
        var random = SplitMix64(seed: 5)
        var text = "id,text,value\n"
        for row in 0..<400 {
            let field: String
            switch random.nextBounded(4) {
            case 0: field = "\"quoted, with comma\""
            case 1: field = "\"two\nlines \"\"q\"\"\""
            case 2: field = "plain"
            default: field = ""
            }
            text += "\(row),\(field),\(random.nextUniform())\n"
        }
        let path = try TestFiles.temporary("c.csv", text)
        let whole = try TestFiles.table(path, chunkSize: 1 << 30)
        #expect(whole.chunks.count == 1)
        for size in [16, 64, 100, 1000] {
            let chunked = try TestFiles.table(path, chunkSize: size)
            #expect(chunked.chunks.count > 1)
            #expect(try TestFiles.rows(chunked) == TestFiles.rows(whole), "chunk size \(size)")
            #expect(chunked.testOnly_verifyInvariants())
        }
    }

    /// A stray quote inside an unquoted field (`5"`) breaks quote parity; the tokenizer notices and
    /// redoes the file in one pass, which reads the quote literally.
    @Test func strayQuoteFallsBackToOnePass() throws {
        var text = "size,name\n"
        for row in 0..<200 { text += row == 3 ? "5\",screen\n" : "\(row),\"n, \(row)\"\n" }
        let path = try TestFiles.temporary("q.csv", text)
        let table = try TestFiles.table(path, chunkSize: 50)
        #expect(table.chunks.count == 1)
        let rows = try TestFiles.rows(table)
        #expect(rows.count == 200)
        #expect(rows[3] == ["5\"", "screen"])
        #expect(rows[199] == ["199", "n, 199"])
    }

    @Test func chunkBoundariesStartRecords() {
        let text = Array("h\n\"a\nb\",1\nc,2\n\"\"\"x\n\",3\nd,4\n".utf8)
        let boundaries = CSVTokenizer.chunkBoundaries(text, from: 2, targetSize: 1)
        #expect(boundaries.first == 2)
        #expect(boundaries.last == text.count)
        // Every inner boundary follows a line feed outside quotes: the starts of "c,2", "\"\"\"x..." and "d,4".
        let starts = boundaries.dropFirst().dropLast().map { String(decoding: text[$0...].prefix(3), as: UTF8.self) }
        #expect(starts == ["c,2", "\"\"\"", "d,4"])
    }
}
