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
/// at most ``CategoricalPartial/unseenLimit`` unseen names per categorical feature, a fixed-size row sample.
struct WindowAccumulator {
    private(set) var count: UInt64 = 0
    private var earliest = Int64.max
    private var latest = Int64.min
    private var numeric: [NumericPartial]
    private var categoryCounts: [[UInt64]]
    private var unseen: [[Symbol: UInt64]]
    private var unseenNumbers: [[Double: UInt64]]
    private var categoricalMissing: [UInt64]
    private var predicted: [Symbol: UInt64] = [:]
    private var outcomes: [OutcomeKey: UInt64] = [:]
    private var confidence: NumericPartial?
    private var score: NumericPartial?
    private var entropySum = 0.0
    private var roc: (positive: [UInt64], negative: [UInt64])?
    private var residuals = OutcomePartial(confidence: nil, score: nil)
    private var sample: [ResolvedFeatures] = []
    private var sampleCapacity: Int
    private var generator: SplitMix64

    private struct OutcomeKey: Hashable {
        var truth: Symbol
        var predicted: Symbol
    }

    init(binding: ModelBinding, sketchK: Int, sampleCapacity: Int, seed: UInt64) throws {
        numeric = try binding.numericEdges.map { try NumericPartial(innerEdges: $0, sketchK: sketchK, seed: seed) }
        categoryCounts = binding.categoryCounts.map { Array(repeating: 0, count: $0 + 1) }
        unseen = Array(repeating: [:], count: binding.categoryCounts.count)
        unseenNumbers = Array(repeating: [:], count: binding.categoryCounts.count)
        categoricalMissing = Array(repeating: 0, count: binding.categoryCounts.count)
        if let summary = binding.profile.prediction?.confidence {
            confidence = try NumericPartial(innerEdges: summary.histogram.innerEdges, sketchK: sketchK, seed: seed)
        }
        if let summary = binding.profile.prediction?.score {
            score = try NumericPartial(innerEdges: summary.histogram.innerEdges, sketchK: sketchK, seed: seed)
        }
        self.sampleCapacity = sampleCapacity
        generator = SplitMix64(seed: seed)
    }

    /// Adds one inference event (features already resolved against the binding).
    mutating func add(_ features: ResolvedFeatures, _ event: InferenceEvent, binding: ModelBinding) {
        count += 1
        earliest = min(earliest, event.timestamp)
        latest = max(latest, event.timestamp)
        for slot in numeric.indices {
            let value = features.numbers[slot]
            if value.isNaN { numeric[slot].recordMissing() } else { numeric[slot].update(value) }
        }
        for slot in categoryCounts.indices {
            let position = features.categories[slot]
            switch position {
            case ResolvedFeatures.missing: categoricalMissing[slot] += 1
            case ResolvedFeatures.unseen: unseen[slot][features.unseenSymbols[slot], default: 0] += 1
            case ResolvedFeatures.unseenNumber: unseenNumbers[slot][features.unseenNumbers[slot], default: 0] += 1
            default: categoryCounts[slot][Int(position)] += 1
            }
        }
        if let label = event.predictedLabel { predicted[label, default: 0] += 1 }
        if !event.probabilities.isEmpty {
            if let top = event.confidence, confidence != nil { confidence?.update(top) }
            var entropy = 0.0
            for p in event.probabilities where p > 0 { entropy -= p * log(p) }
            entropySum += entropy
        }
        if let value = event.score, score != nil { score?.update(value) }
        addToSample(features)
    }

    /// Adds a labelled prediction (a carried label, or a feedback event joined to its prediction).
    mutating func add(_ outcome: OutcomeRecord, positiveClass: Symbol?) {
        switch outcome.label {
        case .category(let truth):
            guard let predictedClass = outcome.predicted else { return }
            outcomes[OutcomeKey(truth: truth, predicted: predictedClass), default: 0] += 1
            if let positiveClass, let probability = outcome.positiveProbability, probability.isFinite {
                if roc == nil { roc = (Array(repeating: 0, count: OutcomePartial.rocBins), Array(repeating: 0, count: OutcomePartial.rocBins)) }
                let bin = min(OutcomePartial.rocBins - 1, max(0, Int(probability * Double(OutcomePartial.rocBins))))
                if truth == positiveClass { roc?.positive[bin] += 1 } else { roc?.negative[bin] += 1 }
            }
        case .number(let truth):
            if let value = outcome.score { residuals.recordResidual(label: truth, score: value) }
        }
    }

