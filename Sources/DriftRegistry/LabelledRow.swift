public import DriftContracts
public import DriftJSON
public import DriftLearn

/// One labelled example: an inference event's features joined with its ground truth.
public struct LabelledRow: Sendable, Equatable {
    /// A feature's value.
    public enum Value: Sendable, Equatable {
        case number(Double)
        case text(String)
        case missing

        /// The value as JSON (`null` when missing).
        var json: JSONValue {
            switch self {
            case .number(let number): .number(number)
            case .text(let text): .string(text)
            case .missing: .null
            }
        }

        /// The value as an inference event carries it.
        var inference: InferenceRecord.Value {
            switch self {
            case .number(let number): .number(number)
            case .text(let text): .string(text)
            case .missing: .null
            }
        }
    }

    /// The event time (ms since the epoch).
    public var time: Int64
    /// Feature values by name.
    public var features: [String: Value]
    /// The true class.
    public var label: String

    public init(time: Int64, features: [String: Value], label: String) {
        self.time = time
        self.features = features
        self.label = label
    }

    /// The label as a number (a regression target), when it is one.
    public var numericLabel: Double? { Double(label).flatMap { $0.isFinite ? $0 : nil } }

    /// The row as one JSON line's object.
    public func json() -> JSONValue {
        .object([("t", .int(Int(time))), ("y", .string(label)), ("x", Self.json(features))])
    }

    /// Feature values as a JSON object, by name.
    public static func json(_ features: [String: Value]) -> JSONValue {
        .object(features.sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) })
    }

    /// Feature values as an inference event carries them, by name.
    public static func inferenceFeatures(_ features: [String: Value]) -> [(String, InferenceRecord.Value)] {
        features.sorted { $0.key < $1.key }.map { ($0.key, $0.value.inference) }
    }

    /// Reads a row written by ``json()``; nil when it is not one.
    public init?(json value: JSONValue) {
        guard let time = value["t"]?.intValue, let label = value["y"]?.stringValue, let features = value["x"]?.objectValue else { return nil }
        var values: [String: Value] = [:]
        for (name, cell) in features {
            switch cell {
            case .int(let number): values[name] = .number(Double(number))
            case .number(let number): values[name] = .number(number)
            case .string(let text): values[name] = .text(text)
            default: values[name] = .missing
            }
        }
        self.init(time: Int64(time), features: values, label: label)
    }

    /// Rows as a training table over `pipeline`'s features, each with the kind the pipeline gives it (a
    /// number in a categorical feature becomes its text, text in a numeric one a missing value).
    public static func table(_ rows: [LabelledRow], features: [(name: String, numeric: Bool)]) throws(LearnError) -> TrainingTable {
        try TrainingTable(features.map { feature in
            if feature.numeric {
                return (feature.name, .numeric(rows.map { row in
                    if case .number(let number)? = row.features[feature.name] { return number }
                    return .nan
                }))
            }
            return (feature.name, .categorical(rows.map { row -> String? in
                switch row.features[feature.name] {
                case .text(let text)?: text
                case .number(let number)?: number.canonicalText
                default: nil
                }
            }))
        })
    }

    /// Rows of a table with labels (the inverse of ``table(_:features:)``), stamped with `time`.
    public static func rows(_ table: TrainingTable, labels: [String], time: Int64) -> [LabelledRow] {
        (0..<table.rowCount).map { row in
            var values: [String: Value] = [:]
            for column in table.columns {
                switch column.values {
                case .numeric(let numbers): values[column.name] = numbers[row].isNaN ? .missing : .number(numbers[row])
                case .categorical(let texts): values[column.name] = texts[row].map(Value.text) ?? .missing
                }
            }
            return LabelledRow(time: time, features: values, label: labels[row])
        }
    }
}
