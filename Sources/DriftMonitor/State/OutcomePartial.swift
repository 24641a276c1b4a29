public import DriftStats

/// The model's outputs and the joined ground truth in one window: predicted-class counts, the top-class
/// confidence and its entropy, the score, and what performance needs — a sparse confusion matrix,
/// binned positive-class probabilities for a binary ROC-AUC, and regression residual sums. Mergeable.
public struct OutcomePartial: Sendable, Equatable {
    /// Bins of the positive-class probability for the binary ROC-AUC (ties within a bin count one half).
    public static let rocBins = 200

    /// Class names in first-seen order; the indices below refer to them.
    public private(set) var classes: [String] = []
    private var classIndex: [String: Int] = [:]
    /// Predictions per class (parallel to ``classes``).
    public private(set) var predicted: [UInt64] = []
    /// (true class, predicted class) → count, for labelled events.
    public private(set) var confusion: [Pair: UInt64] = [:]
    /// Labelled events (classification or regression).
    public internal(set) var labelled: UInt64 = 0
    /// The top-class probability, on the reference confidence edges.
    public var confidence: NumericPartial?
    /// Σ of the prediction entropy (natural log) over events with probabilities.
    public internal(set) var entropySum: Double = 0
    /// The score (regression and scoring models), on the reference score edges.
    public var score: NumericPartial?
    /// Binary ROC-AUC: the positive class, and per bin the positive-class probabilities of events whose label
    /// is positive / negative.
    public internal(set) var positiveClass: String?
    public internal(set) var rocPositive: [UInt64] = []
    public internal(set) var rocNegative: [UInt64] = []
    /// Regression residuals (label − score): count, Σ|r|, Σr², and the labels' moments (for R²).
    public internal(set) var residualCount: UInt64 = 0
    public internal(set) var absoluteErrorSum: Double = 0
    public internal(set) var squaredErrorSum: Double = 0
    public internal(set) var labelMoments = Moments()
    /// Regression residuals (label − score) on the reference residuals' edges, for residual drift (`nil` when
    /// the profile has no reference residuals).
    public var residual: NumericPartial?

    /// A true/predicted class pair.
    public struct Pair: Hashable, Sendable {
        public var truth: Int
        public var predicted: Int
        public init(truth: Int, predicted: Int) {
            self.truth = truth
            self.predicted = predicted
        }
    }

    public init(confidence: NumericPartial?, score: NumericPartial?) {
        self.confidence = confidence
        self.score = score
    }

    /// The index of class `name`, added if new.
    public mutating func classNumber(_ name: String) -> Int {
        if let index = classIndex[name] { return index }
        classIndex[name] = classes.count
        classes.append(name)
        predicted.append(0)
        return classes.count - 1
    }

    /// Counts one prediction of class number `index`.
    public mutating func recordPrediction(_ index: Int, count: UInt64 = 1) { predicted[index] += count }

    /// Counts one labelled classification.
    public mutating func recordOutcome(truth: Int, predicted: Int, count: UInt64 = 1) {
        confusion[Pair(truth: truth, predicted: predicted), default: 0] += count
        labelled += count
    }

    /// Counts one positive-class probability for the ROC-AUC.
    public mutating func recordScore(positiveClass name: String, probability: Double, isPositive: Bool) {
        if positiveClass == nil {
            positiveClass = name
            rocPositive = Array(repeating: 0, count: Self.rocBins)
            rocNegative = Array(repeating: 0, count: Self.rocBins)
        }
        guard positiveClass == name, probability.isFinite else { return }
        let bin = min(Self.rocBins - 1, max(0, Int(probability * Double(Self.rocBins))))
        if isPositive { rocPositive[bin] += 1 } else { rocNegative[bin] += 1 }
    }

    /// Counts one regression residual.
    public mutating func recordResidual(label: Double, score: Double) {
        let residual = label - score
        guard residual.isFinite else { return }
        residualCount += 1
        labelled += 1
        absoluteErrorSum += abs(residual)
        squaredErrorSum += residual * residual
        labelMoments.update(label)
        self.residual?.update(residual)
    }

    /// Adds an entropy term.
    public mutating func recordEntropy(_ value: Double) { entropySum += value }

    /// Adds `other` (classes matched by name).
    public mutating func merge(_ other: OutcomePartial) throws {
        let mapping = other.classes.map { classNumber($0) }
        for (index, count) in other.predicted.enumerated() { predicted[mapping[index]] += count }
        for (pair, count) in other.confusion {
            confusion[Pair(truth: mapping[pair.truth], predicted: mapping[pair.predicted]), default: 0] += count
        }
        labelled += other.labelled
        entropySum += other.entropySum
        try NumericPartial.merge(other.confidence, into: &confidence)
        try NumericPartial.merge(other.score, into: &score)
        if let name = other.positiveClass {
            if positiveClass == nil {
                positiveClass = name
                rocPositive = other.rocPositive
                rocNegative = other.rocNegative
            } else if positiveClass == name {
                for bin in 0..<Self.rocBins {
                    rocPositive[bin] += other.rocPositive[bin]
                    rocNegative[bin] += other.rocNegative[bin]
                }
            }
        }
        residualCount += other.residualCount
        absoluteErrorSum += other.absoluteErrorSum
        squaredErrorSum += other.squaredErrorSum
        labelMoments.merge(other.labelMoments)
        try NumericPartial.merge(other.residual, into: &residual)
    }

    /// Rebuilds a partial from its stored parts (the binary decoder).
    init(classes: [String], predicted: [UInt64], confusion: [Pair: UInt64], labelled: UInt64, confidence: NumericPartial?,
         entropySum: Double, score: NumericPartial?, positiveClass: String?, rocPositive: [UInt64], rocNegative: [UInt64],
         residualCount: UInt64, absoluteErrorSum: Double, squaredErrorSum: Double, labelMoments: Moments) {
        self.classes = classes
        self.classIndex = Dictionary(classes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.predicted = predicted
        self.confusion = confusion
        self.labelled = labelled
        self.confidence = confidence
        self.entropySum = entropySum
        self.score = score
        self.positiveClass = positiveClass
        self.rocPositive = rocPositive
        self.rocNegative = rocNegative
        self.residualCount = residualCount
        self.absoluteErrorSum = absoluteErrorSum
        self.squaredErrorSum = squaredErrorSum
        self.labelMoments = labelMoments
    }
}
