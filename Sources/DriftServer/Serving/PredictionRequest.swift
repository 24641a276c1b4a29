public import DriftJSON
public import DriftRegistry

/// A prediction request's instances, parsed from `POST /v1/predict` (one object) or `POST /v1/predict/batch`
/// (`{"instances": [...]}`). Each instance is `{"features": {...}, "event_id"?: "...", "label"?: "..."}`; a
/// bare object of features is accepted as well. Pure: no I/O.
public struct PredictionRequest: Sendable, Equatable {
    /// One instance to score.
    public struct Instance: Sendable, Equatable {
        public var features: [String: LabelledRow.Value]
        /// The caller's event id (else one is generated).
        public var eventID: String?
        /// A ground truth already known, published with the event.
        public var label: String?
    }

    /// Why a body was refused.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    public var instances: [Instance]

    /// The largest batch accepted.
    public static let maximumInstances = 10_000
    /// The most features an instance may have.
    public static let maximumFeatures = 2_000

    /// Parses a single-instance body.
    public static func single(_ body: [UInt8]) throws(Invalid) -> PredictionRequest {
        PredictionRequest(instances: [try instance(try document(body), path: "$")])
    }

    /// Parses a batch body: `{"instances": [...]}` or a bare array.
    public static func batch(_ body: [UInt8]) throws(Invalid) -> PredictionRequest {
        let root = try document(body)
        let list: [JSONValue]
        if let array = root.arrayValue {
            list = array
        } else if let array = root["instances"]?.arrayValue {
            list = array
        } else {
            throw Invalid(reason: "a batch is {\"instances\": [...]} or an array of instances")
        }
        guard !list.isEmpty else { throw Invalid(reason: "the batch has no instances") }
        guard list.count <= maximumInstances else { throw Invalid(reason: "the batch has \(list.count) instances; at most \(maximumInstances) are accepted") }
        var instances: [Instance] = []
        instances.reserveCapacity(list.count)
        for (index, value) in list.enumerated() { instances.append(try instance(value, path: "$.instances[\(index)]")) }
        return PredictionRequest(instances: instances)
    }

    private static func document(_ body: [UInt8]) throws(Invalid) -> JSONValue {
        guard !body.isEmpty else { throw Invalid(reason: "the request has no body; send JSON") }
        do { return try JSONValue.parse(body, maximumDepth: 16) } catch { throw Invalid(reason: "the body is not JSON: \(error)") }
    }

    private static func instance(_ value: JSONValue, path: String) throws(Invalid) -> Instance {
        guard let members = value.objectValue else { throw Invalid(reason: "\(path) must be an object") }
        let featureMembers: [(String, JSONValue)]
        var eventID: String?
        var label: String?
        if let features = value["features"] {
            guard let object = features.objectValue else { throw Invalid(reason: "\(path).features must be an object of feature values") }
            featureMembers = object
            if let id = value["event_id"] {
                guard let text = id.stringValue, !text.isEmpty, text.utf8.count <= 256 else { throw Invalid(reason: "\(path).event_id must be a non-empty string of at most 256 bytes") }
                eventID = text
            }
            if let truth = value["label"], truth != .null {
                guard let text = truth.stringValue else { throw Invalid(reason: "\(path).label must be a string") }
                label = text
            }
        } else {
            featureMembers = members
        }
        guard featureMembers.count <= maximumFeatures else { throw Invalid(reason: "\(path) has \(featureMembers.count) features; at most \(maximumFeatures) are accepted") }
        var features: [String: LabelledRow.Value] = [:]
        for (name, cell) in featureMembers {
            guard !name.isEmpty else { throw Invalid(reason: "\(path).features has an empty feature name") }
            switch cell {
            case .int(let number): features[name] = .number(Double(number))
            case .number(let number):
                guard number.isFinite else { throw Invalid(reason: "\(path).features.\(name) is not a finite number") }
                features[name] = .number(number)
            case .string(let text): features[name] = .text(text)
            case .null: features[name] = .missing
            default: throw Invalid(reason: "\(path).features.\(name) must be a number, a string or null")
            }
        }
        return Instance(features: features, eventID: eventID, label: label)
    }
}
