@testable import DriftMonitor
import DriftStats
import Testing

@Suite("Joining labels to predictions")
struct LabelJoinBufferTests {

    @Test("a label joins its prediction whichever arrives first")
    func bothOrders() {
        var buffer = LabelJoinBuffer<Int, String>(capacity: 100, timeToLive: 10_000)
        #expect(buffer.addPrediction(id: "a", time: 1_000, 7) == nil)
        #expect(buffer.addLabel(id: "a", time: 2_000, "yes") == 7)
        #expect(buffer.addLabel(id: "b", time: 2_100, "no") == nil)
        #expect(buffer.addPrediction(id: "b", time: 2_050, 8) == "no")
        #expect(buffer.matched == 2 && buffer.waitingPredictions == 0 && buffer.waitingLabels == 0)
    }

    @Test("predictions and labels expire after the time to live, counted")
    func timeToLive() {
        var buffer = LabelJoinBuffer<Int, String>(capacity: 100, timeToLive: 1_000)
        _ = buffer.addPrediction(id: "old", time: 0, 1)
        _ = buffer.addLabel(id: "orphan", time: 100, "x")
        _ = buffer.addPrediction(id: "new", time: 1_500, 2)
        #expect(buffer.expiredPredictions == 1 && buffer.unmatchedLabels == 1)
        #expect(buffer.addLabel(id: "old", time: 1_600, "y") == nil, "too late to join")
        #expect(buffer.addLabel(id: "new", time: 1_700, "z") == 2)
    }

    @Test("capacity bounds memory: the oldest waiting prediction goes first; every prediction is accounted for")
    func capacity() {
        var buffer = LabelJoinBuffer<Int, String>(capacity: 1_000, timeToLive: .max / 4)
        var random = SplitMix64(seed: 5)
        let total = 50_000
        for index in 0..<total {
            _ = buffer.addPrediction(id: "p\(index)", time: Int64(index), index)
            if random.next() % 3 == 0 {  // a label for a recent prediction
                let target = max(0, index - Int(random.next() % 500))
                _ = buffer.addLabel(id: "p\(target)", time: Int64(index), "l")
            }
            #expect(buffer.waitingPredictions <= 1_000)
        }
        #expect(buffer.waitingLabels <= 1_000)
        #expect(Int(buffer.matched) + Int(buffer.expiredPredictions) + buffer.waitingPredictions == total)
        #expect(buffer.matched > 10_000)
    }

    @Test("event-id fingerprints: equal for equal ids, distinct across 300,000 similar ids of every length")
    func fingerprints() async {
        #expect(EventFingerprint("evt-1") == EventFingerprint(String("evt-1".reversed().reversed())))
        var seen = Set<EventFingerprint>()
        var highs = Set<UInt64>()
        for index in 0..<300_000 {
            if index % 5_000 == 0 { await Task.yield() }  // seconds of work: let the Kafka tests' tasks run
            let id = index % 3 == 0 ? "\(index)" : index % 3 == 1 ? "model-a-42-\(index)" : "0e6f1c7a-3d2b-4f5e-9a8b-\(index)"
            seen.insert(EventFingerprint(id))
            highs.insert(EventFingerprint(id).high)
        }
        for length in 0..<40 { seen.insert(EventFingerprint(String(repeating: "x", count: length))) }
        #expect(seen.count == 300_040)
        #expect(highs.count == 300_000, "each half alone is a good 64-bit hash too")
        #expect(EventFingerprint("ab") != EventFingerprint("ba"))
        #expect(EventFingerprint("a\u{0}") != EventFingerprint("a"))
    }

    @Test("bookkeeping stays bounded when every prediction joins at once, and repeated ids still expire")
    func bookkeepingBounded() async {
        var buffer = LabelJoinBuffer<Int, Int>(capacity: 1_000_000, timeToLive: .max / 4)
        for index in 0..<60_000 {
            if index % 5_000 == 0 { await Task.yield() }
            _ = buffer.addPrediction(id: "e\(index)", time: Int64(index), index)
            #expect(buffer.addLabel(id: "e\(index)", time: Int64(index), 1) == index)
        }
        #expect(buffer.waitingPredictions == 0)
        // Compaction runs once the records outnumber 2 × waiting entries (at most 1 here) + 4,096.
        #expect(buffer.orderRecords <= 2 * 1 + 4_096, "records of joined predictions are dropped")
        var repeated = LabelJoinBuffer<Int, Int>(capacity: 100, timeToLive: 1_000)
        _ = repeated.addPrediction(id: "same", time: 0, 1)
        _ = repeated.addPrediction(id: "same", time: 500, 2)
        _ = repeated.addPrediction(id: "later", time: 2_000, 3)
        #expect(repeated.waitingPredictions == 1, "the repeated id expired with its newer time")
        #expect(repeated.addLabel(id: "same", time: 2_001, 0) == nil)
    }
}
