import DriftMonitor
import DriftStats
import Testing

@Suite("Event-time windows")
struct WindowAssignerTests {
    @Test("tumbling: one window per event, aligned to the epoch; closes when the watermark passes end + grace")
    func tumbling() {
        var assigner = WindowAssigner(spec: .tumbling(60_000, grace: 10_000))
        #expect(keys(assigner.assign(timestamp: 125_000, now: 0)) == [WindowKey(start: 120_000, end: 180_000)])
        #expect(keys(assigner.assign(timestamp: 179_999, now: 0)) == [WindowKey(start: 120_000, end: 180_000)])
        #expect(keys(assigner.assign(timestamp: 185_000, now: 0)) == [WindowKey(start: 180_000, end: 240_000)])
        #expect(assigner.closable().isEmpty, "watermark 185 s < end 180 s + grace 10 s")
        // An out-of-order event for the first window is still on time within the grace.
        #expect(keys(assigner.assign(timestamp: 170_000, now: 0)) == [WindowKey(start: 120_000, end: 180_000)])
        _ = assigner.assign(timestamp: 190_000, now: 0)
        #expect(assigner.closable() == [WindowKey(start: 120_000, end: 180_000)])
        #expect(assigner.assign(timestamp: 179_000, now: 0) == .late)
        #expect(assigner.open == [WindowKey(start: 180_000, end: 240_000)])
    }

    @Test("allowed lateness holds the watermark back")
    func lateness() {
        var assigner = WindowAssigner(spec: .tumbling(1_000, allowedLateness: 500))
        _ = assigner.assign(timestamp: 900, now: 0)
        _ = assigner.assign(timestamp: 1_400, now: 0)
        #expect(assigner.watermark == 900)
        #expect(assigner.closable().isEmpty)
        #expect(keys(assigner.assign(timestamp: 950, now: 0)) == [WindowKey(start: 0, end: 1_000)])
        _ = assigner.assign(timestamp: 1_500, now: 0)
        #expect(assigner.closable() == [WindowKey(start: 0, end: 1_000)])
    }

