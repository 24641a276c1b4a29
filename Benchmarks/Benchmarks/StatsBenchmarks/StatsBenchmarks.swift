import Benchmark

/// Entry point of the `StatsBenchmarks` executable (package-benchmark discovers this closure).
///
/// Every per-value benchmark runs an inner loop over 1,000,000 prepared values with
/// `scalingFactor: .mega`, so its wall-clock time per iteration in milliseconds equals
/// nanoseconds per value (`swift package benchmark --scale` prints it per value directly).
/// `Baseline_*` benchmarks measure trivial work over the same data in the same run, so results can
/// be read as same-run ratios. Names follow `Area_operation_size` (see ../../README.md).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(2),
        maxIterations: 30
    )
    registerBaselineBenchmarks()
    registerMomentsBenchmarks()
    registerCategoricalBenchmarks()
    // Further areas (KLL, histogram, divergences, compare) register here.
}
