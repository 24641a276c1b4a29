import DriftJSON
/// The preprocessing fitted on training data, applied the same way at prediction time:
///
/// * numeric features: missing values replaced by the training median, then standardized with the
///   training mean and standard deviation (computed after imputation; a constant column keeps scale 1);
/// * categorical features: missing values replaced by the most frequent training category (ties: the
///   first in sorted order), then one-hot encoded over the training categories (sorted), with one
///   extra "unknown" column for categories never seen in training.
///
/// These are scikit-learn's `SimpleImputer(strategy="median")` + `StandardScaler` and
/// `SimpleImputer(strategy="most_frequent")` + `OneHotEncoder(handle_unknown=...)`; the unknown column
/// replaces `"ignore"` so that a model can learn that unseen categories matter once they appear in training.
public struct FeaturePipeline: Sendable, Equatable {
    /// How one input column is encoded.
    public enum Step: Sendable, Equatable {
        /// Median imputation and standard scaling.
        case numeric(name: String, median: Double, mean: Double, scale: Double)
        /// Most-frequent imputation and one-hot encoding; `categories` sorted, the unknown column after them.
        case categorical(name: String, mostFrequent: String, categories: [String])

        /// The input column's name.
        public var name: String {
            switch self {
            case .numeric(let name, _, _, _), .categorical(let name, _, _): name
            }
        }

        /// The number of output columns.
        var width: Int {
            switch self {
            case .numeric: 1
            case .categorical(_, _, let categories): categories.count + 1
            }
        }
    }

    /// The marker of the unknown-category column in ``featureNames``.
    public static let unknownCategory = "<unknown>"

    /// The steps, in input-column order.
    public let steps: [Step]

    /// A pipeline of already fitted steps (as read back from a serialized model).
    public init(steps: [Step]) {
        self.steps = steps
    }

    /// Fits the steps on `table`'s columns; categorical columns keep at most `maximumCategories` categories
    /// (the most frequent; the others count as unknown). Throws when the table has no rows or no columns.
    public static func fit(_ table: TrainingTable, maximumCategories: Int = 1_000) throws(LearnError) -> FeaturePipeline {
        guard table.rowCount > 0, !table.columns.isEmpty else { throw .invalidInput("no rows or no feature columns to fit on") }
        let steps = table.columns.map { column -> Step in
            switch column.values {
            case .numeric(let values): fitNumeric(column.name, values)
            case .categorical(let values): fitCategorical(column.name, values, maximumCategories: maximumCategories)
            }
        }
        return FeaturePipeline(steps: steps)
    }

    /// The output columns' names: a numeric feature's own name, `name=category` for each one-hot column and
    /// `name=<unknown>` for the unknown column.
    public var featureNames: [String] {
        steps.flatMap { step -> [String] in
            switch step {
            case .numeric(let name, _, _, _): [name]
            case .categorical(let name, _, let categories): (categories + [Self.unknownCategory]).map { "\(name)=\($0)" }
            }
        }
    }

    /// The number of output columns.
    public var width: Int { steps.reduce(0) { $0 + $1.width } }

    /// The input features, in order.
    public var inputNames: [String] { steps.map(\.name) }

    /// The input features in order, with whether each is numeric (else categorical).
    public var inputKinds: [(name: String, numeric: Bool)] {
        steps.map { step in
            if case .numeric = step { return (step.name, true) }
            return (step.name, false)
        }
    }

    /// Encodes `table`'s rows. Every step's column must be present with the same kind; extra columns are ignored.
    public func transform(_ table: TrainingTable) throws(LearnError) -> SparseRows {
        var columns: [FeatureValues] = []
        for step in steps {
            guard let values = table.column(step.name) else { throw .invalidInput("feature \(step.name) is missing") }
            switch (step, values) {
            case (.numeric, .numeric), (.categorical, .categorical): columns.append(values)
            case (.numeric, .categorical(let texts)):
                // Text that is all numbers (or missing) is accepted for a numeric feature.
                var numbers: [Double] = []
                numbers.reserveCapacity(texts.count)
                for text in texts {
                    guard let text else { numbers.append(.nan); continue }
                    guard let number = Double(text) else { throw .invalidInput("feature \(step.name) is numeric but has \"\(text)\"") }
                    numbers.append(number)
                }
                columns.append(.numeric(numbers))
            case (.categorical, .numeric(let numbers)):
                columns.append(.categorical(numbers.map { $0.isNaN ? nil : $0.canonicalText }))
            }
        }
        let lookups = steps.map { step -> [String: Int] in
            guard case .categorical(_, _, let categories) = step else { return [:] }
            return Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        }
        var rows = SparseRows(width: width)
        var entries: [(Int, Double)] = []
        for row in 0..<table.rowCount {
            entries.removeAll(keepingCapacity: true)
            var base = 0
            for (index, step) in steps.enumerated() {
                switch (step, columns[index]) {
                case (.numeric(_, let median, let mean, let scale), .numeric(let values)):
                    let value = values[row].isFinite ? values[row] : median
                    entries.append((base, (value - mean) / scale))
                case (.categorical(_, let mostFrequent, let categories), .categorical(let values)):
                    let category = values[row] ?? mostFrequent
                    entries.append((base + (lookups[index][category] ?? categories.count), 1))
                default:
                    break
                }
                base += step.width
            }
            rows.appendRow(entries)
        }
        return rows
    }

    private static func fitNumeric(_ name: String, _ values: [Double]) -> Step {
        let present = values.filter(\.isFinite).sorted()
        let median: Double
        if present.isEmpty {
            median = 0
        } else if present.count % 2 == 1 {
            median = present[present.count / 2]
        } else {
            median = (present[present.count / 2 - 1] + present[present.count / 2]) / 2
        }
        var mean = 0.0
        for value in values { mean += value.isFinite ? value : median }
        mean /= Double(values.count)
        var squares = 0.0
        for value in values {
            let deviation = (value.isFinite ? value : median) - mean
            squares += deviation * deviation
        }
        let deviation = (squares / Double(values.count)).squareRoot()
        return .numeric(name: name, median: median, mean: mean, scale: deviation > 1e-12 * max(1, abs(mean)) ? deviation : 1)
    }

    private static func fitCategorical(_ name: String, _ values: [String?], maximumCategories: Int) -> Step {
        var counts: [String: Int] = [:]
        for case let value? in values { counts[value, default: 0] += 1 }
        let byFrequency = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let mostFrequent = byFrequency.first?.key ?? Self.unknownCategory
        // Imputed rows count for the most frequent category, which is therefore always kept.
        let kept = byFrequency.prefix(max(1, maximumCategories)).map(\.key).sorted()
        return .categorical(name: name, mostFrequent: mostFrequent, categories: kept.isEmpty ? [mostFrequent] : kept)
    }
}
