import DriftLearn
import DriftRetrain
import Testing

@Suite("Retraining policies")
struct PolicyTests {
    static let minute: Int64 = 60_000

    static func drift(_ triggers: [DriftSignal.Trigger], accuracy: Double? = nil, baseline: Double = 0.85, labelled: Int = 200) -> RetrainSignal {
        .drift(DriftSignal(eventID: "m@1/w", modelID: "m", modelVersion: "1", severity: "CRITICAL", triggers: triggers,
                           performance: accuracy.map { ["accuracy": $0] } ?? [:], baseline: ["accuracy": baseline], labelled: labelled))
    }

    @Test func criticalDriftTriggersAndEachGuardHoldsItBack() {
        let policy = RetrainTriggerPolicy()
        let critical = Self.drift([.init(scope: "age", metric: "psi", severity: "CRITICAL", value: 0.4)])
        let ready = RetrainTriggerPolicy.ModelState(lastTrainingStarted: nil, training: false, newLabelled: 1_000)
        let go = policy.decide(critical, state: ready, now: 0)
        #expect(go.train && go.trigger == "drift" && go.reason.contains("age psi CRITICAL"))

        let warning = Self.drift([.init(scope: "age", metric: "psi", severity: "WARNING")])
        #expect(!policy.decide(warning, state: ready, now: 0).train)

        var cooling = ready
        cooling.lastTrainingStarted = 0
        let held = policy.decide(critical, state: cooling, now: 10 * Self.minute)
        #expect(!held.train && held.reason.contains("cooldown (1200 s left)"), "\(held.reason)")
        #expect(policy.decide(critical, state: cooling, now: 31 * Self.minute).train)

        var busy = ready
        busy.training = true
        #expect(!policy.decide(critical, state: busy, now: 0).train)
        #expect(!policy.decide(.manual(by: "cli"), state: busy, now: 0).train)

        var scarce = ready
        scarce.newLabelled = 10
        let few = policy.decide(critical, state: scarce, now: 0)
        #expect(!few.train && few.reason.contains("only 10 new labelled events (500 needed)"))
        // A request by hand skips the cooldown and the minimum.
        #expect(policy.decide(.manual(by: "cli"), state: RetrainTriggerPolicy.ModelState(lastTrainingStarted: 0, newLabelled: 0), now: 1).train)
    }

    @Test func onlyConfiguredMetricsAndSeveritiesCount() {
        var policy = RetrainTriggerPolicy()
        policy.driftMetrics = ["ks"]
        policy.driftSeverities = ["WARNING", "CRITICAL"]
        let ready = RetrainTriggerPolicy.ModelState(newLabelled: 1_000)
        #expect(!policy.decide(Self.drift([.init(scope: "age", metric: "psi", severity: "CRITICAL")]), state: ready, now: 0).train)
        #expect(policy.decide(Self.drift([.init(scope: "age", metric: "ks", severity: "WARNING")]), state: ready, now: 0).train)
    }

    @Test func aTenPercentPerformanceDropTriggersWithEnoughLabels() {
        let policy = RetrainTriggerPolicy()
        let ready = RetrainTriggerPolicy.ModelState(newLabelled: 1_000)
        let fell = policy.decide(Self.drift([], accuracy: 0.76, baseline: 0.85), state: ready, now: 0)
        #expect(fell.train && fell.trigger == "performance", "\(fell.reason)")
        #expect(!policy.decide(Self.drift([], accuracy: 0.77, baseline: 0.85), state: ready, now: 0).train)  // 9.4 %
        #expect(!policy.decide(Self.drift([], accuracy: 0.5, baseline: 0.85, labelled: 5), state: ready, now: 0).train)
    }

    @Test func theScheduleTriggersWhenItsIntervalElapsed() {
        var policy = RetrainTriggerPolicy()
        #expect(!policy.decide(.schedule, state: .init(newLabelled: 1_000), now: 0).train)
        policy.scheduleInterval = 60 * Self.minute
        policy.cooldown = 0
        let state = RetrainTriggerPolicy.ModelState(lastTrainingStarted: 0, newLabelled: 1_000)
        #expect(!policy.decide(.schedule, state: state, now: 59 * Self.minute).train)
        #expect(policy.decide(.schedule, state: state, now: 60 * Self.minute).train)
    }

    static func metrics(accuracy: Double, f1: Double, auc: Double) -> ClassifierMetrics {
        var metrics = ClassifierMetrics(probabilities: [[0.9, 0.1], [0.2, 0.8]], labels: [0, 1], classCount: 2)
        metrics.accuracy = accuracy
        metrics.f1 = f1
        metrics.rocAUC = auc
        return metrics
    }

