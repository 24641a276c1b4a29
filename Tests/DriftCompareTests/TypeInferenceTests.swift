import Testing

@testable import DriftCompare

/// Column types, missing values and the `--numeric` / `--categorical` / `--na-values` options, through
/// the library entry point.
@Suite struct TypeInferenceTests {
    static func run(_ reference: String, _ current: String, ext: String = "csv", _ configure: (inout CompareOptions) -> Void = { _ in })
        throws -> CompareReport
    {
        var options = CompareOptions(
            source: .files(
                reference: try TestFiles.temporary("reference.\(ext)", reference),
                current: try TestFiles.temporary("current.\(ext)", current)))
        options.generatedAt = "2026-01-01T00:00:00Z"
        configure(&options)
        return try DriftCompare.run(options)
    }

    static func column(_ report: CompareReport, _ name: String) throws -> ColumnReport {
        try #require(report.columns.first { $0.name == name })
    }

    @Test func infersNumericAndCategorical() throws {
        let report = try Self.run("n,t,mixed\n1,a,1\n2.5,b,2\n-3e2,c,3\n", "n,t,mixed\n4,a,x\n5,b,5\n6,c,6\n")
        #expect(try Self.column(report, "n").kind == .numeric)
        #expect(try Self.column(report, "t").kind == .categorical)
        // Numeric in the reference, not in the current: categorical on both sides.
        let mixed = try Self.column(report, "mixed")
        #expect(mixed.kind == .categorical)
        #expect(mixed.forcedType == false)
        #expect(mixed.categories?.referenceCount == 3)
        #expect(mixed.categories?.unseen.map(\.value) == ["5", "6", "x"])  // most frequent first, then by value
        #expect(mixed.categories?.unseenTotal == 3)
        #expect(mixed.categories?.unseenShare == 1)
    }

    @Test func mixedColumnGetsANoteWithFileAndLine() throws {
        let current = "v\n1\n2\noops\n"
        let report = try Self.run("v\n1\n2\n", current)
        let column = try Self.column(report, "v")
        #expect(column.kind == .categorical)
        #expect(column.notes.count == 1)
        let note = try #require(column.notes.first)
        #expect(note.contains("'oops' at ") && note.contains("current.csv:4 is not a number"))
        // A plain text column gets no such note.
        let text = try Self.run("v\na\n", "v\nb\n")
        #expect(try Self.column(text, "v").notes.isEmpty)
    }

    @Test func missingMarkersAreCountedNotCompared() throws {
        let report = try Self.run("x,c\n1,a\n?,?\nNA,\n,NA\n2,b\n", "x,c\n\"\",a\nnan,b\n3,\"NA\"\ninf,b\n")
        let x = try Self.column(report, "x")
        #expect(x.kind == .numeric)
        #expect(x.countReference == 2)
        #expect(x.missingReference == 3)
        #expect(x.countCurrent == 1)  // "" and nan are markers, inf is not finite: all missing
        #expect(x.missingCurrent == 3)
        let c = try Self.column(report, "c")
        #expect(c.kind == .categorical)
        #expect(c.missingReference == 3)
        #expect(c.countReference == 2)
        #expect(c.missingCurrent == 1)
    }

    @Test func naValuesReplaceTheDefaults() throws {
        let report = try Self.run("x\n1\n?\n-999\n", "x\n2\n-999\n") { $0.naValues = ["-999"] }
        let x = try Self.column(report, "x")
        #expect(x.kind == .categorical)  // "?" is a value now
        #expect(x.missingReference == 1)
        #expect(x.missingCurrent == 1)
        #expect(x.categories?.referenceCount == 2)
    }

    @Test func forcedCategoricalAndNumeric() throws {
        let report = try Self.run("day,code\n1,7\n2,8\n", "day,code\n1,9\n3,\"10\"\n") {
            $0.categorical = ["day"]
            $0.numeric = ["code"]
        }
        let day = try Self.column(report, "day")
        #expect(day.kind == .categorical && day.forcedType)
        #expect(day.categories?.unseen == [.init(value: "3", count: 1)])
        let code = try Self.column(report, "code")
        #expect(code.kind == .numeric && code.forcedType)
        #expect(code.countCurrent == 2)
    }

    @Test func forcedNumericRejectsTextWithFileAndLine() throws {
        let currentText = "a,b\n1,x\n2,\"multi\nline\"\n3,4\n5,five\n"
        let referencePath = try TestFiles.temporary("r.csv", "a,b\n1,2\n")
        let currentPath = try TestFiles.temporary("c.csv", currentText)
        var options = CompareOptions(source: .files(reference: referencePath, current: currentPath))
        options.numeric = ["a"]
        #expect(try DriftCompare.run(options).columns.count == 2)
        options.numeric = ["b"]
        let error = TestFiles.error { _ = try DriftCompare.run(options) }
        #expect(error == .nonNumericValue(path: currentPath, line: 2, column: "b", value: "x"))
        #expect(error?.description == "\(currentPath):2: column 'b' is numeric (--numeric) but has the value 'x'")
    }

    @Test func lowCardinalityIntegersStayNumericWithANote() throws {
        let report = try Self.run("day\n1\n2\n3\n", "day\n4\n5\n")
        let day = try Self.column(report, "day")
        #expect(day.kind == .numeric)
        #expect(day.notes == ["numeric with only 3 distinct integer values in the reference; use --categorical day to compare it as categories"])
    }

    @Test func jsonTypesFollowJSON() throws {
        let report = try Self.run(
            "{\"n\": 1, \"s\": \"1\", \"b\": true, \"z\": null}\n{\"n\": 2.5, \"s\": \"2\", \"b\": false, \"z\": \"NA\"}\n",
            "{\"n\": 3, \"s\": \"3\", \"b\": true, \"z\": null}\n", ext: "jsonl")
        #expect(try Self.column(report, "n").kind == .numeric)
        #expect(try Self.column(report, "s").kind == .categorical)  // JSON strings are text
        #expect(try Self.column(report, "b").kind == .categorical)
        let z = try Self.column(report, "z")
        #expect(z.missingReference == 2 && z.missingCurrent == 1 && z.countReference == 0)
        #expect(z.status == .normal)
        #expect(z.notes == ["no values on either side; no metric computed"])
        // Forced numeric accepts numeric strings.
        let forced = try Self.run("{\"s\": \"1.5\"}\n", "{\"s\": \"2\"}\n", ext: "jsonl") { $0.numeric = ["s"] }
        #expect(try Self.column(forced, "s").kind == .numeric)
    }

    @Test func emptySideIsCritical() throws {
        let report = try Self.run("x,y\n1,a\n2,b\n", "x,y\n?,a\nNA,b\n")
        let x = try Self.column(report, "x")
        #expect(x.status == .critical)
        #expect(x.metrics == ColumnMetricValues())
        #expect(x.notes.last == "every current value is missing; no metric computed")
    }
}
