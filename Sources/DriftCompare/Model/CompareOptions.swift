/// Everything `driftwatch compare` can be asked; the command-line flags map onto these fields.
public struct CompareOptions: Sendable, Equatable {
    /// Where the two datasets come from.
    public enum Source: Sendable, Equatable {
        /// `--reference A --current B`.
        case files(reference: String, current: String)
        /// `--data F --reference-rows N`: the first `N` data rows of `F` are the reference, the rest the current.
        case split(data: String, referenceRows: Int)
    }

    /// How the binned metrics (PSI, JS, KL, Hellinger) bin the data.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        /// Numeric: `bins` quantile bins of the reference (ties collapsed), proportions clipped at
        /// `epsilon`. Categorical: category proportions over the union, clipped at `epsilon`; chi-square
        /// on the categories seen in the reference.
        case standard
        /// Evidently 0.7.23's binning: Sturges bins over both samples (value counts for ≤ 20 distinct
        /// reference values), Evidently's zero fill for PSI and KL, none for JS; chi-square over the union.
        case evidently
    }

    public var source: Source
    public var mode: Mode = .standard
    /// Quantile bins for numeric columns in `.standard` mode (`--bins`).
    public var bins: Int = 10
    /// Floor for bin proportions in PSI and KL (`--epsilon`).
    public var epsilon: Double = 1e-4
    /// Only these columns (`--columns`); `nil` means every common column.
    public var columns: [String]? = nil
    /// Columns left out (`--exclude`).
    public var exclude: [String] = []
    /// Columns forced numeric (`--numeric`).
    public var numeric: [String] = []
    /// Columns forced categorical (`--categorical`).
    public var categorical: [String] = []
    /// Field values that mean "missing" (`--na-values`), compared byte for byte after unquoting.
    public var naValues: [String] = MissingValueMatcher.defaultMarkers
    /// CSV delimiter (`--delimiter`); `nil` detects `,` `;` or tab from the header.
    public var delimiter: UInt8? = nil
    public var thresholds = Thresholds()
    /// The report's `generated_at`; `nil` means now (tests pin it).
    public var generatedAt: String? = nil

    public init(source: Source) {
        self.source = source
    }

    /// Checks ranges and contradictions; throws ``CompareError/invalidOption(_:)``.
    public func validate() throws(CompareError) {
        guard bins >= 2 && bins <= 10_000 else { throw .invalidOption("--bins must be between 2 and 10000 (got \(bins))") }
        guard epsilon > 0 && epsilon < 0.5 else { throw .invalidOption("--epsilon must be in (0, 0.5) (got \(epsilon))") }
        if case .split(_, let rows) = source, rows < 1 {
            throw .invalidOption("--reference-rows must be at least 1 (got \(rows))")
        }
        if let both = numeric.first(where: categorical.contains) {
            throw .invalidOption("column '\(both)' is given both in --numeric and in --categorical")
        }
        if let columns, columns.isEmpty { throw .invalidOption("--columns names no column") }
        try thresholds.validate()
    }
}
