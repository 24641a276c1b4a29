/// Fits a ``TrainedClassifier`` on a table with a label column, and cross-validates the same recipe.
public struct ClassifierTrainer: Sendable {
    /// The regression's settings (C, class weights, solver).
    public var regression = LogisticRegression()
    /// Categories kept per categorical feature (the most frequent).
    public var maximumCategories = 1_000

    /// A trainer with ``LogisticRegression``'s defaults.
    public init() {}

    /// The class names found in `labels`, sorted; and each label's index.
    public static func encode(labels: [String]) -> (classes: [String], indices: [Int]) {
        let classes = Array(Set(labels)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        return (classes, labels.map { index[$0] ?? 0 })
    }

    /// Fits the pipeline and the model on `features` with `labels` (class names, one per row).
    public func fit(_ features: TrainingTable, labels: [String], target: String) throws(LearnError) -> TrainedClassifier {
        guard features.rowCount == labels.count else { throw .invalidInput("\(features.rowCount) rows but \(labels.count) labels") }
        let (classes, indices) = Self.encode(labels: labels)
        guard classes.count >= 2 else { throw .invalidInput("the target \(target) needs at least two classes, found \(classes)") }
        let pipeline = try FeaturePipeline.fit(features, maximumCategories: maximumCategories)
        let model = try regression.fit(try pipeline.transform(features), labels: indices, classCount: classes.count)
        return TrainedClassifier(target: target, classes: classes, pipeline: pipeline, model: model)
    }

    /// Stratified k-fold cross-validation: for each fold, the whole recipe (pipeline included) is fitted on
    /// the other folds and scored on it. Also gives every row's out-of-fold class probabilities.
    public func crossValidate(_ features: TrainingTable, labels: [String], target: String, folds: StratifiedKFold) throws(LearnError) -> CrossValidation {
        let (classes, indices) = Self.encode(labels: labels)
        var results: [ClassifierMetrics] = []
        var outOfFold = [[Double]](repeating: [Double](repeating: 0, count: classes.count), count: labels.count)
        let global = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        for split in folds.splits(labels: indices) {
            guard !split.validation.isEmpty else { continue }
            let model = try fit(features.subset(split.training), labels: split.training.map { labels[$0] }, target: target)
            let validation = features.subset(split.validation)
            results.append(try model.evaluate(validation, labels: split.validation.map { labels[$0] }))
            let probabilities = try model.probabilities(validation)
            for (position, row) in split.validation.enumerated() {
                for (local, name) in model.classes.enumerated() { outOfFold[row][global[name] ?? 0] = probabilities[position][local] }
            }
        }
        return CrossValidation(folds: results, classes: classes, outOfFoldProbabilities: outOfFold)
    }
}

/// Per-fold figures of a cross-validation, with their mean and standard deviation.
public struct CrossValidation: Sendable, Equatable {
    /// Each fold's figures.
    public let folds: [ClassifierMetrics]
    /// Every class name, sorted (the columns of ``outOfFoldProbabilities``).
    public let classes: [String]
    /// Each row's class probabilities from the model that did not see it.
    public let outOfFoldProbabilities: [[Double]]

    /// The figures of every metric, by name: the mean over the folds.
    public var means: [(String, Double)] { ClassifierMetrics.names.compactMap { name in mean(name).map { (name, $0) } } }

    /// The standard deviation of every metric over the folds, by name.
    public var standardDeviations: [(String, Double)] {
        ClassifierMetrics.names.compactMap { name in standardDeviation(name).map { (name, $0) } }
    }

    /// The mean of a metric over the folds where it is defined (`nil` if none).
    public func mean(_ name: String) -> Double? {
        let values = folds.compactMap { $0.value(name) }
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// The population standard deviation of a metric over the folds where it is defined.
    public func standardDeviation(_ name: String) -> Double? {
        let values = folds.compactMap { $0.value(name) }
        guard let mean = mean(name) else { return nil }
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }
}
