import DriftContracts
@testable import DriftMonitor
import DriftStats
import Testing

/// Checkpoints of both stages: a worker that restores another's checkpoint and replays the input after it
/// ends with exactly the windows an uninterrupted worker produces, and a damaged record is refused.
@Suite struct CheckpointTests {
    static let profile = try! SyntheticStream(seed: 7).profile(rows: 5_000)
    static let stream = SyntheticStream(seed: 21)
    static let sources = (0..<3).map { SourcePartition(topic: "inference-events", partition: Int32($0)) }

    /// The input: per partition, its events in offset order (event times 10 ms apart, so 1,000 per
    /// 10-second window across the three partitions).
    static let input: [[[UInt8]]] = {
        var byPartition: [[[UInt8]]] = [[], [], []]
        for index in 0..<6_000 {
            byPartition[index % 3].append(stream.record(index, timestamp: Int64(index) * 10, withLabel: index % 2 == 0).json())
        }
        return byPartition
    }()

    static func processor(_ window: WindowSpec = .tumbling(10_000)) -> Stage1Processor {
        var configuration = Stage1Configuration(window: window)
        configuration.maximumFutureSkew = Int64.max / 4
        return Stage1Processor(configuration: configuration, profiles: [profile])
    }

    /// Feeds partition `p`'s events in `range` of offsets, recording how far it got.
    static func feed(_ processor: inout Stage1Processor, partition p: Int, _ range: Range<Int>) {
        for offset in range {
            input[p][offset].withUnsafeBytes {
                processor.processInference($0, source: sources[p], offset: Int64(offset), now: 0)
            }
        }
        processor.advance(sources[p], to: Int64(range.upperBound))
    }

    static func partials(_ outputs: [Stage1Output]) -> [WindowPartial] {
        outputs.compactMap { if case .partial(let partial) = $0 { partial } else { nil } }
    }

    /// What stage 2 compares: the counts, not the sketches (their compaction depends on merge order).
    struct Counts: Equatable {
        var count: UInt64
        var features: [UInt64]
        var missing: [UInt64]
        var labelled: UInt64
        var seen: UInt64
        init(_ partial: WindowPartial) {
            count = partial.count
            features = partial.features.map(\.count)
            missing = partial.features.map(\.missing)
            labelled = partial.outcomes.labelled
            seen = partial.rows.seen
        }
    }

    struct Slot: Hashable {
        var window: WindowKey
        var source: SourcePartition
    }

    static func bySlot(_ partials: [WindowPartial], keepFirst: Bool = true) -> [Slot: Counts] {
        var result: [Slot: Counts] = [:]
        for partial in partials {
            let slot = Slot(window: partial.window, source: partial.sources[0])
            if result[slot] == nil || !keepFirst { result[slot] = Counts(partial) }
        }
        return result
    }

    @Test func aWorkerRestoredFromACheckpointAndReplayingProducesTheUninterruptedWindows() throws {
        for (window, copies) in [(WindowSpec.tumbling(10_000), 1), (.hopping(10_000, hop: 5_000), 2), (.count(700), 1)] {
            var reference = Self.processor(window)
            for source in Self.sources { reference.assign(source) }
            for p in 0..<3 { Self.feed(&reference, partition: p, 0..<2_000) }
            reference.flush()
            let expected = Self.bySlot(Self.partials(reference.drain()))

            // Worker A: checkpoints part-way (at a different offset per partition), runs on and emits
            // partials that a crash makes it never commit.
            var a = Self.processor(window)
            for source in Self.sources { a.assign(source) }
            let cut = [737, 1_210, 1_501]
            var checkpoints: [Stage1Checkpoint] = []
            for p in 0..<3 {
                Self.feed(&a, partition: p, 0..<cut[p])
                let taken = a.checkpoint(Self.sources[p], now: 1)
                let checkpoint = try #require(taken)
                checkpoints.append(try Stage1Checkpoint(serialized: checkpoint.serialized()))
                #expect(checkpoints[p] == checkpoint)
                #expect(checkpoint.nextOffset == Int64(cut[p]))
                Self.feed(&a, partition: p, cut[p]..<min(2_000, cut[p] + 400))
            }
            let beforeCrash = Self.partials(a.drain())

            // Worker B restores and replays from each checkpoint's offset.
            var b = Self.processor(window)
            for checkpoint in checkpoints { b.restore(checkpoint, now: 0) }
            for p in 0..<3 { Self.feed(&b, partition: p, Int(checkpoints[p].nextOffset)..<2_000) }
            b.flush()
            let afterRestore = Self.partials(b.drain())

            // Stage 2 keeps the first partial per (window, partition): the union must be the reference.
            let merged = Self.bySlot(beforeCrash + afterRestore)
            #expect(merged == expected, "\(window)")
            // And a window both sent (closed after the checkpoint, before the crash) has the same counts in both.
            let replayed = Self.bySlot(afterRestore)
            var both = 0
            for (slot, counts) in Self.bySlot(beforeCrash) where replayed[slot] != nil {
                #expect(replayed[slot] == counts, "\(window) \(slot)")
                both += 1
            }
            #expect(both > 0)
            #expect(expected.values.reduce(0) { $0 + $1.count } == UInt64(6_000 * copies))
        }
    }

