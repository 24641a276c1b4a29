public import DriftJSON

extension FeaturePipeline.Step {
    /// The step as a model document writes it.
    var json: JSONValue {
        switch self {
        case .numeric(let name, let median, let mean, let scale):
            .object([("name", .string(name)), ("kind", .string("numeric")), ("median", .number(median)), ("mean", .number(mean)), ("scale", .number(scale))])
        case .categorical(let name, let mostFrequent, let categories):
            .object([("name", .string(name)), ("kind", .string("categorical")), ("most_frequent", .string(mostFrequent)),
                     ("categories", .array(categories.map(JSONValue.string)))])
        }
    }

    /// Reads a step written by ``json``.
    init(json value: JSONValue) throws(LearnError) {
        guard let name = value["name"]?.stringValue else { throw .invalidModel("a feature without a name") }
        switch value["kind"]?.stringValue {
        case "numeric":
            guard let median = value["median"]?.doubleValue, let mean = value["mean"]?.doubleValue, let scale = value["scale"]?.doubleValue,
                  median.isFinite, mean.isFinite, scale.isFinite, scale > 0
            else { throw .invalidModel("numeric feature \(name) lacks a finite median, mean or positive scale") }
            self = .numeric(name: name, median: median, mean: mean, scale: scale)
        case "categorical":
            guard let mostFrequent = value["most_frequent"]?.stringValue, let list = value["categories"]?.arrayValue else {
                throw .invalidModel("categorical feature \(name) lacks its categories")
            }
            let categories = list.compactMap(\.stringValue)
            guard categories.count == list.count, !categories.isEmpty, Set(categories).count == categories.count else {
                throw .invalidModel("categorical feature \(name) has invalid categories")
            }
            self = .categorical(name: name, mostFrequent: mostFrequent, categories: categories)
        default:
            throw .invalidModel("feature \(name) has an unknown kind")
        }
    }
}

extension FeaturePipeline {
    /// The steps as a model document's `features`.
    var json: JSONValue { .array(steps.map(\.json)) }

    /// Reads the `features` of a model document.
    init(json features: [JSONValue]) throws(LearnError) {
        var steps: [Step] = []
        for feature in features { steps.append(try Step(json: feature)) }
        self.init(steps: steps)
    }

    /// Checks a model document's `format` and `version` (a newer version than `current` is refused).
    static func checkDocument(_ document: JSONValue, format: String, current: Int) throws(LearnError) {
        guard document["format"]?.stringValue == format else { throw .invalidModel("not a \(format) document") }
        guard let version = document["version"]?.intValue else { throw .invalidModel("no version") }
        guard version <= current else { throw .invalidModel("version \(version) is newer than this build reads (\(current))") }
    }
}