    @Test("hopping: size/hop windows per event, partially late events go to the windows still open")
    func hopping() {
        var assigner = WindowAssigner(spec: .hopping(60_000, hop: 20_000))
        #expect(keys(assigner.assign(timestamp: 65_000, now: 0)) == [
            WindowKey(start: 20_000, end: 80_000), WindowKey(start: 40_000, end: 100_000), WindowKey(start: 60_000, end: 120_000),
        ])
        _ = assigner.assign(timestamp: 85_000, now: 0)
        #expect(assigner.closable() == [WindowKey(start: 20_000, end: 80_000)])
        #expect(keys(assigner.assign(timestamp: 70_000, now: 0)) == [WindowKey(start: 40_000, end: 100_000), WindowKey(start: 60_000, end: 120_000)])
    }

    @Test("negative times floor correctly; idle partitions advance by processing time")
    func negativeAndIdle() {
        var assigner = WindowAssigner(spec: .tumbling(1_000, idleTimeout: 5_000))
        #expect(keys(assigner.assign(timestamp: -1, now: 100)) == [WindowKey(start: -1_000, end: 0)])
        _ = assigner.assign(timestamp: 10_500, now: 100)
        #expect(assigner.closable() == [WindowKey(start: -1_000, end: 0)])
        assigner.tick(now: 4_000)
        #expect(assigner.closable().isEmpty, "not idle yet")
        assigner.tick(now: 5_600)
        #expect(assigner.closable() == [WindowKey(start: 10_000, end: 11_000)])
    }

    @Test("count windows: N events each; the full window closes with the next event or a flush")
    func countWindows() {
        var assigner = WindowAssigner(spec: .count(3))
        var keys: [WindowKey] = []
        var closed: [WindowKey] = []
        for index in 0..<10 {
            if case .windows(let assigned) = assigner.assign(timestamp: Int64(1_000 - index), now: 0) { keys += Array(assigned) }
            closed += assigner.closable()
        }
        #expect(keys.map(\.start) == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3])
        #expect(closed.map(\.start) == [0, 1, 2])
        #expect(assigner.flush().map(\.start) == [3])
    }

    @Test("an event that would open more windows than the limit is refused, and opens none")
    func openWindowLimit() {
        var assigner = WindowAssigner(spec: WindowSpec(kind: .time(size: 1_000, hop: 1_000), grace: 0, allowedLateness: 100_000, idleTimeout: 30_000, maximumOpenWindows: 2))
        #expect(keys(assigner.assign(timestamp: 0, now: 0)) == [WindowKey(start: 0, end: 1_000)])
        #expect(keys(assigner.assign(timestamp: 5_000, now: 0)) == [WindowKey(start: 5_000, end: 6_000)])
        #expect(assigner.assign(timestamp: 9_000, now: 0) == .tooManyOpenWindows)
        #expect(assigner.open.count == 2)
        #expect(keys(assigner.assign(timestamp: 500, now: 0)) == [WindowKey(start: 0, end: 1_000)], "open windows still take events")
    }

    @Test("a spec that cannot work is refused; durations parse")
    func specs() {
        #expect(throws: WindowSpecError.self) { try WindowSpec.tumbling(0).validate() }
        #expect(throws: WindowSpecError.self) { try WindowSpec.hopping(60_000, hop: 70_000).validate() }
        #expect(throws: WindowSpecError.self) { try WindowSpec.hopping(60_000, hop: 1).validate() }
        #expect(throws: WindowSpecError.self) { try WindowSpec.count(0).validate() }
        #expect(WindowSpec.parseDuration("1m") == 60_000)
        #expect(WindowSpec.parseDuration("30s") == 30_000)
        #expect(WindowSpec.parseDuration("250ms") == 250)
        #expect(WindowSpec.parseDuration("1.5h") == 5_400_000)
        #expect(WindowSpec.parseDuration("2d") == 172_800_000)
        #expect(WindowSpec.parseDuration("soon") == nil)
    }

    @Test("property: with disorder within the allowed lateness no event is late, and closed windows count every event once")
    func exactAccounting() {
        var random = SplitMix64(seed: 3)
        for round in 0..<20 {
            let size = Int64(1_000 * (1 + round % 5))
            let lateness = Int64(200 + 100 * (round % 4))
            var assigner = WindowAssigner(spec: .tumbling(size, grace: Int64(round % 3) * 100, allowedLateness: lateness))
            var counts: [WindowKey: Int] = [:]
            var closedCounts = 0
            var base: Int64 = 1_795_000_000_000
            let events = 5_000
            for _ in 0..<events {
                base += Int64(random.next() % 20)
                let timestamp = base - Int64(random.next() % UInt64(lateness))
                guard case .windows(let keys) = assigner.assign(timestamp: timestamp, now: 0) else {
                    Issue.record("late or refused at \(timestamp), watermark \(assigner.watermark)")
                    continue
                }
                for key in keys { counts[key, default: 0] += 1 }
                for key in assigner.closable() { closedCounts += counts.removeValue(forKey: key) ?? 0 }
            }
            for key in assigner.flush() { closedCounts += counts.removeValue(forKey: key) ?? 0 }
            #expect(closedCounts == events)
            #expect(counts.isEmpty)
        }
    }

    @Test("a partition without events is idle after the idle timeout from its first tick, until its first event")
    func idleWithoutEvents() {
        var assigner = WindowAssigner(spec: .tumbling(1_000, idleTimeout: 2_000))
        assigner.tick(now: 10_000)
        #expect(!assigner.idleWithoutEvents)
        assigner.tick(now: 11_999)
        #expect(!assigner.idleWithoutEvents)
        assigner.tick(now: 12_000)
        #expect(assigner.idleWithoutEvents)
        _ = assigner.assign(timestamp: 5_000, now: 12_100)
        #expect(!assigner.idleWithoutEvents, "an event ends it")
        assigner.tick(now: 20_000)
        #expect(!assigner.idleWithoutEvents, "a partition that has had events goes idle by moving its watermark instead")
        var counted = WindowAssigner(spec: .count(10))
        counted.tick(now: 0)
        counted.tick(now: 1_000_000)
        #expect(!counted.idleWithoutEvents, "count windows have no watermark to wait for")
    }
}

/// The windows of an assignment, or nil for a late or refused event.
func keys(_ assignment: WindowAssigner.Assignment) -> [WindowKey]? {
    if case .windows(let run) = assignment { return Array(run) }
    return nil
}
