import ArgumentParser
import DriftCompare
import DriftContracts
import DriftMonitor
import Foundation

/// `driftwatch profile`: a model version's reference profile from its training data.
struct Profile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a model version's reference profile from its training data (CSV or JSON Lines, gzip accepted).",
        discussion: """
            Every column that is not the label, a prediction, a probability or a score, and is not excluded, \
            is a feature: numeric when every non-missing value is a number (unless --categorical), else \
            categorical. Per feature the profile keeps its type, the reference deciles as bin edges (ties \
            collapsed) with the histogram, a KLL sketch, moments and quantiles, or the category counts; \
            with predictions, the class distribution and the confidence distribution; with labels and \
            predictions, the baseline performance; and a 1,000-row sample for the domain classifier. \
            The monitor loads it with --profile (schemas/reference-profile.schema.json).
            """
    )

    @Option(help: "Training data (CSV or JSON Lines, optionally gzip).")
    var data: String

    @Option(help: "The model's id.")
    var modelId: String

    @Option(help: "The model version this data trained.")
    var modelVersion: String

    @Option(help: "The ground-truth label column.")
    var labelColumn: String?

    @Option(help: "The predicted class column.")
    var predictionColumn: String?

    @Option(help: "Class-probability columns as class=column (or a column named after its class); comma-separated, repeatable.")
    var probabilityColumns: [String] = []

    @Option(help: "A regression or scoring output column.")
    var scoreColumn: String?

    @Option(help: "Leave these columns out (comma-separated; repeatable).")
    var exclude: [String] = []

    @Option(help: "Force these feature columns categorical (comma-separated; repeatable).")
    var categorical: [String] = []

    @Option(help: "Missing-value markers (comma-separated; replaces the defaults ?, empty, NA, N/A, NaN, null, None).")
    var naValues: [String] = []

    @Option(help: "Write the profile here ('-' for stdout).")
    var out: String

    func run() throws {
        do {
            let profile = try build()
            let bytes = profile.json() + [0x0A]
            if out == "-" {
                FileHandle.standardOutput.write(Data(bytes))
            } else {
                try Data(bytes).write(to: URL(fileURLWithPath: out))
                let numeric = profile.features.filter { $0.typeName == "numeric" }.count
                StandardError.emit("profile of \(profile.modelID) \(profile.modelVersion): \(profile.rows) rows, "
                    + "\(profile.features.count) features (\(numeric) numeric, \(profile.features.count - numeric) categorical)"
                    + (profile.performance.flatMap { $0.metric("accuracy") }.map { String(format: ", baseline accuracy %.4f", $0) } ?? "")
                    + " → \(out)\n")
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            StandardError.emit("error: \(error)\n")
            throw ExitCode(1)
        }
    }

    func build() throws -> ReferenceProfile {
        let table = try DataTable.load(path: data, naValues: naValues.isEmpty ? DataTable.defaultMissingMarkers : CommaSeparated.markers(naValues))
        let names = Set(table.columnNames)
        var probabilities: [(name: String, column: String)] = []
        for item in CommaSeparated.items(probabilityColumns) {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            probabilities.append(parts.count == 2 ? (parts[0], parts[1]) : (item, item))
        }
        let roles = [labelColumn, predictionColumn, scoreColumn].compactMap { $0 } + probabilities.map(\.column)
        for name in roles + CommaSeparated.items(exclude) + CommaSeparated.items(categorical) where !names.contains(name) {
            throw ValidationError("no column \(name) in \(data); its columns: \(table.columnNames.joined(separator: ", "))")
        }
        let excluded = Set(roles + CommaSeparated.items(exclude))
        let forcedCategorical = Set(CommaSeparated.items(categorical))
        var columns: [ReferenceProfileBuilder.Column] = []
        for name in table.columnNames where !excluded.contains(name) {
            // A column with no value at all is categorical: its missing rate is all there is to watch.
            if !forcedCategorical.contains(name), let numbers = try table.numbers(name), numbers.contains(where: { !$0.isNaN }) {
                columns.append(.numeric(name: name, values: numbers))
            } else {
                columns.append(.categorical(name: name, values: try table.strings(name)))
            }
        }
        var outcomes = ReferenceProfileBuilder.Outcomes()
        if let labelColumn { outcomes.labels = try table.strings(labelColumn).map { $0.map(Self.normalizedLabel) } }
        if let predictionColumn { outcomes.predictions = try table.strings(predictionColumn).map { $0.map(Self.normalizedLabel) } }
        if let scoreColumn {
            guard let scores = try table.numbers(scoreColumn) else { throw ValidationError("--score-column \(scoreColumn) is not numeric") }
            outcomes.scores = scores
        }
        for (name, column) in probabilities {
            guard let values = try table.numbers(column) else { throw ValidationError("probability column \(column) is not numeric") }
            outcomes.probabilities.append((name: name, values: values))
        }
        return try ReferenceProfileBuilder().build(
            modelID: modelId, modelVersion: modelVersion, createdAt: Int64(Date().timeIntervalSince1970 * 1_000),
            source: ReferenceProfile.Source(path: data, format: table.format, rows: table.rowCount), columns: columns, outcomes: outcomes)
    }

    /// Labels compare as text: trailing periods (Adult's test file writes `>50K.`) and spaces are dropped.
    static func normalizedLabel(_ label: String) -> String {
        var text = label.trimmingCharacters(in: .whitespaces)
        if text.count > 1, text.hasSuffix("."), Double(text) == nil { text.removeLast() }
        return text
    }
}
