import Benchmark
import DriftStats
import DriftTestSupport

/// Per-value updates of moments and categorical counts.
func registerSketchBenchmarks() {
    let values = GoldenGeneratorSpec(distribution: "normal12", count: 1_000_000, seed: 14).generate()
    var categorical = GoldenGeneratorSpec(distribution: "categorical", count: 1_000_000, seed: 15)
    categorical.weights = [0.3, 0.2, 0.15, 0.1, 0.08, 0.06, 0.04, 0.03, 0.02, 0.02]
    let names = (0..<10).map { "category-\($0)" }
    let categories = categorical.generate().map { names[Int($0)] }

    Benchmark("Moments_update_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var moments = Moments()
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { moments.update(values[i]) }
        benchmark.stopMeasurement()
        blackHole(moments)
    }

    Benchmark("Categorical_update_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var counts = try CategoricalCounts()
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { counts.update(categories[i]) }
        benchmark.stopMeasurement()
        blackHole(counts.total)
    }
}
