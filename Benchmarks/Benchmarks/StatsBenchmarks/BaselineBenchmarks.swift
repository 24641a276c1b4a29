import Benchmark
import DriftTestSupport

/// Same-run baselines: the cheapest possible pass over the data the statistics benchmarks use.
func registerBaselineBenchmarks() {
    let values = GoldenGeneratorSpec(distribution: "normal12", count: 1_000_000, seed: 11).generate()

    // One dependent add per value: the floor any per-value statistic is compared with.
    Benchmark("Baseline_sum_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var sum = 0.0
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { sum += values[i] }
        benchmark.stopMeasurement()
        blackHole(sum)
    }
}
