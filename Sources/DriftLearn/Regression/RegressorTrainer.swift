public import DriftStats

/// Fits and cross-validates ridge regressors: the pipeline is fitted on the training rows only, as for the
/// classifiers.
public struct RegressorTrainer: Sendable {
    public var ridge = RidgeRegression()
    public var maximumCategories = 1_000

    public init() {}

    /// A regressor of `target` fitted on `features` and `labels`.
    public func fit(_ features: TrainingTable, labels: [Double], target: String) throws(LearnError) -> TrainedRegressor {
        guard features.rowCount == labels.count else { throw .invalidInput("\(features.rowCount) rows but \(labels.count) labels") }
        let pipeline = try FeaturePipeline.fit(features, maximumCategories: maximumCategories)
        let (weights, intercept) = try ridge.fit(try pipeline.transform(features), targets: labels)
        return TrainedRegressor(target: target, pipeline: pipeline, weights: weights, intercept: intercept, alpha: ridge.alpha)
    }

    /// Shuffled k-fold cross-validation (the folds of ``StratifiedKFold`` with one stratum); every row's
    /// out-of-fold prediction too.
    public func crossValidate(_ features: TrainingTable, labels: [Double], target: String, folds: StratifiedKFold) throws(LearnError) -> RegressionCrossValidation {
        var results: [RegressionMetrics] = []
        var outOfFold = [Double](repeating: .nan, count: labels.count)
        for split in folds.splits(labels: [Int](repeating: 0, count: labels.count)) where !split.validation.isEmpty {
            let model = try fit(features.subset(split.training), labels: split.training.map { labels[$0] }, target: target)
            let predictions = try model.predict(features.subset(split.validation))
            results.append(RegressionMetrics(predictions: predictions, labels: split.validation.map { labels[$0] }))
            for (position, row) in split.validation.enumerated() { outOfFold[row] = predictions[position] }
        }
        return RegressionCrossValidation(folds: results, outOfFoldPredictions: outOfFold)
    }
}

/// Per-fold figures of a regression cross-validation.
public struct RegressionCrossValidation: Sendable, Equatable {
    public let folds: [RegressionMetrics]
    /// Each row's prediction from the model that did not see it.
    public let outOfFoldPredictions: [Double]

    /// The mean of each metric over the folds where it is defined.
    public var means: [(String, Double)] {
        RegressionMetrics.names.compactMap { name in
            let values = folds.compactMap { $0.value(name) }
            return values.isEmpty ? nil : (name, values.reduce(0, +) / Double(values.count))
        }
    }

    /// The population standard deviation of each metric over the folds.
    public var standardDeviations: [(String, Double)] {
        RegressionMetrics.names.compactMap { name in
            let values = folds.compactMap { $0.value(name) }
            guard !values.isEmpty else { return nil }
            let mean = values.reduce(0, +) / Double(values.count)
            return (name, (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot())
        }
    }
}
