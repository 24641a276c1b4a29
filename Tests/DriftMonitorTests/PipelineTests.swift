import DriftContracts
import DriftMonitor
import Testing

/// The two stages end to end in memory, on the synthetic stream with drift injected at known times.
@Suite struct PipelineTests {
    static let window: Int64 = 10_000
    static let perWindow = 1_000
    static let profile = try! SyntheticStream(seed: 7).profile(rows: 20_000)

    @Test func stationaryStreamRaisesNoCriticalInFiftyWindowsAndCountsAddUp() async throws {
        var harness = PipelineHarness(profile: Self.profile, window: .tumbling(Self.window))
        let stream = SyntheticStream(seed: 11)
        await harness.send(stream, from: 0, count: 50 * Self.perWindow, start: 0, spacing: Self.window / Int64(Self.perWindow))
        harness.finish(now: 0)
        #expect(harness.events.count == 50)
        #expect(harness.events.reduce(0) { $0 + $1.window.count } == UInt64(50 * Self.perWindow))
        #expect(harness.events.allSatisfy { $0.window.count == UInt64(Self.perWindow) })
        #expect(Set(harness.events.map(\.eventID)).count == 50)
        let critical = harness.events.filter { event in event.features.contains { $0.severity == .critical } || event.windowSeverity == .critical }
        #expect(critical.isEmpty, "critical windows: \(critical.map(\.reasons))")
        #expect(harness.deadLetters.isEmpty)
        #expect(harness.events.allSatisfy { Set($0.window.sources.map(\.partition)) == [0, 1, 2] })
    }

    @Test func meanShiftInTwoOfTwentyFeaturesIsCriticalOnExactlyThoseInTheFirstWindowAfterOnset() async throws {
        var drift = SyntheticStream.Drift(onset: 10 * Self.window)
        drift.meanShifts = [3: 1.0, 11: -1.0]
        let stream = SyntheticStream(seed: 12, drift: drift)
        var harness = PipelineHarness(profile: Self.profile, window: .tumbling(Self.window))
        await harness.send(stream, from: 0, count: 20 * Self.perWindow, start: 0, spacing: Self.window / Int64(Self.perWindow))
        harness.finish(now: 0)
        #expect(harness.events.count == 20)
        for event in harness.events {
            let critical = Set(event.features.filter { $0.severity == .critical }.map(\.name))
            if event.window.start < drift.onset {
                #expect(critical.isEmpty, "before the onset: \(critical)")
            } else {
                #expect(critical == ["f03", "f11"], "window at \(event.window.start): \(critical)")
                #expect(event.severity == .critical)
                #expect(Array(event.topFeatures.prefix(2)).sorted() == ["f03", "f11"])
            }
        }
        let first = try #require(harness.events.first { $0.window.start == drift.onset })
        let f03 = try #require(first.features.first { $0.name == "f03" })
        #expect((f03.metrics["psi"] ?? 0) > 0.25)
        #expect((f03.metrics["ks_pvalue_adjusted"] ?? 1) < 1e-6)
        // 1,000 values: the mean's standard error is 1/√1000 ≈ 0.032 deviations; 0.1 is three of them.
        #expect(abs((f03.metrics["mean_shift"] ?? 0) - 1) < 0.1)
    }

    @Test func categoricalShiftAndUnseenCategoryAreCaught() async throws {
        var drift = SyntheticStream.Drift(onset: 5 * Self.window)
        drift.categoricalShifts = [2]
        drift.unseenShares = [4: 0.1]
        let stream = SyntheticStream(seed: 13, drift: drift)
        var harness = PipelineHarness(profile: Self.profile, window: .tumbling(Self.window))
        await harness.send(stream, from: 0, count: 8 * Self.perWindow, start: 0, spacing: Self.window / Int64(Self.perWindow))
        harness.finish(now: 0)
        let after = harness.events.filter { $0.window.start >= drift.onset }
        #expect(after.count == 3)
        for event in after {
            let c2 = try #require(event.features.first { $0.name == "c2" })
            let c4 = try #require(event.features.first { $0.name == "c4" })
            #expect(c2.severity == .critical)
            #expect((c2.metrics["chi2_pvalue_adjusted"] ?? 1) < 0.001, "\(c2.metrics.entries)")
            #expect(c4.severity == .critical)
            #expect(abs((c4.unseenShare ?? 0) - 0.1) < 0.03)
            #expect(c4.unseen.first?.value == "zz")
            #expect(event.dataQuality.newCategories == ["c4"])
        }
        for event in harness.events where event.window.start < drift.onset {
            #expect(!event.features.contains { $0.severity == .critical })
        }
    }