    /// Reservoir sampling (algorithm R) of resolved rows.
    private mutating func addToSample(_ features: ResolvedFeatures) {
        guard sampleCapacity > 0 else { return }
        if sample.count < sampleCapacity {
            sample.append(features)
            return
        }
        let slot = Int(generator.next() % count)
        if slot < sampleCapacity { sample[slot] = features }
    }

    /// The window's partial, with symbols turned back into strings.
    func partial(
        binding: ModelBinding, symbols: SymbolTable, window: WindowKey, kind: WindowPartial.Kind, source: SourcePartition,
        watermark: Int64, late: UInt64
    ) -> WindowPartial {
        let profile = binding.profile
        var features: [FeaturePartial] = []
        features.reserveCapacity(binding.slots.count)
        for slot in binding.slots {
            switch slot {
            case .numeric(let index):
                features.append(.numeric(numeric[index]))
            case .categorical(let index):
                var partial = CategoricalPartial(counts: categoryCounts[index], unseen: [:], unseenOther: 0, missing: categoricalMissing[index])
                for (symbol, count) in unseen[index].sorted(by: { $0.value > $1.value }) {
                    if symbol == .overflow { partial.unseenOther += count } else { partial.addUnseen(symbols.string(symbol), count: count) }
                }
                for (number, count) in unseenNumbers[index].sorted(by: { $0.value > $1.value }) {
                    partial.addUnseen(Self.spelling(number), count: count)
                }
                features.append(.categorical(partial))
            }
        }
        var outcome = residuals
        outcome.confidence = confidence
        outcome.score = score
        outcome.recordEntropy(entropySum)
        for (symbol, count) in predicted.sorted(by: { $0.key < $1.key }) {
            outcome.recordPrediction(outcome.classNumber(symbols.string(symbol)), count: count)
        }
        for (key, count) in outcomes.sorted(by: { ($0.key.truth, $0.key.predicted) < ($1.key.truth, $1.key.predicted) }) {
            let truth = outcome.classNumber(symbols.string(key.truth))
            outcome.recordOutcome(truth: truth, predicted: outcome.classNumber(symbols.string(key.predicted)), count: count)
        }
        if let roc, let positive = binding.positiveClassName {
            outcome.setROC(positiveClass: positive, positive: roc.positive, negative: roc.negative)
        }
        let rows = sample.map { resolved in
            binding.slots.map { slot -> RowSample.Value in
                switch slot {
                case .numeric(let index):
                    let value = resolved.numbers[index]
                    return value.isNaN ? .missing : .number(value)
                case .categorical(let index):
                    let position = resolved.categories[index]
                    switch position {
                    case ResolvedFeatures.missing: return .missing
                    case ResolvedFeatures.unseen:
                        let symbol = resolved.unseenSymbols[index]
                        return .string(symbol == .overflow ? "#overflow" : symbols.string(symbol))
                    case ResolvedFeatures.unseenNumber: return .string(Self.spelling(resolved.unseenNumbers[index]))
                    default:
                        guard case .categorical(let summary) = profile.features[binding.categoricalFeatures[index]].summary else { return .missing }
                        return .string(summary.counts[Int(position)].value)
                    }
                }
            }
        }
        var partial = WindowPartial(
            modelID: profile.modelID, modelVersion: profile.modelVersion, window: window, kind: kind, sources: [source],
            watermark: watermark, count: count, late: late, featureNames: profile.features.map(\.name), features: features,
            outcomes: outcome, rows: RowSamplePartial(capacity: sampleCapacity, seen: count, rows: rows))
        partial.earliestEventTime = earliest
        partial.latestEventTime = latest
        return partial
    }

    /// A number used as a category, spelled as JSON would (integers without a fraction).
    static func spelling(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
