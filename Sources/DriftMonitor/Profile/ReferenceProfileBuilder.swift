import DriftStats

/// Builds a ``ReferenceProfile`` from training data held as columns (pure: no I/O).
public struct ReferenceProfileBuilder: Sendable {
    /// A feature column, values in row order.
    public enum Column: Sendable {
        /// Numbers, NaN where missing.
        case numeric(name: String, values: [Double])
        /// Categories, `nil` where missing.
        case categorical(name: String, values: [String?])

        public var name: String {
            switch self {
            case .numeric(let name, _), .categorical(let name, _): name
            }
        }
    }

    /// The model's outputs and the ground truth, when the data has them; arrays in row order.
    public struct Outcomes: Sendable {
        /// Predicted classes (`nil` where absent).
        public var predictions: [String?]?
        /// Class name and per-row probability of that class.
        public var probabilities: [(name: String, values: [Double])]
        /// Regression or scoring outputs (NaN where absent).
        public var scores: [Double]?
        /// Ground-truth labels (`nil` where absent).
        public var labels: [String?]?
        /// Numeric ground truth of a regression model (NaN where absent): with ``scores``, the residuals and the
        /// MAE / RMSE / R² baseline.
        public var numericLabels: [Double]?

        public init(predictions: [String?]? = nil, probabilities: [(name: String, values: [Double])] = [], scores: [Double]? = nil, labels: [String?]? = nil,
                    numericLabels: [Double]? = nil) {
            self.predictions = predictions
            self.probabilities = probabilities
            self.scores = scores
            self.labels = labels
            self.numericLabels = numericLabels
        }
    }

    /// Quantile bins for the histograms (deciles by default).
    public var bins = 10
    /// KLL sketch accuracy parameter.
    public var sketchK = KLLSketch.defaultK
    /// Most categories kept per feature; the rest are counted in `other`.
    public var maximumCategories = 10_000
    /// Rows kept in the domain classifier's sample.
    public var reservoirSize = 1_000
    /// Seed of the sketch and the sample (a fixed seed makes profiles reproducible).
    public var seed: UInt64 = 20_261_123

    public init() {}

    /// The profile of `columns` (all of one length) and `outcomes` for a model version.
    public func build(
        modelID: String, modelVersion: String, createdAt: Int64, source: ReferenceProfile.Source?, columns: [Column],
        outcomes: Outcomes = Outcomes()
    ) throws -> ReferenceProfile {
        let rows = columns.first.map(Self.length) ?? outcomes.predictions?.count ?? 0
        for column in columns where Self.length(column) != rows {
            throw ProfileError.raggedColumns("\(column.name) has \(Self.length(column)) rows, not \(rows)")
        }
        let outcomeLengths = [("predictions", outcomes.predictions?.count), ("scores", outcomes.scores?.count), ("labels", outcomes.labels?.count),
                              ("numeric labels", outcomes.numericLabels?.count)]
            + outcomes.probabilities.map { ("probabilities of \($0.name)", $0.values.count) }
        for case let (name, count?) in outcomeLengths where count != rows {
            throw ProfileError.raggedColumns("\(name) has \(count) rows, not \(rows)")
        }
        let features = try columns.map { column -> FeatureProfile in
            switch column {
            case .numeric(let name, let values):
                let present = values.filter { !$0.isNaN }
                return FeatureProfile(name: name, count: present.count, missing: values.count - present.count,
                                      summary: .numeric(try numericSummary(present)))
            case .categorical(let name, let values):
                let present = values.compactMap { $0 }
                return FeatureProfile(name: name, count: present.count, missing: values.count - present.count,
                                      summary: .categorical(categoricalSummary(present)))
            }
        }
        let classes = predictedClasses(outcomes, rows: rows)
        return ReferenceProfile(
            modelID: modelID, modelVersion: modelVersion, createdAt: createdAt, source: source, rows: rows, features: features,
            prediction: try predictionProfile(outcomes, classes: classes, rows: rows),
            performance: performanceProfile(outcomes, classes: classes) ?? regressionPerformance(outcomes),
            reservoir: try sample(columns, rows: rows))
    }

    /// Histogram on the reference's quantile edges, moments and a KLL sketch of finite values.
    public func numericSummary(_ values: [Double]) throws -> NumericSummary {
        let sorted = values.sorted()
        // No values (a column missing throughout): one open bin, an empty sketch, NaN moments.
        let histogram = sorted.isEmpty ? try FixedEdgeHistogram(innerEdges: []) : try FixedEdgeHistogram(reference: sorted, bins: bins)
        var filled = histogram
        filled.update(contentsOf: sorted)
        var sketch = try KLLSketch(k: sketchK, seed: seed)
        sketch.update(contentsOf: values)
        return NumericSummary(histogram: filled, moments: Moments(values), sketch: sketch)
    }

    func categoricalSummary(_ values: [String]) -> CategoricalSummary {
        var counts: [String: UInt64] = [:]
        for value in values { counts[value, default: 0] += 1 }
        let ordered = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let kept = ordered.prefix(maximumCategories).map { (value: $0.key, count: $0.value) }
        let other = ordered.dropFirst(maximumCategories).reduce(UInt64(0)) { $0 + $1.value }
        return CategoricalSummary(counts: kept, other: other)
    }

