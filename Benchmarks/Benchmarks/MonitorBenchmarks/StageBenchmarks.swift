import Benchmark
import DriftContracts
import DriftMonitor

/// Stage 1 on one core without Kafka: 100,000 synthetic events (20 numeric, 5 categorical features, two
/// class probabilities) decoded, validated, windowed (tumbling 10 s, 1,000 events per window, events
/// interleaved over 4 partitions), every prediction entered into the label join, summarised, every window
/// closed into a partial. `Stage1_100k_events` writes values with 4 decimals (≈ 400-byte events, the
/// issue's reference event, like `Decode_driftwatch_100k`); `Stage1_100k_events_full_precision` with 17
/// significant digits (≈ 700 bytes, what Python's `json.dumps` writes for computed floats).
/// `Stage1_100k_events_latency_label_requests` adds `latency_ms` to every event and turns label requests on.
/// `Stage2_evaluate_100_windows` merges and evaluates the resulting partials (domain classifier on).
func registerStageBenchmarks() {
    var stream = SyntheticStream(seed: 42)
    let profile = try! stream.profile(rows: 20_000)  // fixture set-up, not a data path
    let fullPrecision = (0..<100_000).map { stream.record($0, timestamp: Int64($0) * 10).json() }
    stream.decimals = 4
    let payloads = (0..<100_000).map { stream.record($0, timestamp: Int64($0) * 10).json() }
    stream.latency = true
    let withLatency = (0..<100_000).map { stream.record($0, timestamp: Int64($0) * 10).json() }
    let sources = (0..<4).map { SourcePartition(topic: "inference-events", partition: Int32($0)) }
    print("stage 1 events: \(payloads.map(\.count).reduce(0, +) / payloads.count) bytes on average (full precision: \(fullPrecision.map(\.count).reduce(0, +) / fullPrecision.count))")

    func runStage1(_ payloads: [[UInt8]], labelRequests: LabelRequestPolicy? = nil) {
        var configuration = Stage1Configuration(window: .tumbling(10_000))
        configuration.labelRequests = labelRequests
        var stage1 = Stage1Processor(configuration: configuration, profiles: [profile])
        for (index, payload) in payloads.enumerated() {
            payload.withUnsafeBytes { stage1.processInference($0, source: sources[index & 3], offset: Int64(index), now: 0) }
            if index & 1023 == 0 { blackHole(stage1.drain()) }
        }
        stage1.flush()
        blackHole(stage1.drain())
    }
    Benchmark("Stage1_100k_events") { _ in runStage1(payloads) }
    Benchmark("Stage1_100k_events_full_precision") { _ in runStage1(fullPrecision) }
    // The same events with latency_ms, and label requests on (no event is labelled: every window asks): the cost of the
    // operational figures and the candidate pool, as a ratio to Stage1_100k_events in the same run.
    Benchmark("Stage1_100k_events_latency") { _ in runStage1(withLatency) }
    Benchmark("Stage1_100k_events_label_requests") { _ in runStage1(payloads, labelRequests: LabelRequestPolicy()) }
    Benchmark("Stage1_100k_events_latency_label_requests") { _ in runStage1(withLatency, labelRequests: LabelRequestPolicy()) }

    var stage1 = Stage1Processor(configuration: Stage1Configuration(window: .tumbling(10_000)), profiles: [profile])
    for (index, payload) in payloads.enumerated() {
        payload.withUnsafeBytes { stage1.processInference($0, source: sources[index & 3], offset: Int64(index), now: 0) }
    }
    stage1.flush()
    let records = stage1.drain().compactMap { output -> [UInt8]? in
        switch output {
        case .partial(let partial): PartialsRecord.partial(partial).serialized()
        case .progress(let progress): PartialsRecord.progress(progress).serialized()
        case .deadLetter, .labelRequests: nil
        }
    }
    // Partials alone (progress records start with "DWPG"): their size per feature and window.
    let partials = records.filter { !$0.starts(with: Array("DWPG".utf8)) }
    let partialBytes = partials.map(\.count).reduce(0, +)
    print("partials: \(partials.count) of \(records.count) records, \(partialBytes) bytes, \(partialBytes / max(partials.count, 1) / 25) bytes per feature and window")

    Benchmark("Stage2_evaluate_100_windows") { benchmark in
        var stage2 = Stage2Processor(policy: MonitorPolicy(), completionTimeout: 60_000, profiles: [profile])
        for record in records { stage2.add(serialized: record, now: 0) }
        blackHole(stage2.flush(now: 0))
    }
}
