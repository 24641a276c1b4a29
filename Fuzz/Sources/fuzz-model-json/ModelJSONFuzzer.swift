import DriftJSON
import DriftLearn
import FuzzSupport

/// Model documents (`TrainedClassifier(json:)`, `TrainedRegressor(json:)`: the registry's `model.json`,
/// which `driftwatch serve` loads on every promotion) on arbitrary text. Every input decodes or throws a
/// `LearnError`. What decodes must round-trip (`==`) and predict a small table of ordinary and odd values
/// (missing, unknown categories, huge numbers) without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let document = try? JSONValue.parse(FuzzInput.bytes(data, size)) else { return 0 }
    if TrainedRegressor.isRegressor(document) {
        guard let model = try? TrainedRegressor(json: document) else { return 0 }
        guard (try? TrainedRegressor(json: model.json())) == model else { FuzzInput.fail("regressor round trip") }
        if let table = table(model.featureKinds) { _ = try? model.predict(table) }
    } else {
        guard let model = try? TrainedClassifier(json: document) else { return 0 }
        guard (try? TrainedClassifier(json: model.json())) == model else { FuzzInput.fail("classifier round trip") }
        if let table = table(model.featureKinds) {
            _ = try? model.predict(table)
            _ = try? model.probabilities(table)
        }
    }
    return 0
}

/// Four rows for the model's inputs: an ordinary value, a missing one, an extreme one, an unknown category.
private func table(_ kinds: [(name: String, numeric: Bool)]) -> TrainingTable? {
    var seen: Set<String> = []
    var columns: [(name: String, values: FeatureValues)] = []
    for (name, numeric) in kinds where seen.insert(name).inserted {
        columns.append((name, numeric ? .numeric([1, .nan, 1e308, -0.0]) : .categorical(["a", nil, "<unknown>", ""])))
    }
    return try? TrainingTable(columns)
}

/// The entry point SwiftPM's debug link expects (see ``FuzzInput/runDriver(_:_:_:)``); a release build uses libFuzzer's `main`.
@_cdecl("fuzz_model_json_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzInput.runDriver(argc, argv) { data, size in fuzz(data ?? FuzzInput.empty, size) }
}
