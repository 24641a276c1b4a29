import DriftJSON
import DriftContracts
import DriftLearn
import DriftMonitor
public import DriftRegistry

/// Turns the monitor's input topics into labelled rows per model: an inference event that carries its
/// label is a row at once; one without waits (bounded, with a time to live) for its feedback event, and
/// the other way round. Shadow predictions are not training data. Pure: bytes in, rows out.
public struct LabelledEventCollector {
    /// A row, for a model.
    public struct Collected: Sendable, Equatable {
        public var model: String
        public var row: LabelledRow
    }

    /// What could not be used, with the reason (for logs and a dead-letter count).
    public struct Rejected: Error, Sendable, Equatable {
        public var reason: String
    }

    private struct Pending: Sendable {
        var model: String
        var time: Int64
        var features: [String: LabelledRow.Value]
    }

    private var inferenceDecoder: InferenceEventDecoder
    private var feedbackDecoder: FeedbackEventDecoder
    private var event = InferenceEvent()
    private var buffer: LabelJoinBuffer<Pending, String>

    /// A collector whose join waits at most `capacity` events for at most `timeToLive` ms.
    public init(capacity: Int = 200_000, timeToLive: Int64 = 24 * 3_600_000) {
        inferenceDecoder = InferenceEventDecoder()
        feedbackDecoder = FeedbackEventDecoder()
        buffer = LabelJoinBuffer(capacity: capacity, timeToLive: timeToLive)
    }

    /// Labels matched with their predictions so far.
    public var joined: UInt64 { buffer.matched }
    /// Predictions waiting for a label.
    public var waiting: Int { buffer.waitingPredictions }

    /// An inference event's payload: its row when it carries a label or its feedback already came.
    public mutating func inference(_ payload: [UInt8]) -> Result<Collected?, Rejected> {
        do {
            try inferenceDecoder.decode(payload, into: &event)
        } catch {
            return .failure(Rejected(reason: "\(error)"))
        }
        guard !event.shadow else { return .success(nil) }
        let symbols = inferenceDecoder.symbols
        var features: [String: LabelledRow.Value] = [:]
        for (name, value) in zip(event.featureNames, event.featureValues) {
            switch value {
            case .number(let number): features[symbols.string(name)] = .number(number)
            case .category(let category): features[symbols.string(name)] = category == .overflow ? .missing : .text(symbols.string(category))
            case .missing: features[symbols.string(name)] = .missing
            }
        }
        let pending = Pending(model: symbols.string(event.modelID), time: event.timestamp, features: features)
        if let label = event.label {
            return .success(Collected(model: pending.model, row: LabelledRow(time: pending.time, features: features, label: Self.text(label, symbols))))
        }
        guard let label = buffer.addPrediction(id: event.eventID, time: event.timestamp, pending) else { return .success(nil) }
        return .success(Collected(model: pending.model, row: LabelledRow(time: pending.time, features: features, label: label)))
    }

    /// A feedback event's payload: the row it completes, if its prediction already came.
    public mutating func feedback(_ payload: [UInt8]) -> Result<Collected?, Rejected> {
        let feedback: FeedbackEvent
        do {
            feedback = try feedbackDecoder.decode(payload)
        } catch {
            return .failure(Rejected(reason: "\(error)"))
        }
        let label = Self.text(feedback.label, feedbackDecoder.symbols)
        guard let pending = buffer.addLabel(id: feedback.eventID, time: feedback.timestamp, label) else { return .success(nil) }
        return .success(Collected(model: pending.model, row: LabelledRow(time: pending.time, features: pending.features, label: label)))
    }

    private static func text(_ label: LabelValue, _ symbols: SymbolTable) -> String {
        switch label {
        case .category(let symbol): symbols.string(symbol)
        case .number(let number): number.canonicalText
        }
    }
}

