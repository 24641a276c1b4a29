import DriftMonitor
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
}
