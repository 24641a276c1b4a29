import Benchmark
import DriftStats
import DriftTestSupport

/// Categorical counts per value: exact mode on a low-cardinality column (the common case), and
/// summary mode on a high-cardinality one where almost every value evicts (the worst case).
func registerCategoricalBenchmarks() {
    // 20 categories with skewed weights, as short (inline, non-allocating) Strings.
    var lowCardinality = GoldenGeneratorSpec(distribution: "categorical", count: 1_000_000, seed: 31)
    lowCardinality.weights = (1...20).map { 1.0 / Double($0) / 3.597739657143682 }   // Σ 1/i = 3.5977…
    let names = (0..<20).map { "category-\($0)" }
    let categories = lowCardinality.generate().map { names[Int($0)] }

    // 200,000 equally likely ids against the default capacity of 10,000: Space-Saving evictions.
    var highCardinality = GoldenGeneratorSpec(distribution: "discrete", count: 1_000_000, seed: 32)
    highCardinality.k = 200_000
    let ids = highCardinality.generate().map { "id-\(Int($0))" }

    Benchmark("Categorical_update_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var counts = try CategoricalCounts()
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { counts.update(categories[i]) }
        benchmark.stopMeasurement()
        blackHole(counts.total)
    }

    Benchmark("Categorical_updateSummary_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var counts = try CategoricalCounts()
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { counts.update(ids[i]) }
        benchmark.stopMeasurement()
        blackHole(counts.maximumError)
    }

    // Same-run baseline: hashing the same Strings into a plain Dictionary<String, UInt64>.
    Benchmark("Baseline_dictionaryCount_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var counts = [String: UInt64]()
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { counts[categories[i], default: 0] &+= 1 }
        benchmark.stopMeasurement()
        blackHole(counts.count)
    }
}