    @Test func aHandedOverPartitionEmitsNothingAndTheNextOwnerCarriesOn() throws {
        var a = Self.processor()
        for source in Self.sources { a.assign(source) }
        Self.feed(&a, partition: 0, 0..<500)
        _ = a.drain()
        let taken = a.checkpoint(Self.sources[0], now: 5)
        let checkpoint = try #require(taken)
        a.handOver(Self.sources[0])
        #expect(a.drain().isEmpty)
        #expect(!a.trackedSources.contains(Self.sources[0]))
        // Partition 0 has every third event, 10 ms apart: 334 fell in the first window (closed), 166 are open.
        #expect(checkpoint.openEvents == 166)
        var b = Self.processor()
        b.restore(checkpoint, now: 0)
        let announced = b.drain()
        #expect(announced.count == 1)
        guard case .progress(let progress) = announced.first else { Issue.record("no progress"); return }
        #expect(progress.source == Self.sources[0] && !progress.released)
    }

    @Test func anyDamageToARecordIsDetected() throws {
        var a = Self.processor()
        for source in Self.sources { a.assign(source) }
        Self.feed(&a, partition: 1, 0..<600)
        let taken = a.checkpoint(Self.sources[1], now: 9)
        let bytes = try #require(taken).serialized()
        var rng = SplitMix64(seed: 3)
        for _ in 0..<200 {
            var damaged = bytes
            let position = Int(rng.next() % UInt64(bytes.count))
            damaged[position] ^= UInt8(1 + rng.next() % 255)
            #expect(throws: CheckpointError.self) { try Stage1Checkpoint(serialized: damaged) }
        }
        for length in [0, 3, 8, bytes.count / 2, bytes.count - 1] {
            #expect(throws: CheckpointError.self) { try Stage1Checkpoint(serialized: Array(bytes.prefix(length))) }
        }
        // A newer format is refused as such, not misread.
        var newer = Array(bytes.dropLast(4))
        newer[4] = CheckpointFormat.version + 1
        newer += withUnsafeBytes(of: CRC32.checksum(newer).littleEndian, Array.init)
        #expect(throws: CheckpointError.unsupportedVersion(CheckpointFormat.version + 1)) { try Stage1Checkpoint(serialized: newer) }
        // A stage 1 record is not a stage 2 one.
        #expect(throws: CheckpointError.self) { try Stage2Checkpoint(serialized: bytes) }
    }

    @Test func stageTwoRestoredFromACheckpointPublishesEachWindowOnceWithTheSameResults() throws {
        // The partials topic's one partition, as records in offset order.
        var stage1 = Self.processor()
        for source in Self.sources { stage1.assign(source) }
        var log: [[UInt8]] = []
        func move() {
            for output in stage1.drain() {
                switch output {
                case .partial(let partial): log.append(PartialsRecord.partial(partial).serialized())
                case .progress(let progress): log.append(PartialsRecord.progress(progress).serialized())
                case .deadLetter: Issue.record("dead letter")
                case .labelRequests: Issue.record("label requests are off")
                }
            }
        }
        for step in 0..<20 {
            for p in 0..<3 { Self.feed(&stage1, partition: p, (step * 100)..<(step * 100 + 100)) }
            move()
        }
        stage1.flush()
        move()
        let policy = MonitorPolicy()
        func fresh() -> Stage2Processor {
            var processor = Stage2Processor(policy: policy, completionTimeout: 60_000, profiles: [Self.profile])
            processor.evaluator.domainClassifier = false
            return processor
        }
        var reference = fresh()
        var expected: [DriftEvent] = []
        for record in log {
            reference.add(serialized: record, now: 0)
            expected += reference.ready(now: 0)
        }
        #expect(expected.count == 6)

        // A checkpoints at a third of the log, publishes on until two thirds, and crashes.
        var a = fresh()
        var published: [DriftEvent] = []
        var checkpoint: Stage2Checkpoint?
        for (offset, record) in log.enumerated() {
            if offset == log.count / 3 { checkpoint = a.checkpoint(partition: 0, nextOffset: Int64(offset), now: 0) }
            if offset == 2 * log.count / 3 { break }
            a.add(serialized: record, now: 0)
            published += a.ready(now: 0)
        }
        let restored = try Stage2Checkpoint(serialized: try #require(checkpoint).serialized())
        #expect(restored == checkpoint)
        var b = fresh()
        b.restore(restored, now: 0)
        b.published = Set(published.map(\.eventID))  // read back from the drift topic
        for record in log[Int(restored.nextOffset)...] {
            b.add(serialized: record, now: 0)
            published += b.ready(now: 0)
        }
        #expect(published.map(\.eventID) == expected.map(\.eventID))
        #expect(published.map(\.window.count) == expected.map(\.window.count))
        #expect(published.map(\.severity) == expected.map(\.severity))
        #expect(b.suppressedDuplicates > 0)
    }
}
