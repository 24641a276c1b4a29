import DriftContracts

/// Realistic events: 20 numeric and 5 categorical features, class probabilities (about 400 bytes of JSON).
enum Samples {
    static let categories = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]

    static func record(index: Int, timestampAsText: Bool = true) -> InferenceRecord {
        var features: [(String, InferenceRecord.Value)] = []
        for k in 0..<20 {
            let value = (Double((index * 7919 + k * 104_729) % 100_000) / 1_000).rounded(toPlaces: 3)
            features.append(("f\(k < 10 ? "0" : "")\(k)", .number(value)))
        }
        for k in 0..<5 { features.append(("c\(k)", .string(categories[(index + k) % categories.count]))) }
        let p = Double((index * 31) % 100) / 100
        return InferenceRecord(
            eventID: "evt-\(index)", modelID: "fraud-model", modelVersion: "3",
            timestamp: 1_795_429_004_000 + Int64(index), features: features,
            predictedLabel: p >= 0.5 ? "fraud" : "legit", probabilities: [("fraud", p), ("legit", 1 - p)],
            timestampAsText: timestampAsText)
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
