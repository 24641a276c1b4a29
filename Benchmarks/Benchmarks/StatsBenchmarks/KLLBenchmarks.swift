import Benchmark
import DriftStats
import DriftTestSupport

/// KLL update and merge against the exact baseline (sort the raw values, read a quantile).
func registerKLLBenchmarks() {
    let values = GoldenGeneratorSpec(distribution: "normal12", count: 1_000_000, seed: 11).generate()

    Benchmark("KLL_update_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var sketch = try KLLSketch(k: 200, seed: 1)
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { sketch.update(values[i]) }
        benchmark.stopMeasurement()
        blackHole(sketch.count)
    }

    Benchmark("KLL_updateBatch_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var sketch = try KLLSketch(k: 200, seed: 1)
        benchmark.startMeasurement()
        values.withUnsafeBufferPointer { sketch.update(contentsOf: $0) }
        benchmark.stopMeasurement()
        blackHole(sketch.count)
    }

    // Baseline: exact quantiles need the whole window kept and sorted.
    Benchmark("Baseline_sortExactQuantile_1M", configuration: .init(scalingFactor: .mega)) { benchmark in
        var copy = [Double]()
        copy.reserveCapacity(values.count)
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { copy.append(values[i]) }
        copy.sort()
        blackHole(ExactQuantiles.linear(sorted: copy, probability: 0.5))
        benchmark.stopMeasurement()
    }

    var parts = [KLLSketch]()
    for part in 0..<16 {
        var sketch = try! KLLSketch(k: 200, seed: UInt64(part))
        for i in stride(from: part, to: values.count, by: 16) { sketch.update(values[i]) }
        parts.append(sketch)
    }
    let mergeInputs = parts
    Benchmark("KLL_merge_16x62k") { benchmark in
        for _ in benchmark.scaledIterations {
            var merged = mergeInputs[0]
            for other in mergeInputs.dropFirst() { try merged.merge(other) }
            blackHole(merged.count)
        }
    }

    let sketchA = mergeInputs[0]
    let sketchB = mergeInputs[1]
    Benchmark("KLL_ksTest_62k") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(SketchKolmogorovSmirnov.test(sketchA, sketchB).statistic)
        }
    }
}
