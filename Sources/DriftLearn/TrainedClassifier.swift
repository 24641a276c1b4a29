/// A trained classifier as the registry stores it: the fitted ``FeaturePipeline``, the ``LogisticModel``
/// over its columns, the class names (sorted, as indices map to them) and the target column's name.
public struct TrainedClassifier: Sendable, Equatable {
    /// The column the model predicts.
    public let target: String
    /// Class names; class index `k` is `classes[k]`.
    public let classes: [String]
    /// The preprocessing.
    public let pipeline: FeaturePipeline
    /// The fitted weights.
    public let model: LogisticModel

    /// A classifier of fitted parts.
    public init(target: String, classes: [String], pipeline: FeaturePipeline, model: LogisticModel) {
        self.target = target
        self.classes = classes
        self.pipeline = pipeline
        self.model = model
    }

    /// The input features, in order.
    public var featureNames: [String] { pipeline.inputNames }

    /// The input features in order, with whether each is numeric (else categorical).
    public var featureKinds: [(name: String, numeric: Bool)] { pipeline.inputKinds }

    /// Class probabilities for each row of `table` (which needs every input feature).
    public func probabilities(_ table: TrainingTable) throws(LearnError) -> [[Double]] {
        model.probabilities(try pipeline.transform(table))
    }

    /// The predicted class name of each row of `table`.
    public func predict(_ table: TrainingTable) throws(LearnError) -> [String] {
        model.predict(try pipeline.transform(table)).map { classes[$0] }
    }

    /// Figures on labelled rows: `labels` are class names; a name the model does not know counts as wrong.
    public func evaluate(_ table: TrainingTable, labels: [String]) throws(LearnError) -> ClassifierMetrics {
        guard labels.count == table.rowCount else { throw .invalidInput("\(table.rowCount) rows but \(labels.count) labels") }
        let probabilities = try probabilities(table)
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        // Rows of an unknown class are kept (they are errors) by scoring them against an extra class.
        let unknown = labels.contains { index[$0] == nil }
        let classCount = classes.count + (unknown ? 1 : 0)
        let padded = unknown ? probabilities.map { $0 + [0] } : probabilities
        return ClassifierMetrics(probabilities: padded, labels: labels.map { index[$0] ?? classes.count }, classCount: classCount)
    }
}
