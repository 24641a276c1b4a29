/// The result of `driftwatch compare`: what was compared, how, and what was found. Serialized by
/// ``CompareReport/json(pretty:)`` to the format of `schemas/compare-report.schema.json`.
public struct CompareReport: Sendable, Equatable {
    /// Version of the report format (`schema_version`); bump the major on breaking changes.
    public static let schemaVersion = "1.0"
    public static let toolVersion = "0.1.0"

    /// One side of the comparison.
    public struct Input: Sendable, Equatable {
        public var path: String
        public var format: InputFormat
        public var gzip: Bool
        /// Rows compared (for `--reference-rows`, the rows of this side).
        public var rows: Int
        /// Columns in the file.
        public var columns: Int
        /// For `--reference-rows`: the 1-based data rows of the file this side holds.
        public var rowRange: ClosedRange<Int>?
        /// CSV only: the delimiter used (given or detected).
        public var delimiter: UInt8?
    }

    public struct Summary: Sendable, Equatable {
        /// CRITICAL when the dataset drifts, WARNING when some column drifts, NORMAL otherwise.
        public var status: DriftStatus
        public var datasetDrift: Bool
        public var driftedColumns: Int
        public var totalColumns: Int
        public var driftedShare: Double
        public var columnsByStatus: [DriftStatus: Int]
    }

    public struct Timing: Sendable, Equatable {
        /// Reading, inflating, tokenizing, decoding and sorting.
        public var parseSeconds: Double
        /// The metrics.
        public var computeSeconds: Double
        public var totalSeconds: Double
    }

    public var generatedAt: String
    public var reference: Input
    public var current: Input
    public var options: CompareOptions
    public var columns: [ColumnReport]
    public var summary: Summary
    public var timing: Timing
}
