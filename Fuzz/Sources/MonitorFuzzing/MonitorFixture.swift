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

    public static func stage1() -> Stage1Processor {
        var configuration = Stage1Configuration(window: window)
        configuration.maximumFutureSkew = Int64.max / 4
        configuration.sampleCapacity = 16
        configuration.sketchK = 16
        return Stage1Processor(configuration: configuration, profiles: [profile])
    }

    public static func stage2() -> Stage2Processor {
        var stage2 = Stage2Processor(policy: MonitorPolicy(), completionTimeout: 60_000, profiles: [profile])
        stage2.evaluator.domainClassifier = false
        return stage2
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
        let sample = (0..<rows).map { stream.row($0, timestamp: 0) }
        let names = SyntheticStream.featureNames
        var columns: [ReferenceProfileBuilder.Column] = []
        for feature in 0..<SyntheticStream.numericCount { columns.append(.numeric(name: names[feature], values: sample.map { $0.numbers[feature] })) }
        for feature in 0..<SyntheticStream.categoricalCount {
            columns.append(.categorical(name: names[SyntheticStream.numericCount + feature], values: sample.map { $0.categories[feature] }))
        }
        let outcomes = ReferenceProfileBuilder.Outcomes(
            predictions: sample.map(\.predicted),
            probabilities: [("no", sample.map { 1 - $0.probabilityYes }), ("yes", sample.map(\.probabilityYes))],
            labels: sample.map(\.label))
        var builder = ReferenceProfileBuilder()
        builder.sketchK = 16
        builder.reservoirSize = 16
        do {
            return try builder.build(
                modelID: stream.modelID, modelVersion: stream.modelVersion, createdAt: 0,
                source: ReferenceProfile.Source(path: "synthetic:\(stream.seed)", format: "synthetic", rows: rows),
                columns: columns, outcomes: outcomes)
        } catch {
            fatalError("profile: \(error)")
        }
    }
}
