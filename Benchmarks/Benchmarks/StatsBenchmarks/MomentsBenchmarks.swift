import Benchmark
import DriftStats
import DriftTestSupport

/// Welford moments per value (target ≤ 8 ns) and the blocked two-pass batch update.
func registerMomentsBenchmarks() {
    let values = GoldenGeneratorSpec(distribution: "normal12", count: 1_000_000, seed: 11).generate()

    Benchmark("Moments_update_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var moments = Moments()
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { moments.update(values[i]) }
        benchmark.stopMeasurement()
        blackHole(moments)
    }

    Benchmark("Moments_updateBatch_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var moments = Moments()
        benchmark.startMeasurement()
        values.withUnsafeBufferPointer { moments.update(contentsOf: $0) }
        benchmark.stopMeasurement()
        blackHole(moments)
    }
}
