import DriftContracts
import DriftMonitor
import Testing

/// A partition that has no events (an empty partition, a feedback topic nobody writes to) must not hold
/// every window back until the completion timeout: after the idle timeout since its assignment it stops
/// counting, and its first closed window makes it count again.
@Suite struct IdlePartitionTests {
    @Test func aPartitionWithoutEventsStopsHoldingWindowsAfterTheIdleTimeout() throws {
        let stream = SyntheticStream(seed: 3)
        let profile = try stream.profile(rows: 2_000)
        var stage1 = Stage1Processor(configuration: Stage1Configuration(window: .tumbling(1_000, idleTimeout: 2_000)), profiles: [profile])
        var stage2 = Stage2Processor(policy: MonitorPolicy(), completionTimeout: 60_000, profiles: [profile])
        stage2.evaluator.domainClassifier = false
        let busy = SourcePartition(topic: "inference-events", partition: 0)
        let quiet = SourcePartition(topic: "feedback-events", partition: 0)
        let start: Int64 = 1_000_000
        stage1.assign(busy)
        stage1.assign(quiet)
        func pump(now: Int64) -> [DriftEvent] {
            for output in stage1.drain() {
                if case .partial(let partial) = output { stage2.add(.partial(partial), now: now) }
                if case .progress(let progress) = output { stage2.add(.progress(progress), now: now) }
            }
            return stage2.ready(now: now)
        }
        stage1.tick(now: 10_000)  // the quiet partition's idle clock starts
        var events: [DriftEvent] = []
        for index in 0..<300 {
            let record = stream.record(index, timestamp: start + Int64(index) * 10).json()  // windows 0, 1, 2
            record.withUnsafeBytes { stage1.processInference($0, source: busy, offset: Int64(index), now: 10_500) }
        }
        events += pump(now: 10_500)
        #expect(events.isEmpty, "window 0 closed on the busy partition, but the quiet one was not idle long enough")
        stage1.tick(now: 12_000)
        events += pump(now: 12_000)
        #expect(events.map(\.window.start) == [start, start + 1_000], "the quiet partition no longer holds windows 0 and 1")
        #expect(events.allSatisfy { $0.window.count == 100 })
        #expect(stage2.merger.timedOutWindows == 0)
    }
}
