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
            ("features", .array(pipeline.steps.map(Self.json))),
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
        guard document["format"]?.stringValue == Self.formatName else { throw .invalidModel("not a \(Self.formatName) document") }
        guard let version = document["version"]?.intValue else { throw .invalidModel("no version") }
        guard version <= Self.formatVersion else { throw .invalidModel("version \(version) is newer than this build reads (\(Self.formatVersion))") }
        guard let target = document["target"]?.stringValue,
              let classes = document["classes"]?.arrayValue?.compactMap(\.stringValue),
              let features = document["features"]?.arrayValue,
              let model = document["model"], model["kind"]?.stringValue == "logistic_regression",
              let classCount = model["class_count"]?.intValue, let width = model["width"]?.intValue,
              let parameterValues = model["parameters"]?.arrayValue
        else { throw .invalidModel("a required field is missing or has the wrong type") }
        var steps: [FeaturePipeline.Step] = []
        for feature in features { steps.append(try Self.step(feature)) }
        let pipeline = FeaturePipeline(steps: steps)
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

    static func json(_ step: FeaturePipeline.Step) -> JSONValue {
        switch step {
        case .numeric(let name, let median, let mean, let scale):
            .object([("name", .string(name)), ("kind", .string("numeric")), ("median", .number(median)), ("mean", .number(mean)), ("scale", .number(scale))])
        case .categorical(let name, let mostFrequent, let categories):
            .object([("name", .string(name)), ("kind", .string("categorical")), ("most_frequent", .string(mostFrequent)),
                     ("categories", .array(categories.map(JSONValue.string)))])
        }
    }

    static func step(_ value: JSONValue) throws(LearnError) -> FeaturePipeline.Step {
        guard let name = value["name"]?.stringValue else { throw .invalidModel("a feature without a name") }
        switch value["kind"]?.stringValue {
        case "numeric":
            guard let median = value["median"]?.doubleValue, let mean = value["mean"]?.doubleValue, let scale = value["scale"]?.doubleValue,
                  median.isFinite, mean.isFinite, scale.isFinite, scale > 0
            else { throw .invalidModel("numeric feature \(name) lacks a finite median, mean or positive scale") }
            return .numeric(name: name, median: median, mean: mean, scale: scale)
        case "categorical":
            guard let mostFrequent = value["most_frequent"]?.stringValue, let list = value["categories"]?.arrayValue else {
                throw .invalidModel("categorical feature \(name) lacks its categories")
            }
            let categories = list.compactMap(\.stringValue)
            guard categories.count == list.count, !categories.isEmpty, Set(categories).count == categories.count else {
                throw .invalidModel("categorical feature \(name) has invalid categories")
            }
            return .categorical(name: name, mostFrequent: mostFrequent, categories: categories)
        default:
            throw .invalidModel("feature \(name) has an unknown kind")
        }
    }
}
