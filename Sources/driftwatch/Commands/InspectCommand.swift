import ArgumentParser
import DriftCompare
import DriftJSON
import Foundation

/// `driftwatch inspect`: a data-quality report of a file.
struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report a dataset's quality: types, duplicates, missing values, summaries, outliers, rare categories, class balance.",
        discussion: """
            Reads a CSV or JSON Lines file (gzip accepted; missing markers as driftwatch compare: ?, empty, NA, \
            NaN, null, …). A column is numeric when every present value is a number. Outliers follow the IQR rule \
            (outside p25 − 1.5·IQR … p75 + 1.5·IQR, numpy's linear quantiles); categories under 1 % of the present \
            values are rare. --json writes the report as JSON (schemas/data-quality-report.schema.json).
            """
    )

    @Option(help: "The dataset (CSV or JSON Lines, optionally gzipped).")
    var data: String

    @Option(help: "The target column: its class balance and entropy are reported.")
    var target: String?

    @Option(help: "Write the report as JSON here.")
    var json: String?

    func run() throws {
        do {
            let table = try DataTable.load(path: data)
            if let target, !table.columnNames.contains(target) {
                throw ValidationError("no column \(target) in \(data); its columns: \(table.columnNames.joined(separator: ", "))")
            }
            let report = try DataQualityReport.inspect(table, target: target)
            print(report.text(), terminator: "")
            if let json {
                try Data(report.json().serialized(pretty: true).utf8).write(to: URL(fileURLWithPath: json))
                StandardError.emit("driftwatch inspect: wrote \(json)\n")
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            StandardError.emit("driftwatch inspect: \(error)\n")
            throw ExitCode(1)
        }
    }
}
