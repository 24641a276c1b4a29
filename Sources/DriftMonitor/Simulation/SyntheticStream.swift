public import DriftContracts
import DriftStats

/// A reproducible stream of a binary classifier's traffic — 20 numeric features (`f00`…`f19`, normal with
/// mean i and deviation 1 + i/10) and 5 categorical ones (`c0`…`c4`, categories a–d at 40/30/20/10 %) — with
/// drift injected from a chosen time: mean shifts, a categorical shift, an unseen category, labels that
/// disagree with the model. Tests, benchmarks and `driftwatch simulate` use it; pure.
public struct SyntheticStream: Sendable {
    public static let numericCount = 20
    public static let categoricalCount = 5
    static let categories = ["a", "b", "c", "d"]
    static let categoryWeights = [0.4, 0.3, 0.2, 0.1]

    /// What changes at ``Drift/onset``.
    public struct Drift: Sendable, Equatable {
        /// Event time from which the drift applies (ms).
        public var onset: Int64
        /// Numeric feature index → shift of its mean, in deviations.
        public var meanShifts: [Int: Double] = [:]
        /// Categorical features whose distribution turns to d/c/b/a at 40/30/20/10 %.
        public var categoricalShifts: Set<Int> = []
        /// Categorical feature index → share of values replaced by the unseen category `zz`.
        public var unseenShares: [Int: Double] = [:]
        /// Share of labels flipped (the model looks worse).
        public var labelFlipShare = 0.0
        /// Share of requests that fail (`error`, no prediction).
        public var errorShare = 0.0
        /// Factor on `latency_ms` (when the stream writes latencies).
        public var latencyFactor = 1.0

        public init(onset: Int64) {
            self.onset = onset
        }
    }

    public var modelID: String
    public var modelVersion: String
    public var seed: UInt64
    public var drift: Drift?
    /// Decimal places numeric features and probabilities are written with (`nil`: full precision, 17
    /// significant digits as Python's `repr` writes them). With 4, an event is about 400 bytes.
    public var decimals: Int?
    /// Whether events carry `latency_ms` (2–10 ms, uniform, before any drift's factor).
    public var latency = false

    public init(modelID: String = "credit-risk", modelVersion: String = "1", seed: UInt64 = 7, drift: Drift? = nil, decimals: Int? = nil) {
        self.decimals = decimals
        self.modelID = modelID
        self.modelVersion = modelVersion
        self.seed = seed
        self.drift = drift
    }

    /// One event's content.
    public struct Row: Sendable {
        public var numbers: [Double]
        public var categories: [String]
        public var probabilityYes: Double
        public var predicted: String
        public var label: String
    }

    /// Row `index` (the same index always gives the same row), as of event time `timestamp`.
    public func row(_ index: Int, timestamp: Int64) -> Row {
        var generator = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
        let active = drift.map { timestamp >= $0.onset } ?? false
        var numbers: [Double] = []
        numbers.reserveCapacity(Self.numericCount)
        for feature in 0..<Self.numericCount {
            let deviation = 1 + Double(feature) / 10
            var z = Self.normal(&generator)
            if active, let shift = drift?.meanShifts[feature] { z += shift }
            numbers.append(Double(feature) + deviation * z)
        }
        var categories: [String] = []
        for feature in 0..<Self.categoricalCount {
            let u = Self.uniform(&generator)
            var position = 0
            var cumulative = Self.categoryWeights[0]
            while u > cumulative, position < 3 {
                position += 1
                cumulative += Self.categoryWeights[position]
            }
            if active, drift?.categoricalShifts.contains(feature) == true { position = 3 - position }
            let unseen = Self.uniform(&generator)
            if active, let share = drift?.unseenShares[feature], unseen < share {
                categories.append("zz")
            } else {
                categories.append(Self.categories[position])
            }
        }
        let categoryTerm: Double = categories[0] == "a" ? 0.5 : -0.3
        let numericTerm: Double = 0.9 * numbers[0] - 0.6 * (numbers[1] - 1) / 1.1
        let logit: Double = numericTerm + categoryTerm - 0.1
        let probability = 1 / (1 + exp(-logit))
        let labelDraw = Self.uniform(&generator)
        var label = labelDraw < probability ? "yes" : "no"
        let flipDraw = Self.uniform(&generator)
        if active, let share = drift?.labelFlipShare, flipDraw < share { label = label == "yes" ? "no" : "yes" }
        let predicted: String = probability >= 0.5 ? "yes" : "no"
        return Row(numbers: numbers, categories: categories, probabilityYes: probability, predicted: predicted, label: label)
    }

