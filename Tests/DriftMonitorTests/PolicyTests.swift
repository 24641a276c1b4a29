import DriftContracts
import DriftMonitor
import DriftStats
import DriftTestSupport
import Foundation
import Testing

@Suite struct PolicyTests {
    /// statsmodels `multipletests([0.01, 0.04, 0.03, 0.005, nan], method='fdr_bh')` on the four finite values:
    /// [0.02, 0.04, 0.04, 0.02]; Bonferroni: [0.04, 0.16, 0.12, 0.02].
    @Test func pValueAdjustmentsMatchStatsmodels() {
        let p = [0.01, 0.04, 0.03, 0.005, .nan]
        let bh = PValueAdjustment.adjust(p, .benjaminiHochberg)
        for (value, expected) in zip(bh.prefix(4), [0.02, 0.04, 0.04, 0.02]) { #expect(abs(value - expected) < 1e-12) }
        #expect(bh[4].isNaN)
        let bonferroni = PValueAdjustment.adjust(p, .bonferroni)
        for (value, expected) in zip(bonferroni.prefix(4), [0.04, 0.16, 0.12, 0.02]) { #expect(abs(value - expected) < 1e-12) }
        #expect(PValueAdjustment.adjust(p, .none).prefix(4).elementsEqual(p.prefix(4)))
    }

    @Test func hysteresisRaisesAfterKAndClearsAfterMWithARecoveredEvent() {
        var h = Hysteresis(raiseAfter: 1, clearAfter: 2)
        let raw: [Severity] = [.normal, .critical, .normal, .normal, .normal, .warning, .critical, .warning, .warning, .normal, .normal]
        let reported = raw.map { h.next($0).severity }
        #expect(reported == [.normal, .critical, .critical, .recovered, .normal, .warning, .critical, .critical, .warning, .warning, .recovered])

        var slow = Hysteresis(raiseAfter: 2, clearAfter: 1)
        #expect([Severity.critical, .normal, .critical, .critical, .normal].map { slow.next($0).severity } == [.normal, .normal, .normal, .critical, .recovered])
    }

    @Test func policyValidationRejectsDisorderedThresholds() {
        var policy = MonitorPolicy()
        #expect(throws: Never.self) { try policy.validate() }
        policy.psiCritical = 0.05
        #expect(throws: PolicyError.self) { try policy.validate() }
    }

    @Test func partialsSurviveTheirBinaryFormAndCorruptionIsDetected() throws {
        let profile = try SyntheticStream(seed: 3).profile(rows: 2_000)
        var stage1 = Stage1Processor(configuration: Stage1Configuration(window: .tumbling(1_000)), profiles: [profile])
        let source = SourcePartition(topic: "inference-events", partition: 4)
        // Latencies, failed requests after event 300 and an out-of-range value: the data-quality and operational
        // section (format version 3) survives the round trip too.
        var drift = SyntheticStream.Drift(onset: 600)
        drift.errorShare = 0.1
        var stream = SyntheticStream(seed: 3, drift: drift)
        stream.latency = true
        var failed: UInt64 = 0
        for index in 0..<600 {
            var record = stream.record(index, timestamp: Int64(index) * 2, withLabel: index % 3 == 0)
            if index == 10 { record.features[0].1 = .number(1e9) }
            if record.error != nil { failed += 1 }
            record.json().withUnsafeBytes {
                stage1.processInference($0, source: source, offset: Int64(index), now: 0)
            }
        }
        stage1.flush()
        let partials = stage1.drain().compactMap { output -> WindowPartial? in
            if case .partial(let partial) = output { return partial }
            return nil
        }
        #expect(partials.count == 2)
        #expect(partials.allSatisfy { $0.operations.latency?.count == $0.count && $0.outOfRange.count == $0.features.count })
        #expect(failed > 0 && partials.reduce(0) { $0 + $1.operations.errors } == failed)
        #expect(partials[0].outOfRange[0] >= 1, "f00 = 1e9 is beyond the reference")
        for partial in partials {
            let bytes = partial.serialized()
            #expect(try WindowPartial(serialized: bytes) == partial)
            var damaged = bytes
            damaged[bytes.count / 2] ^= 0x40
            #expect(throws: PartialError.self) { try WindowPartial(serialized: damaged) }
            #expect(throws: PartialError.self) { try WindowPartial(serialized: Array(bytes.prefix(bytes.count - 9))) }
        }
        var merged = partials[0]
        #expect(throws: PartialError.self) { try merged.merge(partials[1]) }  // different windows
        let progress = PartitionProgress(source: source, closedThrough: 12_345, released: true)
        #expect(try PartialsRecord(serialized: PartialsRecord.progress(progress).serialized()) == .progress(progress))
    }

    @Test func mergingPartialsEqualsOneStreamSummary() throws {
        let profile = try SyntheticStream(seed: 3).profile(rows: 2_000)
        let stream = SyntheticStream(seed: 5)
        func partials(partitions: Int) throws -> WindowPartial {
            var stage1 = Stage1Processor(configuration: Stage1Configuration(window: .tumbling(1_000_000)), profiles: [profile])
            for index in 0..<3_000 {
                let source = SourcePartition(topic: "t", partition: Int32(index % partitions))
                stream.record(index, timestamp: Int64(index), withLabel: true).json().withUnsafeBytes {
                    stage1.processInference($0, source: source, offset: Int64(index), now: 0)
                }
            }
            stage1.flush()
            var merged: WindowPartial? = nil
            for case .partial(let partial) in stage1.drain() {
                if merged == nil { merged = partial } else { try merged?.merge(partial) }
            }
            return try #require(merged)
        }
        let one = try partials(partitions: 1)
        let four = try partials(partitions: 4)
        #expect(one.count == four.count)
        func byName(_ outcomes: OutcomePartial) -> [String: UInt64] {
            Dictionary(uniqueKeysWithValues: outcomes.confusion.map { ("\(outcomes.classes[$0.key.truth])→\(outcomes.classes[$0.key.predicted])", $0.value) })
        }
        #expect(one.outcomes.labelled == 3_000)
        #expect(byName(one.outcomes) == byName(four.outcomes))
        #expect(one.outcomes.rocPositive == four.outcomes.rocPositive && one.outcomes.rocNegative == four.outcomes.rocNegative)
        for (a, b) in zip(one.features, four.features) {
            switch (a, b) {
            case (.numeric(let x), .numeric(let y)):
                #expect(x.histogram == y.histogram)
                #expect(x.moments.count == y.moments.count)
                #expect(abs(x.moments.mean - y.moments.mean) < 1e-9)
                #expect(x.sketch.count == y.sketch.count)
            case (.categorical(let x), .categorical(let y)):
                #expect(x == y)
            default:
                Issue.record("feature types differ")
            }
        }
        #expect(four.sources.count == 4)
        #expect(four.rows.rows.count == four.rows.capacity)
        #expect(four.rows.seen == 3_000)
    }

    @Test func binnedROCAUCAgreesWithTheExactOne() {
        var generator = SplitMix64(seed: 9)
        var scores: [Double] = []
        var labels: [Bool] = []
        var positive = Array(repeating: UInt64(0), count: OutcomePartial.rocBins)
        var negative = positive
        for _ in 0..<5_000 {
            let label = generator.next() % 3 == 0
            let noise = Double(generator.next() >> 11) * 0x1p-53
            let score = min(0.999_999, max(0, (label ? 0.6 : 0.4) + (noise - 0.5) * 0.8))
            scores.append(score)
            labels.append(label)
            let bin = Int(score * Double(OutcomePartial.rocBins))
            if label { positive[bin] += 1 } else { negative[bin] += 1 }
        }
        let exact = ROCAUC.binary(scores: scores, labels: labels) ?? 0
        var partial = OutcomePartial(confidence: nil, score: nil)
        for (score, label) in zip(scores, labels) { partial.recordScore(positiveClass: "yes", probability: score, isPositive: label) }
        #expect(partial.rocPositive == positive)
        var window = partial
        _ = window.classNumber("yes")
        window.recordOutcome(truth: 0, predicted: 0)
        let evaluation = try? #require(WindowEvaluatorProbe.auc(window))
        #expect(abs((evaluation ?? 0) - exact) < 0.005, "binned \(evaluation ?? .nan) exact \(exact)")
    }

    @Test func domainClassifierSeesJointShiftAndNotNoise() async throws {
        let profile = try SyntheticStream(seed: 3).profile(rows: 5_000)
        func auc(_ drift: SyntheticStream.Drift?) async throws -> Double {
            var harness = PipelineHarness(profile: profile, window: .tumbling(1_000_000), partitions: 2, domainClassifier: true)
            await harness.send(SyntheticStream(seed: 21, drift: drift), from: 0, count: 4_000, start: 0, spacing: 1)
            harness.finish(now: 0)
            return try #require(harness.events.first?.covariateShift?.rocAUC)
        }
        var shift = SyntheticStream.Drift(onset: 0)
        shift.meanShifts = [2: 0.8, 7: 0.8, 15: -0.8]
        let drifted = try await auc(shift)
        let stationary = try await auc(nil)
        #expect(drifted > 0.75, "drifted AUC \(drifted)")
        #expect(stationary < 0.6, "stationary AUC \(stationary)")
    }

    @Test func driftEventsValidateAgainstTheSchema() async throws {
        var drift = SyntheticStream.Drift(onset: 20_000)
        drift.meanShifts = [1: 1.5]
        drift.unseenShares = [0: 0.2]
        drift.labelFlipShare = 0.5
        let profile = try SyntheticStream(seed: 3).profile(rows: 3_000)
        var harness = PipelineHarness(profile: profile, window: .tumbling(10_000), domainClassifier: true)
        await harness.send(SyntheticStream(seed: 4, drift: drift), from: 0, count: 6_000, start: 0, spacing: 10, withLabel: true)
        var countHarness = PipelineHarness(profile: profile, window: .count(500))
        await countHarness.send(SyntheticStream(seed: 4), from: 0, count: 1_000, start: 0, spacing: 10)
        harness.finish(now: 1_700_000_000_000)
        countHarness.finish(now: 1_700_000_000_000)
        let events = harness.events + countHarness.events
        #expect(events.contains { $0.severity == .critical } && events.contains { $0.window.kind == .count })
        let documents = events.map { Array($0.json().utf8) }
        let outcomes = try SchemaValidation.validate(documents: documents, schema: "drift-event.schema.json")
        #expect(outcomes.count == events.count)
        #expect(outcomes.allSatisfy { $0.valid }, "\(outcomes.filter { !$0.valid })")
    }
}

/// Reaches the performance evaluation through a one-window pipeline.
enum WindowEvaluatorProbe {
    static func auc(_ outcomes: OutcomePartial) -> Double? {
        let partial = WindowPartial(
            modelID: "m", modelVersion: "1", window: WindowKey(start: 0, end: 1), kind: .tumbling, sources: [], watermark: 0, count: 0,
            late: 0, featureNames: [], features: [], outcomes: outcomes, rows: RowSamplePartial(capacity: 0))
        let profile = ReferenceProfile(modelID: "m", modelVersion: "1", createdAt: 0, source: nil, rows: 0, features: [])
        return WindowEvaluator(policy: MonitorPolicy()).evaluate(partial, profile: profile, now: 0).performance?.metrics["roc_auc"]
    }
}
