import DriftTestSupport
import Foundation
import Testing

/// The real `driftwatch` binary (built next to the test bundle by `swift test`): exit statuses, stdout,
/// stderr and option parsing.
@Suite struct CommandLineTests {
    typealias Outcome = ChildProcess.Outcome

    static func driftwatch(_ arguments: [String]) throws -> Outcome {
        let binary = ChildProcess.driftwatch(besides: Bundle.module)
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "no driftwatch binary at \(binary.path)")
        return try ChildProcess.run(binary, arguments)
    }

    @Test func jsonToStdoutWithOptions() throws {
        let outcome = try Self.driftwatch([
            "compare", "--reference", try TestFiles.fixture("reference.csv"), "--current", try TestFiles.fixture("current.jsonl"),
            "--json", "-", "--exclude", "note", "--exclude", "day", "--categorical", "age", "--na-values", "?,,NA",
            "--mode", "evidently", "--drift-share", "0.3", "--min-effect", "0", "--quiet",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let columns = try #require(object["columns"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == ["age", "income", "score", "city", "plan"])
        #expect(columns.first?["type"] as? String == "categorical")
        let options = try #require(object["options"] as? [String: Any])
        #expect(options["mode"] as? String == "evidently")
        #expect(options["na_values"] as? [String] == ["?", "", "NA"])
        #expect(options["exclude"] as? [String] == ["note", "day"])
        let thresholds = try #require(object["thresholds"] as? [String: Any])
        #expect(thresholds["drift_share"] as? Double == 0.3)
        #expect(outcome.stderr.isEmpty)
    }

    @Test func tableAndReportFile() throws {
        let report = try TestFiles.temporaryFolder().appendingPathComponent("r.json").path
        let outcome = try Self.driftwatch([
            "compare", "--data", try TestFiles.fixture("reference.csv"), "--reference-rows", "200", "--json", report,
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("COLUMN "))
        #expect(outcome.stdout.contains("report written to \(report)"))
        #expect(FileManager.default.fileExists(atPath: report))
    }

    @Test func inputErrorExitsWithOne() throws {
        let missing = try TestFiles.temporaryFolder().appendingPathComponent("missing.csv").path
        let outcome = try Self.driftwatch(["compare", "--reference", missing, "--current", try TestFiles.fixture("current.csv")])
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "error: \(missing): no such file\n")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func usageErrorExitsWith64() throws {
        let outcome = try Self.driftwatch(["compare", "--reference", "a.csv"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("give either --reference A --current B, or --data F --reference-rows N"))
    }
}
