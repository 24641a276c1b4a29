import Benchmark

/// Entry point of the Kafka benchmarks: DriftKafka against kcat (the same librdkafka, driven from C) on the
/// same in-process dev broker in the same run, 1,000,000 records of about 400 bytes per iteration.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident],
        warmupIterations: 0,
        maxDuration: .seconds(120),
        maxIterations: 5
    )
    registerProduceBenchmarks()
    registerConsumeBenchmarks()
}