    @Test func labelsThatDisagreeWithTheModelRaiseAPerformanceCritical() async throws {
        var drift = SyntheticStream.Drift(onset: 4 * Self.window)
        drift.labelFlipShare = 0.4
        let stream = SyntheticStream(seed: 14, drift: drift)
        var harness = PipelineHarness(profile: Self.profile, window: .tumbling(Self.window))
        await harness.send(stream, from: 0, count: 8 * Self.perWindow, start: 0, spacing: Self.window / Int64(Self.perWindow), withLabel: true)
        harness.finish(now: 0)
        #expect(harness.events.count == 8)
        for event in harness.events {
            let performance = try #require(event.performance)
            #expect(performance.labelled == UInt64(Self.perWindow))
            if event.window.start < drift.onset {
                #expect(performance.severity == .normal, "\(event.reasons)")
                let baseline = try #require(performance.baseline["accuracy"])
                // 1,000 labels: accuracy's standard error is at most √(0.25/1000) ≈ 0.016; 0.05 is about three of them.
                #expect(abs((performance.metrics["accuracy"] ?? 0) - baseline) < 0.05)
            } else {
                #expect(performance.severity == .critical)
                #expect(event.severity == .critical)
                #expect(event.reasons.contains { $0.hasPrefix("performance: accuracy_drop") })
            }
            #expect(performance.metrics["roc_auc"] != nil)
        }
    }

    @Test func feedbackEventsJoinTheirPredictions() async throws {
        var drift = SyntheticStream.Drift(onset: 3 * Self.window)
        drift.labelFlipShare = 0.4
        let stream = SyntheticStream(seed: 15, drift: drift)
        var harness = PipelineHarness(profile: Self.profile, window: .tumbling(Self.window))
        let spacing = Self.window / Int64(Self.perWindow)
        for index in 0..<(6 * Self.perWindow) {
            let time = Int64(index) * spacing
            harness.inference(stream.record(index, timestamp: time).json(), partition: index % 3)
            // Labels for half the events, 2 s after the prediction; a few arrive before their prediction.
            if index % 2 == 0 { harness.feedback(stream.feedback(index, eventTime: time, observedAt: time + 2_000).json(), partition: index % 3) }
            if index % 256 == 0 {
                harness.pump(now: 0)
                await Task.yield()
            }
        }
        harness.feedback(stream.feedback(999_999, eventTime: 0, observedAt: 59_000).json(), partition: 0)
        harness.inference(stream.record(999_999, timestamp: 59_500).json(), partition: 0)
        harness.finish(now: 0)
        let labelled = harness.events.reduce(0) { $0 + ($1.performance?.labelled ?? 0) }
        #expect(labelled == UInt64(3 * Self.perWindow + 1))
        #expect(harness.stage1.counters.labelsJoined == UInt64(3 * Self.perWindow + 1))
        let late = harness.events.filter { $0.window.start >= drift.onset + 2 * Self.window / 10 && ($0.performance?.labelled ?? 0) >= 100 }
        #expect(!late.isEmpty)
        #expect(late.allSatisfy { $0.performance?.severity == .critical })
    }

    @Test func malformedUnknownAndLateEventsAreDeadLetteredWhileTheStreamGoesOn() async throws {
        let stream = SyntheticStream(seed: 16)
        var harness = PipelineHarness(profile: Self.profile, window: .tumbling(Self.window), partitions: 1)
        await harness.send(stream, from: 0, count: 2_500, start: 0, spacing: 10)
        harness.inference(Array(#"{"event_id": "x", "model_id": "#.utf8), partition: 0)
        var unknown = stream.record(5, timestamp: 24_000)
        unknown.modelID = "no-such-model"
        harness.inference(unknown.json(), partition: 0)
        var otherVersion = stream.record(6, timestamp: 24_000)
        otherVersion.modelVersion = "99"
        harness.inference(otherVersion.json(), partition: 0)
        harness.inference(stream.record(7, timestamp: 1_000).json(), partition: 0)  // window [0, 10 s) closed
        await harness.send(stream, from: 2_500, count: 500, start: 25_000, spacing: 10)
        harness.finish(now: 0)
        let reasons = harness.deadLetters.map(\.reason)
        #expect(reasons == [.malformedJSON, .unknownModel, .unknownModel, .lateEvent])
        #expect(harness.deadLetters.dropFirst().map(\.path) == ["model_id", "model_version", "timestamp"], "\(harness.deadLetters.map(\.path))")
        #expect(harness.deadLetters.map(\.sourceOffset) == [2_500, 2_501, 2_502, 2_503])
        #expect(harness.stage1.counters.deadLetteredTotal == 4)
        #expect(harness.events.reduce(0) { $0 + $1.window.count } == 3_000)
        #expect(harness.events.contains { $0.window.late == 1 })
    }
}
