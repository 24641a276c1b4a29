import Benchmark
import DriftCompare
import DriftTestSupport
import Foundation

/// `driftwatch compare` end to end (parse both CSV files, infer types, every metric) on the issue's
/// shape: 100,000 × 25 against 100,000 × 25 rows, 20 numeric and 5 categorical columns.
func registerCompareBenchmarks() {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-compare-bench")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let reference = directory.appendingPathComponent("reference.csv").path
    let current = directory.appendingPathComponent("current.csv").path
    writeSample(path: reference, rows: 100_000, seed: 1, shift: 0)
    writeSample(path: current, rows: 100_000, seed: 2, shift: 0.05)

    Benchmark("Compare_100kx25_vs_100kx25", configuration: .init(maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            var options = CompareOptions(source: .files(reference: reference, current: current))
            options.generatedAt = "2026-01-01T00:00:00Z"
            blackHole(try DriftCompare.run(options))
        }
    }
}

/// 20 numeric columns (normal12 with per-column location, 6 decimals) and 5 categorical ones.
private func writeSample(path: String, rows: Int, seed: UInt64, shift: Double) {
    var columns = [[Double]]()
    for j in 0..<25 {
        var spec = GoldenGeneratorSpec(distribution: j < 20 ? "normal12" : "discrete", count: rows, seed: seed &* 100 &+ UInt64(j))
        if j < 20 { spec.loc = Double(j) + shift } else { spec.k = UInt64(3 + 8 * (j - 20)) }
        columns.append(spec.generate())
    }
    var text = (0..<20).map { "f\($0)" }.joined(separator: ",") + "," + (0..<5).map { "c\($0)" }.joined(separator: ",") + "\n"
    text.reserveCapacity(rows * 200)
    for i in 0..<rows {
        for j in 0..<20 { text += String(format: "%.6f,", columns[j][i]) }
        for j in 20..<25 { text += "cat\(Int(columns[j][i]))" + (j == 24 ? "\n" : ",") }
    }
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
}
