import DriftContracts
public import DriftJSON

extension DriftSignal {
    /// Reads the parts of a drift event the trigger policy needs; nil when the payload is not a drift event.
    public init?(driftEvent bytes: [UInt8]) {
        guard let root = try? JSONValue.parse(bytes), root["schema_version"]?.stringValue == "1",
              let eventID = root["event_id"]?.stringValue, let model = root["model_id"]?.stringValue,
              let version = root["model_version"]?.stringValue, let severity = root["severity"]?.stringValue
        else { return nil }
        var triggers: [Trigger] = []
        func collect(_ scope: String, _ list: JSONValue?) {
            for trigger in list?.arrayValue ?? [] {
                guard let metric = trigger["metric"]?.stringValue, let level = trigger["severity"]?.stringValue else { continue }
                triggers.append(Trigger(scope: scope, metric: metric, severity: level, value: trigger["value"]?.doubleValue))
            }
        }
        for feature in root["features"]?.arrayValue ?? [] { collect(feature["name"]?.stringValue ?? "?", feature["triggers"]) }
        collect("prediction", root["prediction"]?["triggers"])
        let performance = root["performance"]
        collect("performance", performance?["triggers"])
        // The monitor names macro averages `f1_macro`, `precision_macro`, `recall_macro`; the policies use
        // DriftLearn's names (`f1`, `precision`, `recall`): both are kept.
        func numbers(_ value: JSONValue?) -> [String: Double] {
            var result: [String: Double] = [:]
            for (name, number) in value?.objectValue ?? [] {
                result[name] = number.doubleValue
                if name.hasSuffix("_macro") { result[String(name.dropLast("_macro".count))] = number.doubleValue }
            }
            return result
        }
        self.init(eventID: eventID, modelID: model, modelVersion: version, severity: severity, triggers: triggers,
                  performance: numbers(performance?["metrics"]), baseline: numbers(performance?["baseline"]),
                  labelled: performance?["labelled"]?.intValue ?? 0,
                  windowEnd: root["window"]?["end"]?.stringValue.flatMap(EventTimestamp.parse) ?? 0)
    }
}
