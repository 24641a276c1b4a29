import Benchmark
import DriftStats
import DriftTestSupport

/// Drift statistics between two 100k windows: PSI and JS on frozen reference bins (including the
/// binning), and the two-sample KS test and Wasserstein-1 on sorted windows (including the sort).
func registerDivergenceBenchmarks() {
    let reference = GoldenGeneratorSpec(distribution: "normal12", count: 100_000, seed: 21).generate()
    var shifted = GoldenGeneratorSpec(distribution: "normal12", count: 100_000, seed: 22)
    shifted.loc = 0.1
    let current = shifted.generate()
    let sortedReference = reference.sorted()
    let sortedCurrent = current.sorted()
    let edges = FixedEdgeHistogram.referenceEdges(sortedReference: sortedReference, bins: 10)
    var referenceHistogram = try! FixedEdgeHistogram(innerEdges: edges)
    for x in reference { referenceHistogram.update(x) }
    let referenceCounts = referenceHistogram.counts.map { Double($0) }

    Benchmark("PSI_10bins_100k") { benchmark in
        for _ in benchmark.scaledIterations {
            var histogram = try FixedEdgeHistogram(innerEdges: edges)
            for x in current { histogram.update(x) }
            blackHole(PopulationStabilityIndex.psi(reference: referenceCounts, current: histogram.counts.map { Double($0) }))
        }
    }

    Benchmark("JS_10bins_100k") { benchmark in
        for _ in benchmark.scaledIterations {
            var histogram = try FixedEdgeHistogram(innerEdges: edges)
            for x in current { histogram.update(x) }
            blackHole(JensenShannon.distance(referenceCounts, histogram.counts.map { Double($0) }))
        }
    }

    Benchmark("KS_sorted_100k") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(KolmogorovSmirnov.twoSample(sortedA: sortedReference, sortedB: sortedCurrent).pValue)
        }
    }

    Benchmark("KS_withSort_100k") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(KolmogorovSmirnov.twoSample(reference, current).pValue)
        }
    }

    Benchmark("Wasserstein_sorted_100k") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Wasserstein.distance(sortedU: sortedReference, sortedV: sortedCurrent))
        }
    }
}
