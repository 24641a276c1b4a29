import DriftContracts
import DriftJSON
import DriftMonitor
import DriftStats
import DriftTestSupport
import Foundation
import Testing

/// `driftwatch profile` and the profile it writes. Expected figures for `Fixtures/profile-sample.csv` come
/// from numpy 2.4 (`np.quantile(v, np.linspace(0.1, 0.9, 9))`, `v.mean()`, `v.std()`), tolerance 1e-9.
@Suite("Reference profiles")
struct ReferenceProfileTests {
    static var fixture: String { Bundle.module.bundleURL.appendingPathComponent("Fixtures/profile-sample.csv").path }
    static func run(_ arguments: [String]) throws -> ChildProcess.Outcome {
        try ChildProcess.run(ChildProcess.driftwatch(besides: Bundle.module), arguments)
    }

    static func profile() throws -> (ReferenceProfile, [UInt8], String) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID().uuidString).json").path
        let result = try run(["profile", "--data", fixture, "--model-id", "credit", "--model-version", "4",
                              "--label-column", "label", "--prediction-column", "pred",
                              "--probability-columns", "yes=p_yes,no=p_no", "--out", out])
        try #require(result.status == 0, "\(result.stderr)")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: out)))
        return (try ReferenceProfile(json: bytes, path: out), bytes, out)
    }

    @Test("features: types, counts, decile edges, histograms, moments, categories, as numpy computes them")
    func features() throws {
        let (profile, _, _) = try Self.profile()
        #expect(profile.modelID == "credit" && profile.modelVersion == "4" && profile.rows == 60)
        #expect(profile.features.map(\.name) == ["age", "income", "city"])
        guard case .numeric(let age) = profile.feature("age")?.summary, case .numeric(let income) = profile.feature("income")?.summary,
            case .categorical(let city) = profile.feature("city")?.summary
        else {
            Issue.record("types: \(profile.features.map(\.typeName))")
            return
        }
        let ageEdges = [23.9, 28.8, 33.0, 38.0, 42.5, 46.4, 51.0, 55.2, 59.1]
        let incomeEdges = [1441.4, 1882.8, 2349.4, 2765.6, 3367.5, 3860.399999999999, 4382.8, 4824.2, 5265.6]
        #expect(zip(age.histogram.innerEdges, ageEdges).allSatisfy { abs($0 - $1) < 1e-9 } && age.histogram.innerEdges.count == 9)
        #expect(zip(income.histogram.innerEdges, incomeEdges).allSatisfy { abs($0 - $1) < 1e-9 } && income.histogram.innerEdges.count == 9)
        #expect(age.histogram.counts.reduce(0, +) == 60)
        #expect(income.histogram.counts.reduce(0, +) == 54)
        #expect(profile.feature("income")?.missing == 6)
        #expect(abs(age.moments.mean - 42.0) < 1e-9 && abs(age.moments.standardDeviation - 13.04479461956633) < 1e-9)
        #expect(abs(income.moments.mean - 3337.740740740741) < 1e-9 && abs(income.moments.standardDeviation - 1441.6130392747073) < 1e-9)
        #expect(age.sketch.count == 60 && age.sketch.minimum == 20 && age.sketch.maximum == 64)
        #expect(city.counts.map(\.value) == ["Paris", "Lille", "Lyon", "Nice"])
        #expect(city.counts.map(\.count) == [23, 11, 11, 11])
        #expect(profile.feature("city")?.missing == 4, "? is a missing marker")
    }

    @Test("predictions, confidence and baseline performance")
    func outcomes() throws {
        let (profile, _, _) = try Self.profile()
        let prediction = try #require(profile.prediction)
        #expect(Dictionary(uniqueKeysWithValues: prediction.classes.map { ($0.value, $0.count) }) == ["no": 30, "yes": 30])
        let confidence = try #require(prediction.confidence)
        #expect(confidence.moments.count == 60)
        #expect(confidence.moments.min >= 0.5, "the top class has at least half the probability")
        let performance = try #require(profile.performance)
        #expect(performance.labelled == 60)
        #expect(performance.metric("accuracy") == 0.75)
        // Mann-Whitney over p_yes for label yes (31) against no (29), ties half:
        // sum((p > n) + 0.5 * (p == n)) / (31 * 29) in Python = 0.7374860956618465.
        #expect(abs((performance.metric("roc_auc") ?? 0) - 0.7374860956618465) < 1e-12)
        let reservoir = try #require(profile.reservoir)
        #expect(reservoir.columns == ["age", "income", "city"] && reservoir.rows.count == 60)
    }

    @Test("the JSON round-trips: a profile read back writes the same JSON")
    func roundTrip() throws {
        let (profile, bytes, _) = try Self.profile()
        #expect(profile.json() + [0x0A] == bytes)
    }

    @Test("the written profile validates against schemas/reference-profile.schema.json (Python jsonschema)")
    func schema() throws {
        let (_, _, path) = try Self.profile()
        let outcomes = try SchemaValidation.validate(files: [path], schema: "reference-profile.schema.json")
        #expect(outcomes.allSatisfy { $0.valid }, "\(outcomes.flatMap { $0.errors })")
    }

    @Test("usage errors name the problem")
    func errors() throws {
        let unknown = try Self.run(["profile", "--data", Self.fixture, "--model-id", "m", "--model-version", "1", "--label-column", "target", "--out", "/dev/null"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no column target"))
        let missing = try Self.run(["profile", "--data", "/nonexistent.csv", "--model-id", "m", "--model-version", "1", "--out", "/dev/null"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent.csv"))
    }

    @Test("a damaged profile is refused with the reason, never used")
    func damaged() throws {
        let (_, bytes, _) = try Self.profile()
        var text = String(decoding: bytes, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"kll_base64\":\"", with: "\"kll_base64\":\"AAAA")
        #expect(throws: ProfileError.self) { try ReferenceProfile(json: Array(text.utf8), path: "damaged.json") }
        #expect(throws: ProfileError.self) { try ReferenceProfile(json: Array("{\"kind\":\"other\"}".utf8), path: "x") }
    }

    @Test("columns without any value profile without error and read back")
    func emptyColumns() throws {
        let profile = try ReferenceProfileBuilder().build(
            modelID: "m", modelVersion: "1", createdAt: 0, source: nil,
            columns: [.numeric(name: "x", values: [.nan, .nan]), .categorical(name: "c", values: [nil, nil])])
        #expect(profile.features.map(\.count) == [0, 0])
        #expect(profile.features.map(\.missing) == [2, 2])
        let back = try ReferenceProfile(json: profile.json(), path: "memory")
        #expect(back.json() == profile.json())
        #expect(throws: ProfileError.self) {
            try ReferenceProfileBuilder().build(modelID: "m", modelVersion: "1", createdAt: 0, source: nil,
                                                columns: [.numeric(name: "x", values: [1]), .categorical(name: "c", values: [nil, nil])])
        }
    }
}
