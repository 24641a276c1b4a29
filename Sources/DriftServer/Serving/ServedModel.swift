public import DriftContracts
public import DriftLearn
public import DriftRegistry

/// One registered model version ready to score: its classifier and the kind of each of its features.
public struct ServedModel: Sendable {
    public let modelID: String
    public let version: String
    public let classifier: TrainedClassifier
    /// The pipeline's features in order, with whether each is numeric.
    let features: [(name: String, numeric: Bool)]

    public init(modelID: String, version: String, classifier: TrainedClassifier) {
        self.modelID = modelID
        self.version = version
        self.classifier = classifier
        features = classifier.featureKinds
    }

    /// Loads `version` of `modelID` from `registry`.
    public static func load(_ registry: ModelRegistry, _ modelID: String, _ version: String) throws(RegistryError) -> ServedModel {
        ServedModel(modelID: modelID, version: version, classifier: try registry.classifier(modelID, version))
    }

    /// A prediction: the most probable class and every class's probability (in the classifier's class order).
    public struct Prediction: Sendable, Equatable {
        public var label: String
        public var probabilities: [(String, Double)]

        public static func == (lhs: Prediction, rhs: Prediction) -> Bool {
            lhs.label == rhs.label && lhs.probabilities.elementsEqual(rhs.probabilities) { $0.0 == $1.0 && $0.1 == $1.1 }
        }
    }

    /// The inference event of one of this version's predictions (`features` as the event carries them).
    public func event(_ id: String, _ prediction: Prediction, features: [(String, InferenceRecord.Value)], label: String?, time: Int64,
                      latency: Double? = nil, shadow: Bool = false) -> InferenceRecord {
        InferenceRecord(eventID: id, modelID: modelID, modelVersion: version, timestamp: time, features: features, predictedLabel: prediction.label,
                        probabilities: prediction.probabilities, label: label, latencyMilliseconds: latency, shadow: shadow)
    }

    /// Scores `rows` (feature values by name; absent features are missing and imputed as in training, unknown
    /// ones ignored).
    public func score(_ rows: [[String: LabelledRow.Value]]) throws(LearnError) -> [Prediction] {
        guard !rows.isEmpty else { return [] }
        let table = try LabelledRow.table(rows.map { LabelledRow(time: 0, features: $0, label: "") }, features: features)
        let classes = classifier.classes
        return try classifier.probabilities(table).map { probabilities in
            Prediction(label: classes[LogisticModel.mostProbable(probabilities)], probabilities: Array(zip(classes, probabilities)))
        }
    }
}
