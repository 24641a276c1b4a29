import Benchmark

/// Entry point of the monitor's benchmarks: decoding inference events (against Foundation's JSONDecoder in
/// the same run), and later the monitor's stages end to end.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(3),
        maxIterations: 20
    )
    registerDecodeBenchmarks()
    registerStageBenchmarks()
    registerEndToEndBenchmarks()
}