    @Test func promotionNeedsTheMarginAndRespectsGuards() {
        var policy = PromotionPolicy()
        let champion = Self.metrics(accuracy: 0.80, f1: 0.70, auc: 0.85)
        #expect(policy.judge(challenger: Self.metrics(accuracy: 0.82, f1: 0.71, auc: 0.86), champion: champion).promote)
        #expect(policy.judge(challenger: Self.metrics(accuracy: 0.80, f1: 0.70, auc: 0.85), champion: champion).promote)  // ties pass at margin 0
        let worse = policy.judge(challenger: Self.metrics(accuracy: 0.79, f1: 0.70, auc: 0.85), champion: champion)
        #expect(!worse.promote && worse.reasons[0].contains("not enough"))
        let guarded = policy.judge(challenger: Self.metrics(accuracy: 0.83, f1: 0.60, auc: 0.85), champion: champion)
        #expect(!guarded.promote && guarded.reasons.contains { $0.contains("guard f1 falls") })
        policy.margin = 0.01
        #expect(!policy.judge(challenger: Self.metrics(accuracy: 0.805, f1: 0.70, auc: 0.85), champion: champion).promote)
        policy.primaryMetric = "roc_auc"
        #expect(policy.judge(challenger: Self.metrics(accuracy: 0.80, f1: 0.70, auc: 0.87), champion: champion).promote)
        #expect(policy.judge(challenger: champion, champion: nil).promote)
    }

    @Test func rollbackAfterConsecutiveWorseWindowsAndConfirmationOtherwise() {
        let policy = RollbackPolicy()
        var watch = RollbackPolicy.Watch(version: "2", previous: "1", previousFigure: 0.85)
        #expect(policy.observe(&watch, version: "1", labelled: 100, value: 0.5) == .ignored)
        #expect(policy.observe(&watch, version: "2", labelled: 3, value: 0.5) == .ignored)
        #expect(policy.observe(&watch, version: "2", labelled: 100, value: 0.79) == .watching)  // worse (< 0.80)
        #expect(policy.observe(&watch, version: "2", labelled: 100, value: 0.84) == .watching)  // run broken
        #expect(policy.observe(&watch, version: "2", labelled: 100, value: 0.70) == .watching)
        guard case .rollBack(let reason) = policy.observe(&watch, version: "2", labelled: 100, value: 0.71) else {
            Issue.record("no rollback")
            return
        }
        #expect(reason.contains("2 windows in a row"))
        var good = RollbackPolicy.Watch(version: "3", previous: "2", previousFigure: 0.85)
        for _ in 0..<4 { #expect(policy.observe(&good, version: "3", labelled: 100, value: 0.86) == .watching) }
        #expect(policy.observe(&good, version: "3", labelled: 100, value: 0.86) == .confirmed)
    }
}

@Suite("Drift events as signals")
struct DriftSignalTests {
    @Test func readsVerdictsPerformanceAndTheMonitorsMetricNames() throws {
        let event = #"""
            {"schema_version":"1","event_id":"m@2/w","model_id":"m","model_version":"2","window":{"start":"2026-11-23T10:00:00.000Z","end":"2026-11-23T10:01:00.000Z"},"severity":"CRITICAL","features":[{"name":"age","type":"numeric","severity":"CRITICAL","metrics":{},"triggers":[{"metric":"psi","value":0.4,"threshold":0.25,"severity":"CRITICAL"}]}],"prediction":{"triggers":[{"metric":"chi2","value":30,"threshold":0.05,"severity":"WARNING"}]},"performance":{"severity":"WARNING","labelled":120,"metrics":{"accuracy":0.7,"f1_macro":0.6},"baseline":{"accuracy":0.85,"f1_macro":0.8},"triggers":[]},"reasons":[],"evaluated_at":"2026-11-23T10:01:01.000Z"}
            """#
        let signal = try #require(DriftSignal(driftEvent: Array(event.utf8)))
        #expect(signal.modelID == "m" && signal.modelVersion == "2" && signal.severity == "CRITICAL" && signal.labelled == 120)
        #expect(signal.triggers == [.init(scope: "age", metric: "psi", severity: "CRITICAL", value: 0.4),
                                    .init(scope: "prediction", metric: "chi2", severity: "WARNING", value: 30)])
        #expect(signal.performance["f1"] == 0.6 && signal.baseline["f1"] == 0.8 && signal.performance["accuracy"] == 0.7)
        #expect(signal.windowEnd == 1_795_428_060_000)
        #expect(DriftSignal(driftEvent: Array("{}".utf8)) == nil)
        #expect(DriftSignal(driftEvent: Array("not json".utf8)) == nil)
    }
}
