import DriftJSON
public import DriftContracts
import DriftStats

/// What a labelled prediction contributes to performance: the predicted class, the positive-class
/// probability (binary models), the score, and the ground truth.
public struct OutcomeRecord: Sendable, Equatable {
    public var predicted: Symbol?
    public var positiveProbability: Double?
    public var score: Double?
    public var label: LabelValue

    public init(predicted: Symbol?, positiveProbability: Double?, score: Double?, label: LabelValue) {
        self.predicted = predicted
        self.positiveProbability = positiveProbability
        self.score = score
        self.label = label
    }
}

/// Stage 1's state of one (model version, window) on one partition: updated per event with symbols and slot
/// indices only, turned into a ``WindowPartial`` (with strings) when the window closes. Memory is bounded by
/// the profile: one histogram, sketch and moments per numeric feature, one count per reference category plus
/// at most ``CategoricalPartial/unseenLimit`` unseen values per categorical feature, a fixed-size row sample.
struct WindowAccumulator {
    /// The binding the window was opened with (its slot layout is the accumulator's).
    let binding: ModelBinding
    private(set) var count: UInt64 = 0
    private var earliest = Int64.max
    private var latest = Int64.min
    private var numeric: [NumericPartial]
    /// Per numeric slot: values outside the reference's range.
    private var outOfRange: [UInt64]
    private var operations = OperationalPartial()
    private let sketchK: Int
    private let seed: UInt64
    private var categorical: [CategoricalAccumulator]
    /// Predictions and labelled pairs by symbol (turned into class names on close).
    private var predicted = SymbolCounts()
    private var outcomes: [OutcomeKey: UInt64] = [:]
    /// Confidence, score, entropy, ROC bins and residuals, kept directly in their partial form.
    private var outcome: OutcomePartial
    private var sample: ResolvedRowSample
    /// The least certain unlabelled predictions, when label requests are on.
    private(set) var candidates: LabelRequestCandidates?

    private struct OutcomeKey: Hashable {
        var truth: Symbol
        var predicted: Symbol
    }

    /// One categorical feature: counts by profile position, and unseen values (symbols, or numbers sent where
    /// a category was expected) up to ``CategoricalPartial/unseenLimit`` distinct ones.
    private struct CategoricalAccumulator {
        var counts: [UInt64]
        var missing: UInt64 = 0
        var unseen: [Symbol: UInt64] = [:]
        var unseenNumbers: [Double: UInt64] = [:]
        var unseenOther: UInt64 = 0

        mutating func addUnseen(_ symbol: Symbol) {
            if symbol != .overflow, unseen[symbol] != nil || unseen.count + unseenNumbers.count < CategoricalPartial.unseenLimit {
                unseen[symbol, default: 0] += 1
            } else {
                unseenOther += 1
            }
        }

        mutating func addUnseen(_ number: Double) {
            if unseenNumbers[number] != nil || unseen.count + unseenNumbers.count < CategoricalPartial.unseenLimit {
                unseenNumbers[number, default: 0] += 1
            } else {
                unseenOther += 1
            }
        }

        func partial(_ symbols: SymbolTable) -> CategoricalPartial {
            var partial = CategoricalPartial(counts: counts, unseen: [:], unseenOther: unseenOther, missing: missing)
            for (symbol, count) in unseen { partial.addUnseen(symbols.string(symbol), count: count) }
            for (number, count) in unseenNumbers { partial.addUnseen(number.canonicalText, count: count) }
            return partial
        }
    }

    init(binding: ModelBinding, sketchK: Int, sampleCapacity: Int, seed: UInt64, labelRequests: LabelRequestPolicy? = nil) throws {
        self.binding = binding
        candidates = labelRequests.map(LabelRequestCandidates.init(policy:))
        numeric = try binding.numericEdges.map { try NumericPartial(innerEdges: $0, sketchK: sketchK, seed: seed) }
        outOfRange = Array(repeating: 0, count: binding.numericEdges.count)
        self.sketchK = sketchK
        self.seed = seed
        categorical = binding.categoryNames.map { CategoricalAccumulator(counts: Array(repeating: 0, count: $0.count + 1)) }
        let prediction = binding.profile.prediction
        outcome = OutcomePartial(
            confidence: try prediction?.confidence.map { try NumericPartial(innerEdges: $0.histogram.innerEdges, sketchK: sketchK, seed: seed) },
            score: try prediction?.score.map { try NumericPartial(innerEdges: $0.histogram.innerEdges, sketchK: sketchK, seed: seed) })
        outcome.residual = try prediction?.residual.map { try NumericPartial(innerEdges: $0.histogram.innerEdges, sketchK: sketchK, seed: seed) }
        sample = ResolvedRowSample(
            capacity: sampleCapacity, numericWidth: binding.numericEdges.count, categoricalWidth: binding.categoryNames.count, seed: seed)
    }

