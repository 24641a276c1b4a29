import Testing

@testable import DriftCompare

@Suite struct JSONLinesTokenizerTests {
    @Test func valuesKeysAndMissing() throws {
        let text = """
            {"a": 1.5, "b": "x", "c": true, "d": null}

            {"b":"y\\u00e9\\"","a":-2e3}
            {"e": "new", "a": 3}
            {}
            """
        let table = try TestFiles.table(try TestFiles.temporary("t.jsonl", text))
        #expect(table.format == .jsonLines)
        #expect(table.columnNames == ["a", "b", "c", "d", "e"])
        #expect(try TestFiles.rows(table) == [
            ["1.5", "x", "true", nil, nil],
            ["-2e3", "yé\"", nil, nil, nil],
            ["3", nil, nil, nil, "new"],
            [nil, nil, nil, nil, nil],
        ])
        #expect(table.testOnly_verifyInvariants())
    }

    @Test func surrogatePairsAndEscapes() throws {
        let table = try TestFiles.table(try TestFiles.temporary("t.ndjson", #"{"k": "\ud83d\ude00 \t\\/\/"}"# + "\n"))
        #expect(try TestFiles.rows(table) == [["😀 \t\\//"]])
    }

    @Test func sniffedWithoutExtension() throws {
        let table = try TestFiles.table(try TestFiles.temporary("data", "  {\"a\": 1}\n"))
        #expect(table.format == .jsonLines)
    }

    @Test func nestedValueIsAnErrorUnlessExcluded() throws {
        let path = try TestFiles.temporary("n.jsonl", "{\"a\": 1, \"tags\": [\"x\", {\"y\": \"]\"}]}\n{\"a\": 2, \"tags\": {}}\n")
        let error = TestFiles.error { _ = try TestFiles.table(path) }
        #expect(
            error == .malformed(
                path: path, line: 1,
                reason: "nested value (object or array) for key 'tags'; compare reads flat objects (exclude the column with --exclude)"))
        let table = try TestFiles.table(path, selection: ColumnSelection(only: nil, excluded: ["tags"]))
        #expect(try TestFiles.rows(table).map { $0[0] } == ["1", "2"])
    }

    @Test(arguments: [
        ("{\"a\": 1}\n[1]\n", 2, "expected a JSON object ('{') at the start of the line"),
        ("{\"a\": 1}\n{\"a\" 1}\n", 2, "expected ':' after a key"),
        ("{\"a\": tru}\n", 1, "invalid JSON value"),
        ("{\"a\": 1} x\n", 1, "unexpected text after the JSON object"),
        ("{\"a\": 1\n", 1, "unterminated object: expected ',' or '}'"),
        ("{\"a\": \"open}\n", 1, "unterminated JSON string"),
        ("{a: 1}\n", 1, "expected a key (a JSON string)"),
    ])
    func syntaxErrors(text: String, line: Int, reason: String) throws {
        let path = try TestFiles.temporary("e.jsonl", text)
        #expect(TestFiles.error { _ = try TestFiles.table(path) } == .malformed(path: path, line: line, reason: reason))
    }

    @Test func chunkedEqualsSequential() throws {
        var text = ""
        for row in 0..<300 {
            text += row % 7 == 0 ? "{\"late\": \(row), \"v\": \(row)}\n" : "{\"v\": \(row), \"s\": \"r\(row)\"}\n"
        }
        let path = try TestFiles.temporary("c.jsonl", text)
        let whole = try TestFiles.table(path, chunkSize: 1 << 30)
        let chunked = try TestFiles.table(path, chunkSize: 40)
        #expect(chunked.chunks.count > 10)
        #expect(chunked.columnNames == whole.columnNames)
        #expect(try TestFiles.rows(chunked) == TestFiles.rows(whole))
        #expect(chunked.testOnly_verifyInvariants())
    }
}
