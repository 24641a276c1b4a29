import DriftContracts
import DriftMonitor

/// Runs the pure two-stage pipeline in memory: events spread over partitions, partials through their
/// binary form (as on `driftwatch.partials`), stage 2 evaluating complete windows.
struct PipelineHarness {
    var stage1: Stage1Processor
    var stage2: Stage2Processor
    var deadLetters: [DeadLetterRecord] = []
    var events: [DriftEvent] = []
    var labelRequests: [LabelRequest] = []
    let partitions: [SourcePartition]
    let feedbackPartitions: [SourcePartition]
    var offsets: [SourcePartition: Int64] = [:]

    init(profile: ReferenceProfile, window: WindowSpec, partitions: Int = 3, policy: MonitorPolicy = MonitorPolicy(), domainClassifier: Bool = false,
         labelRequests: LabelRequestPolicy? = nil) {
        var configuration = Stage1Configuration(window: window)
        configuration.maximumFutureSkew = Int64.max / 4
        configuration.labelRequests = labelRequests
        stage1 = Stage1Processor(configuration: configuration, profiles: [profile])
        stage2 = Stage2Processor(policy: policy, completionTimeout: 60_000, profiles: [profile])
        stage2.evaluator.domainClassifier = domainClassifier
        self.partitions = (0..<partitions).map { SourcePartition(topic: "inference-events", partition: Int32($0)) }
        self.feedbackPartitions = (0..<partitions).map { SourcePartition(topic: "feedback-events", partition: Int32($0)) }
        for source in self.partitions + feedbackPartitions { stage1.assign(source) }
        pump(now: 0)
    }

    mutating func inference(_ bytes: [UInt8], partition: Int, now: Int64 = 0) {
        let source = partitions[partition]
        let offset = offsets[source, default: 0]
        offsets[source] = offset + 1
        bytes.withUnsafeBytes { stage1.processInference($0, source: source, offset: offset, now: now) }
    }

    mutating func feedback(_ bytes: [UInt8], partition: Int, now: Int64 = 0) {
        let source = feedbackPartitions[partition]
        let offset = offsets[source, default: 0]
        offsets[source] = offset + 1
        bytes.withUnsafeBytes { stage1.processFeedback($0, source: source, offset: offset, now: now) }
    }

    /// Moves stage 1's outputs to stage 2 (partials as bytes) and collects drift events.
    mutating func pump(now: Int64) {
        for output in stage1.drain() {
            switch output {
            case .deadLetter(let record): deadLetters.append(record)
            case .partial(let partial): stage2.add(serialized: PartialsRecord.partial(partial).serialized(), now: now)
            case .progress(let progress): stage2.add(serialized: PartialsRecord.progress(progress).serialized(), now: now)
            case .labelRequests(let requests): labelRequests += requests
            }
        }
        events += stage2.ready(now: now)
    }

    /// Closes everything (shutdown).
    mutating func finish(now: Int64) {
        stage1.flush()
        pump(now: now)
        events += stage2.flush(now: now)
    }

    /// Sends `count` events of `stream` starting at `start`, `spacing` ms apart, round-robin over partitions.
    ///
    /// Yields every 256 events: these tests compute for seconds, and holding one of the few cooperative
    /// threads that long would starve the Kafka tests running beside them (a consumer that cannot acknowledge
    /// a rebalance in time loses its partitions).
    mutating func send(_ stream: SyntheticStream, from first: Int, count: Int, start: Int64, spacing: Int64, withLabel: Bool = false) async {
        for index in first..<(first + count) {
            let time = start + Int64(index - first) * spacing
            inference(stream.record(index, timestamp: time, withLabel: withLabel).json(), partition: index % partitions.count)
            if index % 256 == 0 {
                pump(now: 0)
                await Task.yield()
            }
        }
        pump(now: 0)
    }
}
