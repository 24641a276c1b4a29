import DriftMonitor
import Testing

@Suite("Pacing checkpoint rounds by their size")
struct CheckpointPacerTests {
    static let mebibyte = 1 << 20

    @Test("the first round is due at once; small rounds are due every interval whatever the input")
    func smallRounds() {
        var pacer = CheckpointPacer(interval: 1_000, maximumInterval: 60_000, writeShare: 0.25)
        #expect(pacer.isDue(now: 0, consumed: 0))
        pacer.record(bytes: 500_000, now: 0, consumed: 0)
        #expect(!pacer.isDue(now: 999, consumed: 10_000_000), "never before the interval")
        #expect(pacer.isDue(now: 1_000, consumed: 0), "a round of at most 1 MiB does not wait for input")
        pacer.record(bytes: Self.mebibyte, now: 1_000, consumed: 0)
        #expect(pacer.isDue(now: 2_000, consumed: 0), "exactly 1 MiB is still small")
    }

    @Test("a large round waits until round / share bytes of input were read")
    func largeRoundsWaitForInput() {
        var pacer = CheckpointPacer(interval: 1_000, maximumInterval: 60_000, writeShare: 0.25)
        pacer.record(bytes: 80 * Self.mebibyte, now: 10_000, consumed: 5_000)
        let needed = UInt64(5_000 + 320 * Self.mebibyte)
        #expect(!pacer.isDue(now: 20_000, consumed: needed - 1))
        #expect(pacer.isDue(now: 20_000, consumed: needed))
        #expect(!pacer.isDue(now: 10_500, consumed: needed * 10), "the interval still applies")
    }

    @Test("a large round waits at most the maximum interval, and a share of 0 means exactly that")
    func maximumInterval() {
        var pacer = CheckpointPacer(interval: 1_000, maximumInterval: 30_000, writeShare: 0.25)
        pacer.record(bytes: 80 * Self.mebibyte, now: 0, consumed: 0)
        #expect(!pacer.isDue(now: 29_999, consumed: 1))
        #expect(pacer.isDue(now: 30_000, consumed: 1))
        var never = CheckpointPacer(interval: 1_000, maximumInterval: 5_000, writeShare: 0)
        never.record(bytes: 2 * Self.mebibyte, now: 0, consumed: 0)
        #expect(!never.isDue(now: 4_999, consumed: .max))
        #expect(never.isDue(now: 5_000, consumed: 0))
    }

    @Test("bounds are sanitised: the maximum is at least the interval; a counter that went back counts as no input")
    func sanitised() {
        var pacer = CheckpointPacer(interval: 10_000, maximumInterval: 1_000, writeShare: 1)
        #expect(pacer.maximumInterval == 10_000)
        pacer.record(bytes: 4 * Self.mebibyte, now: 0, consumed: 1_000_000_000)
        #expect(!pacer.isDue(now: 5_000, consumed: 0))
        #expect(pacer.isDue(now: 10_000, consumed: 0), "the maximum interval")
    }

    @Test("over a steady stream, checkpoint bytes stay within the share of input bytes (the soak's shape)")
    func steadyStream() {
        // 20,000 events/s of ~700 bytes; a round of 24 partitions × 3.5 MB; a tick every second.
        var pacer = CheckpointPacer(interval: 1_000, maximumInterval: 60_000, writeShare: 0.25)
        var written = 0
        var consumed: UInt64 = 0
        for second in 0..<3_600 {
            consumed += 14_000_000
            let now = Int64(second) * 1_000
            if pacer.isDue(now: now, consumed: consumed) {
                let round = 84_000_000
                written += round
                pacer.record(bytes: round, now: now, consumed: consumed)
            }
        }
        let share = Double(written) / Double(consumed)
        #expect(share <= 0.25 + 84_000_000 / Double(consumed), "\(share)")
        #expect(share > 0.2, "it still checkpoints as often as the budget allows: \(share)")
    }
}
