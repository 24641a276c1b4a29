import ArgumentParser
import DriftCompare

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--mode` values (CompareOptions.Mode, spelled for the command line).
enum ModeArgument: String, ExpressibleByArgument, CaseIterable {
    case standard, evidently

    var mode: CompareOptions.Mode {
        switch self {
        case .standard: .standard
        case .evidently: .evidently
        }
    }
}

/// `driftwatch compare`: batch drift between two datasets.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Batch drift between a reference and a current dataset (CSV or JSON Lines, gzip accepted).",
        discussion: """
            Infers each common column's type (numeric when every non-missing value is a number on both \
            sides, else categorical), computes the drift metrics that apply (PSI, KS, JS, KL, chi-square, \
            Wasserstein, Hellinger), gives each column a status (NORMAL / WARNING / CRITICAL) and the dataset \
            a verdict, prints a table and with --json writes a report (schemas/compare-report.schema.json). \
            Exit status: 0 when the comparison ran (whatever it found), 1 for an input error, 64 for a usage error. \
            See docs/compare.md.
            """
    )

    @Option(help: "Reference dataset (CSV or JSON Lines, optionally gzip).")
    var reference: String?

    @Option(help: "Current dataset to compare with the reference.")
    var current: String?

    @Option(help: "One dataset to split with --reference-rows (instead of --reference/--current).")
    var data: String?

    @Option(help: "With --data: the first N data rows are the reference, the rest the current data.")
    var referenceRows: Int?

    @Option(help: "Write the JSON report to this file ('-' for stdout, which then gets no table).")
    var json: String?

    @Option(help: "Force these columns numeric (comma-separated; repeatable).")
    var numeric: [String] = []

    @Option(help: "Force these columns categorical (comma-separated; repeatable).")
    var categorical: [String] = []

    @Option(help: "Compare only these columns (comma-separated; repeatable).")
    var columns: [String] = []

    @Option(help: "Leave these columns out (comma-separated; repeatable).")
    var exclude: [String] = []

    @Option(help: "Values meaning 'missing' (comma-separated; replaces the default ?,,NA,N/A,n/a,NaN,nan,null,NULL,None,<NA>; an empty item is the empty field).")
    var naValues: [String] = []

    @Option(help: "Quantile bins of the reference for numeric PSI / JS / KL / Hellinger (standard mode).")
    var bins: Int = 10

    @Option(help: "Floor for bin proportions in PSI and KL (standard mode).")
    var epsilon: Double = 1e-4

    @Option(help: "Binning of PSI / JS / KL / Hellinger: standard, or evidently (Evidently 0.7.23's Sturges bins and zero fill).")
    var mode: ModeArgument = .standard

    @Option(help: "CSV delimiter: ',', ';', 'tab' (default: detected from the header).")
    var delimiter: String?

    @Option(help: "Share of drifted columns at which the dataset is declared drifted.")
    var driftShare: Double = 0.5

    @Option(help: "Significance level of the KS and chi-square tests.")
    var alpha: Double = 0.05

    @Option(help: "Minimum KS statistic / Cohen's w for a significant test to flag a column (0 = p-value only).")
    var minEffect: Double = 0.1

    @Flag(help: "Show the progress bar even when stderr is not a terminal.")
    var progress = false

    @Flag(help: "No progress bar and no table (errors and --json only).")
    var quiet = false

    @Flag(help: .hidden)
    var stageTiming = false

    func validate() throws {
        switch (reference, current, data) {
        case (.some, .some, nil):
            if referenceRows != nil { throw ValidationError("--reference-rows goes with --data, not --reference/--current") }
        case (nil, nil, .some):
            if referenceRows == nil { throw ValidationError("--data needs --reference-rows N") }
        default:
            throw ValidationError("give either --reference A --current B, or --data F --reference-rows N")
        }
        if let delimiter, Self.delimiterByte(delimiter) == nil {
            throw ValidationError("--delimiter must be ',', ';', 'tab' or a single ASCII character (got '\(delimiter)')")
        }
    }

    static func delimiterByte(_ text: String) -> UInt8? {
        switch text {
        case "tab", "\\t", "\t": return UInt8(ascii: "\t")
        default:
            guard text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80, byte != UInt8(ascii: "\""),
                byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r")
            else { return nil }
            return byte
        }
    }

    func makeOptions() -> CompareOptions {
        let source: CompareOptions.Source =
            if let data, let referenceRows { .split(data: data, referenceRows: referenceRows) }
            else { .files(reference: reference ?? "", current: current ?? "") }
        var options = CompareOptions(source: source)
        options.mode = mode.mode
        options.bins = bins
        options.epsilon = epsilon
        options.columns = columns.isEmpty ? nil : CommaSeparated.items(columns)
        options.exclude = CommaSeparated.items(exclude)
        options.numeric = CommaSeparated.items(numeric)
        options.categorical = CommaSeparated.items(categorical)
        if !naValues.isEmpty {
            // Keep empty items here: an empty item is the empty field.
            options.naValues = CommaSeparated.markers(naValues)
        }
        options.delimiter = delimiter.flatMap(Self.delimiterByte)
        options.thresholds.driftShare = driftShare
        options.thresholds.alpha = alpha
        options.thresholds.minimumEffect = minEffect
        return options
    }

    func run() throws {
        let options = makeOptions()
        let inputPaths: [String] = [reference, current, data].compactMap { $0 }
        // gzip text is about 4 times its file: count it so.
        let inputBytes = inputPaths.reduce(0) { $0 + Self.fileSize($1) * ($1.hasSuffix(".gz") ? 4 : 1) }
        let showProgress = !quiet && (progress || isatty(STDERR_FILENO) != 0) && (progress || inputBytes > 10_000_000)
        let bar: (any ProgressObserver)? = stageTiming ? StageTimer() : (showProgress ? TerminalProgressBar() : nil)
        let report: CompareReport
        do {
            report = try DriftCompare.run(options, progress: bar)
        } catch {
            bar?.finish()
            Self.printError(error.description)
            throw ExitCode(1)
        }
        if !quiet && json != "-" {
            print(report.table(), terminator: "")
        }
        if let json {
            let text = report.json(pretty: true)
            if json == "-" {
                print(text, terminator: "")
            } else if let failure = Self.write(text, to: json) {
                Self.printError("cannot write the report to \(json): \(failure)")
                throw ExitCode(1)
            } else if !quiet {
                print("report written to \(json)")
            }
        }
    }

    static func printError(_ message: String) {
        StandardError.emit("error: \(message)\n")
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Writes `text` to `path`; returns the failure reason, if any.
    static func write(_ text: String, to path: String) -> String? {
        guard let file = fopen(path, "w") else { return String(cString: strerror(errno)) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file)
        return written == bytes.count && closed == 0 ? nil : String(cString: strerror(errno))
    }
}
