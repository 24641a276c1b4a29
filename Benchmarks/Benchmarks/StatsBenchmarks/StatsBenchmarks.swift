import Benchmark

/// Entry point of the statistics benchmarks: per-value update costs, merges and window-to-window
/// drift statistics, each with a same-run baseline so results read as ratios.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(3),
        maxIterations: 50
    )
    registerBaselineBenchmarks()
    registerKLLBenchmarks()
    registerHistogramBenchmarks()
    registerMomentsBenchmarks()
    registerCategoricalBenchmarks()
    registerDivergenceBenchmarks()
    registerCompareBenchmarks()
}
