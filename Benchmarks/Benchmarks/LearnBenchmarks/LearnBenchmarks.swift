import Benchmark
import DriftCompare
import DriftLearn
import Foundation

/// Training time of DriftLearn's logistic regression (pipeline fit, encoding and L-BFGS; one core):
///
/// * `Learn_fit_adult_39k`: Adult, the 80 % training split of the tests (39,074 rows, 14 features, 2 classes);
/// * `Learn_fit_sdss_24k`: the SDSS sample's training split (24,000 rows, 11 features, 3 classes);
/// * `Learn_fit_synthetic_1M_x25`: 1,000,000 rows × 25 numeric features, 2 classes;
/// * `Baseline_pass_1M_x25`: one multiply-add over the same 25 M values (a floor to read the 1 M fit against:
///   fit ÷ baseline, in the same run).
let benchmarks: @Sendable () -> Void = {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    func split(_ file: String, target: String, dropped: Set<String>) -> (TrainingTable, [String]) {
        guard let data = try? DataTable.load(path: repository.appendingPathComponent(file).path),
              let (labels, _) = try? TrainingTable.labels(data, target: target),
              let features = try? TrainingTable(data, excluding: dropped.union([target])) else { fatalError("cannot read \(file)") }
        let train = labels.indices.filter { $0 % 5 != 4 }
        return (features.subset(train), train.map { labels[$0] })
    }
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .peakMemoryResident], maxDuration: .seconds(60), maxIterations: 5)

    let (adult, adultLabels) = split("data/adult.csv.gz", target: "income", dropped: [])
    Benchmark("Learn_fit_adult_39k", configuration: configuration) { benchmark in
        blackHole(try ClassifierTrainer().fit(adult, labels: adultLabels, target: "income"))
    }
    let (sdss, sdssLabels) = split("data/sdss17_star_classification_30k.csv.gz", target: "class",
                                   dropped: ["obj_ID", "run_ID", "rerun_ID", "field_ID", "spec_obj_ID", "fiber_ID"])
    Benchmark("Learn_fit_sdss_24k", configuration: configuration) { benchmark in
        blackHole(try ClassifierTrainer().fit(sdss, labels: sdssLabels, target: "class"))
    }

    // 1 M rows × 25 features: a linear concept with noise.
    var generator = SystemRandomNumberGenerator()
    let weights = (0..<25).map { _ in Double.random(in: -1...1, using: &generator) }
    var columns = [[Double]](repeating: [], count: 25)
    var labels: [String] = []
    labels.reserveCapacity(1_000_000)
    for index in 0..<25 { columns[index].reserveCapacity(1_000_000) }
    for _ in 0..<1_000_000 {
        var score = 0.0
        for index in 0..<25 {
            let value = Double.random(in: -2...2, using: &generator)
            columns[index].append(value)
            score += weights[index] * value
        }
        labels.append(score + Double.random(in: -1...1, using: &generator) > 0 ? "yes" : "no")
    }
    guard let synthetic = try? TrainingTable(columns.enumerated().map { ("f\($0.offset)", .numeric($0.element)) }) else { fatalError("table") }
    Benchmark("Learn_fit_synthetic_1M_x25", configuration: Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident], maxDuration: .seconds(120), maxIterations: 3)) { benchmark in
        blackHole(try ClassifierTrainer().fit(synthetic, labels: labels, target: "label"))
    }
    Benchmark("Baseline_pass_1M_x25", configuration: configuration) { benchmark in
        var sum = 0.0
        for column in columns.indices {
            let weight = weights[column]
            for value in columns[column] { sum += weight * value }
        }
        blackHole(sum)
    }
}
