import DriftContracts
import DriftMonitor
import DriftStats
import Testing

/// A regression model watched through its residuals: MAE, RMSE and R² per window equal the figures computed
/// from the events directly; a concept change (the target moves by 3 while the inputs stay) leaves the features
/// alone but moves the residual distribution (KS, PSI against the reference residuals) and the errors.
@Suite struct RegressionMonitoringTests {
    static let window: Int64 = 10_000

    /// y = 2x + 1 + noise; the model predicts 2x + 1.
    static func row(_ index: Int, shift: Double) -> (x: Double, score: Double, label: Double) {
        var generator = SplitMix64(seed: 99 &+ UInt64(index))
        let x = Double.random(in: -3...3, using: &generator)
        let noise = (Double.random(in: 0..<1, using: &generator) + Double.random(in: 0..<1, using: &generator) - 1) * 1.5
        return (x, 2 * x + 1, 2 * x + 1 + noise + shift)
    }

    static let profile: ReferenceProfile = {
        let rows = (0..<5_000).map { row(1_000_000 + $0, shift: 0) }
        let builder = ReferenceProfileBuilder()
        return try! builder.build(
            modelID: "house-price", modelVersion: "1", createdAt: 0, source: nil, columns: [.numeric(name: "x", values: rows.map(\.x))],
            outcomes: .init(scores: rows.map(\.score), numericLabels: rows.map(\.label)))
    }()

    @Test func residualDriftAndErrorsFollowTheLabels() throws {
        #expect(Self.profile.prediction?.residual != nil)
        // The baseline is the reference rows' own figures.
        let baseline = try #require(Self.profile.performance)
        let rows = (0..<5_000).map { Self.row(1_000_000 + $0, shift: 0) }
        let expected = RegressionMetrics(predictions: rows.map(\.score), labels: rows.map(\.label))
        #expect(baseline.labelled == 5_000)
        #expect(abs((baseline.metric("rmse") ?? 0) - expected.rmse) < 1e-12 && abs((baseline.metric("mae") ?? 0) - expected.mae) < 1e-12)
        #expect(abs((baseline.metric("r2") ?? 0) - (expected.r2 ?? 1)) < 1e-12)
        var harness = PipelineHarness(profile: Self.profile, window: .tumbling(Self.window))
        var sent: [Int: [(score: Double, label: Double)]] = [:]
        for number in 0..<4 {
            for offset in 0..<1_000 {
                let index = number * 1_000 + offset
                let row = Self.row(index, shift: number >= 2 ? 3 : 0)
                var record = InferenceRecord(eventID: "r\(index)", modelID: "house-price", modelVersion: "1",
                                             timestamp: Int64(number) * Self.window + Int64(offset) * 10, features: [("x", .number(row.x))], score: row.score)
                record.numericLabel = row.label
                sent[number, default: []].append((row.score, row.label))
                harness.inference(record.json(), partition: index % 3)
            }
            harness.pump(now: 0)
        }
        harness.finish(now: 0)
        #expect(harness.events.count == 4)
        #expect(harness.deadLetters.isEmpty)
        for event in harness.events {
            let number = Int(event.window.start / Self.window)
            let pairs = try #require(sent[number])
            let n = Double(pairs.count)
            let mae = pairs.reduce(0) { $0 + abs($1.label - $1.score) } / n
            let mse = pairs.reduce(0) { $0 + ($1.label - $1.score) * ($1.label - $1.score) } / n
            let mean = pairs.reduce(0) { $0 + $1.label } / n
            let variance = pairs.reduce(0) { $0 + ($1.label - mean) * ($1.label - mean) } / n
            let performance = try #require(event.performance)
            #expect(performance.labelled == 1_000)
            #expect(abs((performance.metrics["mae"] ?? 0) - mae) < 1e-9)
            #expect(abs((performance.metrics["rmse"] ?? 0) - mse.squareRoot()) < 1e-9)
            #expect(abs((performance.metrics["r2"] ?? 0) - (1 - mse / variance)) < 1e-9)
            let residuals = try #require(performance.residuals)
            let x = try #require(event.features.first { $0.name == "x" })
            #expect(x.severity == .normal, "the inputs did not move")
            if number < 2 {
                #expect(residuals.severity == .normal, "\(residuals.metrics.entries)")
                #expect(performance.severity == .normal, "\(performance.triggers)")
            } else {
                #expect(residuals.severity == .critical)
                #expect((residuals.metrics["psi"] ?? 0) > 0.25)
                #expect((residuals.metrics["ks_pvalue"] ?? 1) < 1e-6)
                #expect(abs((residuals.metrics["mean"] ?? 0) - 3) < 0.1)
                #expect(performance.triggers.contains { $0.metric == "rmse_increase" && $0.severity == .critical })
                #expect(performance.triggers.contains { $0.metric == "residual_psi" })
                #expect(event.windowSeverity == .critical)
                #expect(event.reasons.contains { $0.hasPrefix("performance: rmse_increase") })
            }
        }
        // The profile's residual summary survives its JSON.
        let reread = try ReferenceProfile(json: Self.profile.json(), path: "memory")
        #expect(reread.prediction?.residual?.moments.count == 5_000)
    }
}