    /// Adds one inference event (features already resolved against the binding).
    mutating func add(_ features: ResolvedFeatures, _ event: InferenceEvent) {
        count += 1
        earliest = min(earliest, event.timestamp)
        latest = max(latest, event.timestamp)
        let ranges = binding.numericRanges
        for slot in numeric.indices {
            let value = features.numbers[slot]
            if value.isNaN {
                numeric[slot].recordMissing()
            } else {
                numeric[slot].update(value)
                if !ranges[slot].contains(value) { outOfRange[slot] += 1 }
            }
        }
        for slot in categorical.indices {
            let position = features.categories[slot]
            switch position {
            case ResolvedFeatures.missing: categorical[slot].missing += 1
            case ResolvedFeatures.unseen: categorical[slot].addUnseen(features.unseenSymbols[slot])
            case ResolvedFeatures.unseenNumber: categorical[slot].addUnseen(features.unseenNumbers[slot])
            default: categorical[slot].counts[Int(position)] += 1
            }
        }
        if let label = event.predictedLabel { predicted.add(label) }
        if !event.probabilities.isEmpty {
            if let top = event.confidence { outcome.confidence?.update(top) }
            var entropy = 0.0
            for p in event.probabilities where p > 0 { entropy -= p * log(p) }
            outcome.recordEntropy(entropy)
        }
        if let value = event.score { outcome.score?.update(value) }
        if let latency = event.latencyMilliseconds { operations.recordLatency(latency, sketchK: sketchK, seed: seed) }
        if event.failed { operations.errors += 1 }
        if event.label == nil, !event.shadow { candidates?.offer(event) }
        sample.offer(features, seen: count)
    }

    /// Adds a labelled prediction (a carried label, or a feedback event joined to its prediction).
    mutating func add(_ record: OutcomeRecord) {
        switch record.label {
        case .category(let truth):
            guard let predictedClass = record.predicted else { return }
            outcomes[OutcomeKey(truth: truth, predicted: predictedClass), default: 0] += 1
            if let positive = binding.positiveClassName, let probability = record.positiveProbability {
                outcome.recordScore(positiveClass: positive, probability: probability, isPositive: truth == binding.positiveClass)
            }
        case .number(let truth):
            if let value = record.score { outcome.recordResidual(label: truth, score: value) }
        }
    }

    /// The window's partial, with symbols turned back into strings.
    func partial(symbols: SymbolTable, window: WindowKey, kind: WindowPartial.Kind, source: SourcePartition, watermark: Int64, late: UInt64) -> WindowPartial {
        let features = binding.slots.map { slot -> FeaturePartial in
            switch slot {
            case .numeric(let index): .numeric(numeric[index])
            case .categorical(let index): .categorical(categorical[index].partial(symbols))
            }
        }
        var outcome = self.outcome
        for (symbol, count) in predicted.sorted {
            outcome.recordPrediction(outcome.classNumber(symbols.string(symbol)), count: count)
        }
        for (key, count) in outcomes.sorted(by: { ($0.key.truth, $0.key.predicted) < ($1.key.truth, $1.key.predicted) }) {
            let truth = outcome.classNumber(symbols.string(key.truth))
            outcome.recordOutcome(truth: truth, predicted: outcome.classNumber(symbols.string(key.predicted)), count: count)
        }
        let rows = (0..<sample.rows).map { sample.values($0, binding: binding, symbols: symbols) }
        let profile = binding.profile
        var partial = WindowPartial(
            modelID: profile.modelID, modelVersion: profile.modelVersion, window: window, kind: kind, sources: [source],
            watermark: watermark, count: count, late: late, featureNames: profile.features.map(\.name), features: features,
            outcomes: outcome, rows: RowSamplePartial(capacity: sample.capacity, seen: count, rows: rows))
        partial.earliestEventTime = earliest
        partial.latestEventTime = latest
        partial.outOfRange = binding.slots.map { slot in
            if case .numeric(let index) = slot { return outOfRange[index] }
            return 0
        }
        partial.operations = operations
        return partial
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