    /// The feature names, numeric first.
    public static var featureNames: [String] {
        let numeric: [String] = (0..<numericCount).map { (index: Int) -> String in index < 10 ? "f0\(index)" : "f\(index)" }
        let categorical: [String] = (0..<categoricalCount).map { (index: Int) -> String in "c\(index)" }
        return numeric + categorical
    }

    /// Event `index` as a producer would send it; `withLabel` carries the ground truth in the event.
    public func record(_ index: Int, timestamp: Int64, withLabel: Bool = false) -> InferenceRecord {
        let row = row(index, timestamp: timestamp)
        let names = Self.featureNames
        var features: [(String, InferenceRecord.Value)] = []
        for (position, value) in row.numbers.enumerated() { features.append((names[position], .number(written(value)))) }
        for (position, value) in row.categories.enumerated() { features.append((names[Self.numericCount + position], .string(value))) }
        var record = InferenceRecord(
            eventID: eventID(index), modelID: modelID, modelVersion: modelVersion, timestamp: timestamp, features: features,
            predictedLabel: row.predicted, probabilities: [("no", written(1 - row.probabilityYes)), ("yes", written(row.probabilityYes))],
            label: withLabel ? row.label : nil, timestampAsText: false)
        // Operational figures draw from their own generator, so turning them on leaves the rows as they were.
        var operations = SplitMix64(seed: (seed ^ 0x5EED_0F0B_5E7A_7105) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
        let active = drift.map { timestamp >= $0.onset } ?? false
        if latency {
            let factor = active ? drift?.latencyFactor ?? 1 : 1
            record.latencyMilliseconds = ((2 + 8 * Self.uniform(&operations)) * factor * 1_000).rounded() / 1_000
        }
        if active, let share = drift?.errorShare, share > 0, Self.uniform(&operations) < share {
            record.error = "model timeout"
            record.predictedLabel = nil
            record.probabilities = []
        }
        return record
    }

    /// `value` as written into an event: rounded to ``decimals`` places when set.
    func written(_ value: Double) -> Double {
        guard let decimals else { return value }
        let scale = (0..<decimals).reduce(1.0) { power, _ in power * 10 }
        return (value * scale).rounded() / scale
    }

    /// The feedback event for event `index` (label observed at `observedAt`).
    public func feedback(_ index: Int, eventTime: Int64, observedAt: Int64) -> FeedbackRecord {
        FeedbackRecord(eventID: eventID(index), modelID: modelID, label: row(index, timestamp: eventTime).label, timestamp: observedAt)
    }

    public func eventID(_ index: Int) -> String { "\(modelID)-\(seed)-\(index)" }

    /// A reference profile from `rows` undrifted rows, built by `builder` (its sketch and reservoir sizes).
    public func profile(rows: Int, createdAt: Int64 = 0, builder: ReferenceProfileBuilder = ReferenceProfileBuilder()) throws -> ReferenceProfile {
        let undrifted = SyntheticStream(modelID: modelID, modelVersion: modelVersion, seed: seed &+ 1_000_003, drift: nil)
        let sample = (0..<rows).map { undrifted.row($0, timestamp: 0) }
        let names = Self.featureNames
        var columns: [ReferenceProfileBuilder.Column] = []
        for feature in 0..<Self.numericCount { columns.append(.numeric(name: names[feature], values: sample.map { $0.numbers[feature] })) }
        for feature in 0..<Self.categoricalCount {
            columns.append(.categorical(name: names[Self.numericCount + feature], values: sample.map { $0.categories[feature] }))
        }
        let outcomes = ReferenceProfileBuilder.Outcomes(
            predictions: sample.map(\.predicted),
            probabilities: [("no", sample.map { 1 - $0.probabilityYes }), ("yes", sample.map(\.probabilityYes))],
            labels: sample.map(\.label))
        return try builder.build(
            modelID: modelID, modelVersion: modelVersion, createdAt: createdAt,
            source: ReferenceProfile.Source(path: "synthetic:\(seed)", format: "synthetic", rows: rows), columns: columns, outcomes: outcomes)
    }

    static func uniform(_ generator: inout SplitMix64) -> Double {
        Double(generator.next() >> 11) * 0x1p-53
    }

    /// Box–Muller.
    static func normal(_ generator: inout SplitMix64) -> Double {
        let u1 = max(uniform(&generator), 0x1p-60)
        let u2 = uniform(&generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