    func predictedClasses(_ outcomes: Outcomes, rows: Int) -> [String?]? {
        if let predictions = outcomes.predictions { return predictions }
        guard !outcomes.probabilities.isEmpty else { return nil }
        return (0..<rows).map { row in
            var best: (name: String, p: Double)? = nil
            for (name, values) in outcomes.probabilities where !values[row].isNaN && values[row] > (best?.p ?? -1) {
                best = (name, values[row])
            }
            return best?.name
        }
    }

    func predictionProfile(_ outcomes: Outcomes, classes: [String?]?, rows: Int) throws -> PredictionProfile? {
        guard classes != nil || outcomes.scores != nil else { return nil }
        var confidence: NumericSummary? = nil
        if !outcomes.probabilities.isEmpty, let classes {
            var values: [Double] = []
            for row in 0..<rows {
                if let predicted = classes[row], let column = outcomes.probabilities.first(where: { $0.name == predicted }), !column.values[row].isNaN {
                    values.append(column.values[row])
                }
            }
            confidence = try numericSummary(values)
        }
        let counts = classes.map { categoricalSummary($0.compactMap { $0 }).counts } ?? []
        let residuals = Self.residuals(outcomes)
        return PredictionProfile(
            classes: counts, confidence: confidence,
            score: try outcomes.scores.map { try numericSummary($0.filter { !$0.isNaN }) },
            residual: residuals.isEmpty ? nil : try numericSummary(residuals))
    }

    /// label − score where both are present.
    static func residuals(_ outcomes: Outcomes) -> [Double] {
        guard let scores = outcomes.scores, let labels = outcomes.numericLabels else { return [] }
        return zip(labels, scores).compactMap { label, score in label.isNaN || score.isNaN ? nil : label - score }
    }

    /// A regression model's baseline: `mae`, `rmse`, `r2` (scikit-learn's `r2_score`) on the rows with a label and a score.
    func regressionPerformance(_ outcomes: Outcomes) -> PerformanceProfile? {
        guard let scores = outcomes.scores, let labels = outcomes.numericLabels else { return nil }
        let pairs = zip(labels, scores).filter { !$0.0.isNaN && !$0.1.isNaN }
        guard !pairs.isEmpty else { return nil }
        let metrics = RegressionMetrics(predictions: pairs.map(\.1), labels: pairs.map(\.0))
        return PerformanceProfile(labelled: pairs.count, metrics: metrics.values.map { (name: $0.0, value: $0.1) })
    }

    func performanceProfile(_ outcomes: Outcomes, classes: [String?]?) -> PerformanceProfile? {
        guard let labels = outcomes.labels, let classes else { return nil }
        var pairs: [(String, String)] = []
        for (label, predicted) in zip(labels, classes) {
            if let label, let predicted { pairs.append((label, predicted)) }
        }
        guard !pairs.isEmpty else { return nil }
        let names = Array(Set(pairs.flatMap { [$0.0, $0.1] })).sorted()
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let confusion = ConfusionMatrix(
            trueLabels: pairs.map { index[$0.0] ?? 0 }, predicted: pairs.map { index[$0.1] ?? 0 }, labelCount: names.count)
        let report = ClassificationReport(confusion: confusion)
        var metrics: [(name: String, value: Double)] = [
            ("accuracy", report.accuracy), ("precision_macro", report.macro.precision),
            ("recall_macro", report.macro.recall), ("f1_macro", report.macro.f1),
        ]
        // Binary ROC-AUC: the probability of the second class in sorted order as the positive score.
        if outcomes.probabilities.count == 2 {
            let positive = outcomes.probabilities.map(\.name).sorted()[1]
            if let column = outcomes.probabilities.first(where: { $0.name == positive }) {
                var scores: [Double] = []
                var truth: [Bool] = []
                for (row, label) in labels.enumerated() where label != nil && !column.values[row].isNaN {
                    scores.append(column.values[row])
                    truth.append(label == positive)
                }
                if let auc = ROCAUC.binary(scores: scores, labels: truth) { metrics.append(("roc_auc", auc)) }
            }
        }
        return PerformanceProfile(labelled: pairs.count, metrics: metrics)
    }

    func sample(_ columns: [Column], rows: Int) throws -> RowSample? {
        guard !columns.isEmpty, rows > 0 else { return nil }
        var reservoir = try Reservoir<Int>(capacity: min(reservoirSize, rows), seed: seed)
        for row in 0..<rows { reservoir.update(row) }
        let chosen = reservoir.samples.sorted()
        let sampled = chosen.map { row in
            columns.map { column -> RowSample.Value in
                switch column {
                case .numeric(_, let values): values[row].isNaN ? .missing : .number(values[row])
                case .categorical(_, let values): values[row].map(RowSample.Value.string) ?? .missing
                }
            }
        }
        return RowSample(columns: columns.map(\.name), rows: sampled)
    }

    static func length(_ column: Column) -> Int {
        switch column {
        case .numeric(_, let values): values.count
        case .categorical(_, let values): values.count
        }
    }
}

/// Why a profile could not be built or read.
public enum ProfileError: Error, Equatable, CustomStringConvertible {
    case raggedColumns(String)
    case invalidProfile(path: String, reason: String)

    public var description: String {
        switch self {
        case .raggedColumns(let detail): "columns of different lengths: \(detail)"
        case .invalidProfile(let path, let reason): "invalid reference profile at \(path): \(reason)"
        }
    }
}
