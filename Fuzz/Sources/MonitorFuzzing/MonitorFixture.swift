import DriftContracts
import DriftMonitor

/// The monitor the partials and checkpoint targets feed: the reference profile and events of
/// `SyntheticStream(seed: 7)` (model `credit-risk`, version `1`), as in the monitor's own tests. The seed
/// corpora (`fuzz-seeds`) are made from the same stream, so seeds reach window evaluation.
public enum MonitorFixture {
    public static let stream = SyntheticStream(seed: 7)
    public static let profile = smallProfile(stream, rows: 300)
    public static let window = WindowSpec.tumbling(10_000)
    public static let source = SourcePartition(topic: "inference-events", partition: 0)
    /// A few events after the checkpoints' windows (event times 10 ms apart from 0).
    public static let events: [[UInt8]] = (0..<4).map { stream.record(3_000 + $0, timestamp: 30_000 + Int64($0) * 10, withLabel: true).json() }

    /// Stage 1 over `profile` (the fixture's by default) with small sketches and samples.
    public static func stage1(_ profile: ReferenceProfile = profile) -> Stage1Processor {
        var configuration = Stage1Configuration(window: window)
        configuration.maximumFutureSkew = Int64.max / 4
        configuration.sampleCapacity = 16
        configuration.sketchK = 16
        return Stage1Processor(configuration: configuration, profiles: [profile])
    }

    /// Stage 2 over `profile` (the fixture's by default), without the domain classifier.
    public static func stage2(_ profile: ReferenceProfile = profile) -> Stage2Processor {
        var stage2 = Stage2Processor(policy: MonitorPolicy(), completionTimeout: 60_000, profiles: [profile])
        stage2.evaluator.domainClassifier = false
        return stage2
    }

    /// Stage 1's partials and progress records fed to `stage2` as the partials topic carries them (serialized).
    public static func forward(_ outputs: [Stage1Output], to stage2: inout Stage2Processor) {
        for output in outputs {
            switch output {
            case .partial(let partial): stage2.add(serialized: PartialsRecord.partial(partial).serialized(), now: 0)
            case .progress(let progress): stage2.add(serialized: PartialsRecord.progress(progress).serialized(), now: 0)
            case .deadLetter, .labelRequests: break
            }
        }
    }

    /// Drift events as published (their JSON written).
    public static func publish(_ events: [DriftEvent]) {
        for event in events { _ = event.json() }
    }
}

extension MonitorFixture {
    /// `SyntheticStream.profile(rows:)` with small sketches and reservoir (k 16, 16 sample rows), so that
    /// profiles and the partials made against them are a few kilobytes: seeds a fuzzer can mutate.
    public static func smallProfile(_ stream: SyntheticStream, rows: Int) -> ReferenceProfile {
        var builder = ReferenceProfileBuilder()
        builder.sketchK = 16
        builder.reservoirSize = 16
        do {
            return try stream.profile(rows: rows, builder: builder)
        } catch {
            fatalError("profile: \(error)")
        }
    }
}
