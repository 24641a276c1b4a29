import Benchmark
import DriftStats
import DriftTestSupport

/// Fixed-edge histogram updates and the full numeric per-value update (histogram + KLL + moments).
func registerHistogramBenchmarks() {
    let values = GoldenGeneratorSpec(distribution: "normal12", count: 1_000_000, seed: 12).generate()
    let reference = GoldenGeneratorSpec(distribution: "normal12", count: 100_000, seed: 13).generate()

    Benchmark("Histogram_update_10bins_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var histogram = try FixedEdgeHistogram(reference: reference, bins: 10)
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { histogram.update(values[i]) }
        benchmark.stopMeasurement()
        blackHole(histogram.total)
    }

    Benchmark("Histogram_update_20bins_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var histogram = try FixedEdgeHistogram(reference: reference, bins: 20)
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { histogram.update(values[i]) }
        benchmark.stopMeasurement()
        blackHole(histogram.total)
    }

    // The target: a full numeric per-value update at most 50 ns median.
    Benchmark("NumericFeature_update_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var histogram = try FixedEdgeHistogram(reference: reference, bins: 10)
        var sketch = try KLLSketch(k: 200, seed: 1)
        var moments = Moments()
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            let x = values[i]
            histogram.update(x)
            sketch.update(x)
            moments.update(x)
        }
        benchmark.stopMeasurement()
        blackHole(histogram)
        blackHole(sketch)
        blackHole(moments)
    }
}
