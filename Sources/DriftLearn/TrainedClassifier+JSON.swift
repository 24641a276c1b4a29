public import DriftJSON

extension TrainedClassifier {
    /// The serialization's format name.
    public static let formatName = "driftwatch.classifier"
    /// The serialization's version; readers refuse newer ones.
    public static let formatVersion = 1

    /// The classifier as a JSON document (numbers round-trip exactly).
    public func json() -> JSONValue {
        .object([
            ("format", .string(Self.formatName)),
            ("version", .int(Self.formatVersion)),
            ("target", .string(target)),
            ("classes", .array(classes.map(JSONValue.string))),
            ("features", pipeline.json),
            ("encoded_features", .array(pipeline.featureNames.map(JSONValue.string))),
            ("model", .object([
                ("kind", .string("logistic_regression")),
                ("class_count", .int(model.classCount)),
                ("width", .int(model.width)),
                ("iterations", .int(model.iterations)),
                ("converged", .bool(model.converged)),
                ("parameters", .array(model.parameters.map(JSONValue.number))),
            ])),
        ])
    }

    /// Reads a classifier written by ``json()``; throws ``LearnError/invalidModel(_:)`` for anything else.
    public init(json document: JSONValue) throws(LearnError) {
        try FeaturePipeline.checkDocument(document, format: Self.formatName, current: Self.formatVersion)
        guard let target = document["target"]?.stringValue,
              let classes = document["classes"]?.arrayValue?.compactMap(\.stringValue),
              let features = document["features"]?.arrayValue,
              let model = document["model"], model["kind"]?.stringValue == "logistic_regression",
              let classCount = model["class_count"]?.intValue, let width = model["width"]?.intValue,
              let parameterValues = model["parameters"]?.arrayValue
        else { throw .invalidModel("a required field is missing or has the wrong type") }
        let pipeline = try FeaturePipeline(json: features)
        let parameters = parameterValues.compactMap(\.doubleValue)
        let vectors = classCount == 2 ? 1 : classCount
        guard classCount == classes.count, classCount >= 2, width == pipeline.width, parameters.count == parameterValues.count,
              parameters.count == vectors * (width + 1), parameters.allSatisfy(\.isFinite)
        else { throw .invalidModel("the model's shape does not match its classes and features") }
        self.init(target: target, classes: classes, pipeline: pipeline,
                  model: LogisticModel(classCount: classCount, width: width, parameters: parameters,
                                       iterations: model["iterations"]?.intValue ?? 0, converged: model["converged"]?.boolValue ?? true))
    }

    /// Reads a classifier from JSON text.
    public init(serialized text: String) throws(LearnError) {
        let document: JSONValue
        do { document = try JSONValue.parse(text) } catch { throw .invalidModel("not JSON: \(error)") }
        try self.init(json: document)
    }
}
