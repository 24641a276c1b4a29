public import DriftStats

public import DriftJSON

/// A fitted regression model: the feature pipeline (imputation, scaling, one-hot) and a ridge regression on
/// its output. Predicts a score per row; serialises to JSON (format `driftwatch.regressor`) beside the
/// classifiers in the registry.
public struct TrainedRegressor: Sendable, Equatable {
    public let target: String
    public let pipeline: FeaturePipeline
    public let weights: [Double]
    public let intercept: Double
    public let alpha: Double

    public init(target: String, pipeline: FeaturePipeline, weights: [Double], intercept: Double, alpha: Double) {
        self.target = target
        self.pipeline = pipeline
        self.weights = weights
        self.intercept = intercept
        self.alpha = alpha
    }

    /// The input features, in order.
    public var featureNames: [String] { pipeline.inputNames }

    /// Each input feature with whether it is numeric.
    public var featureKinds: [(name: String, numeric: Bool)] { pipeline.inputKinds }

    /// The prediction for each row of `table`.
    public func predict(_ table: TrainingTable) throws(LearnError) -> [Double] {
        let rows = try pipeline.transform(table)
        return (0..<rows.rowCount).map { row in
            var value = intercept
            for entry in rows.offsets[row]..<rows.offsets[row + 1] { value += weights[Int(rows.indices[entry])] * rows.values[entry] }
            return value
        }
    }

    /// The figures on `table` against `labels`.
    public func evaluate(_ table: TrainingTable, labels: [Double]) throws(LearnError) -> RegressionMetrics {
        RegressionMetrics(predictions: try predict(table), labels: labels)
    }

    /// The serialization's format name and version.
    public static let formatName = "driftwatch.regressor"
    public static let formatVersion = 1

    /// The regressor as a JSON document (numbers round-trip exactly).
    public func json() -> JSONValue {
        .object([
            ("format", .string(Self.formatName)),
            ("version", .int(Self.formatVersion)),
            ("target", .string(target)),
            ("features", pipeline.json),
            ("encoded_features", .array(pipeline.featureNames.map(JSONValue.string))),
            ("model", .object([
                ("kind", .string("ridge_regression")), ("alpha", .number(alpha)), ("intercept", .number(intercept)),
                ("weights", .array(weights.map(JSONValue.number))),
            ])),
        ])
    }

    /// Reads a regressor written by ``json()``.
    public init(json document: JSONValue) throws(LearnError) {
        try FeaturePipeline.checkDocument(document, format: Self.formatName, current: Self.formatVersion)
        guard let target = document["target"]?.stringValue, let features = document["features"]?.arrayValue,
              let model = document["model"], model["kind"]?.stringValue == "ridge_regression",
              let alpha = model["alpha"]?.doubleValue, let intercept = model["intercept"]?.doubleValue,
              let weightValues = model["weights"]?.arrayValue
        else { throw .invalidModel("a required field is missing or has the wrong type") }
        let pipeline = try FeaturePipeline(json: features)
        let weights = weightValues.compactMap(\.doubleValue)
        guard weights.count == weightValues.count, weights.count == pipeline.width, weights.allSatisfy(\.isFinite), intercept.isFinite else {
            throw .invalidModel("the weights do not match the features")
        }
        self.init(target: target, pipeline: pipeline, weights: weights, intercept: intercept, alpha: alpha)
    }

    /// Whether a model document is a regressor's.
    public static func isRegressor(_ document: JSONValue) -> Bool { document["format"]?.stringValue == formatName }
}
