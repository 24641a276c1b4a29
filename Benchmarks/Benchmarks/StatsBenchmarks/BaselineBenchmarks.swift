import Benchmark
import DriftTestSupport

/// The cheapest per-value loop (a running sum): the floor other per-value figures compare with.
func registerBaselineBenchmarks() {
    let values = GoldenGeneratorSpec(distribution: "normal12", count: 1_000_000, seed: 10).generate()
    Benchmark("Baseline_sum_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var sum = 0.0
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { sum += values[i] }
        benchmark.stopMeasurement()
        blackHole(sum)
    }
}
