/// When to retrain a model: which drift verdicts count, how far performance may fall, a schedule, and the
/// guards (a cooldown, a minimum of new labelled events, one training per model at a time). Pure: the
/// worker feeds it signals and its own bookkeeping, and logs every decision with its reason.
public struct RetrainTriggerPolicy: Sendable, Equatable {
    /// Severities of drift verdicts that trigger (default: CRITICAL).
    public var driftSeverities: Set<String> = ["CRITICAL"]
    /// Metrics whose verdicts trigger (`psi`, `ks`, `accuracy`, …); empty: any.
    public var driftMetrics: Set<String> = []
    /// A relative fall of the performance metric below its baseline that triggers (default 10 %).
    public var performanceDrop = 0.10
    /// The performance metric watched (default accuracy).
    public var performanceMetric = "accuracy"
    /// Labelled events a window needs before its performance counts.
    public var minimumLabelledPerWindow = 30
    /// Retrain at least this often (ms); nil: no schedule.
    public var scheduleInterval: Int64?
    /// No automatic training within this long after the last one started (ms; default 30 min).
    public var cooldown: Int64 = 30 * 60_000
    /// New labelled events needed since the last training (default 500); manual requests skip it.
    public var minimumNewLabelled = 500

    /// The defaults above.
    public init() {}

    /// The worker's bookkeeping for one model.
    public struct ModelState: Sendable, Equatable {
        /// When the last training started (ms), if any.
        public var lastTrainingStarted: Int64?
        /// Whether a training is running.
        public var training = false
        /// Labelled events gathered since the last training started.
        public var newLabelled = 0

        public init(lastTrainingStarted: Int64? = nil, training: Bool = false, newLabelled: Int = 0) {
            self.lastTrainingStarted = lastTrainingStarted
            self.training = training
            self.newLabelled = newLabelled
        }
    }

    /// A decision, always with its reason.
    public struct Decision: Sendable, Equatable {
        /// Whether to train now.
        public var train: Bool
        /// The trigger (`drift`, `performance`, `schedule`, `manual`), or `none`.
        public var trigger: String
        /// Why, in words (logged and recorded in the version's lineage).
        public var reason: String
    }

    /// Judges `signal` for a model in `state` at `now`.
    public func decide(_ signal: RetrainSignal, state: ModelState, now: Int64) -> Decision {
        let (trigger, reason): (String, String)
        switch signal {
        case .manual(let by):
            guard !state.training else { return Decision(train: false, trigger: "manual", reason: "a training of this model is already running") }
            return Decision(train: true, trigger: "manual", reason: "requested by \(by)")
        case .schedule:
            guard let interval = scheduleInterval else { return Decision(train: false, trigger: "none", reason: "no schedule configured") }
            if let last = state.lastTrainingStarted, now - last < interval {
                return Decision(train: false, trigger: "schedule", reason: "last training \((now - last) / 1_000) s ago, the schedule is every \(interval / 1_000) s")
            }
            (trigger, reason) = ("schedule", "scheduled every \(interval / 1_000) s")
        case .drift(let drift):
            if let fall = performanceFall(drift) {
                (trigger, reason) = ("performance", fall)
            } else if let verdict = driftVerdict(drift) {
                (trigger, reason) = ("drift", verdict)
            } else {
                return Decision(train: false, trigger: "none", reason: "drift event \(drift.eventID) at \(drift.severity) has no verdict that triggers")
            }
        }
        if state.training {
            return Decision(train: false, trigger: trigger, reason: "\(reason); but a training of this model is already running")
        }
        if let last = state.lastTrainingStarted, now - last < cooldown {
            return Decision(train: false, trigger: trigger, reason: "\(reason); but in cooldown (\((cooldown - (now - last)) / 1_000) s left)")
        }
        if state.newLabelled < minimumNewLabelled {
            return Decision(train: false, trigger: trigger,
                            reason: "\(reason); but only \(state.newLabelled) new labelled events (\(minimumNewLabelled) needed)")
        }
        return Decision(train: true, trigger: trigger, reason: reason)
    }

    /// The performance fall that triggers, described; nil when there is none.
    func performanceFall(_ drift: DriftSignal) -> String? {
        guard drift.labelled >= minimumLabelledPerWindow, let current = drift.performance[performanceMetric],
              let baseline = drift.baseline[performanceMetric], baseline > 0 else { return nil }
        let fall = (baseline - current) / baseline
        guard fall >= performanceDrop else { return nil }
        return "\(performanceMetric) \(PromotionPolicy.format(current)) is \(PromotionPolicy.format(fall * 100)) % below the baseline \(PromotionPolicy.format(baseline)) (event \(drift.eventID))"
    }

    /// The drift verdicts that trigger, described; nil when there are none.
    func driftVerdict(_ drift: DriftSignal) -> String? {
        let matching = drift.triggers.filter { driftSeverities.contains($0.severity) && (driftMetrics.isEmpty || driftMetrics.contains($0.metric)) }
        guard !matching.isEmpty else { return nil }
        let named = matching.prefix(5).map { "\($0.scope) \($0.metric) \($0.severity)" }.joined(separator: ", ")
        return "drift event \(drift.eventID): \(named)\(matching.count > 5 ? " and \(matching.count - 5) more" : "")"
    }
}
