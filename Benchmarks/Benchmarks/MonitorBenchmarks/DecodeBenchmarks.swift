import Benchmark
import DriftContracts
import Foundation

/// Inference events of about 400 bytes (20 numeric and 5 categorical features, two class probabilities):
/// 100,000 per iteration for Driftwatch's decoder, 10,000 for Foundation's JSONDecoder (the baseline, about
/// 40 times slower). Events per second = events per iteration / wall clock.
func registerDecodeBenchmarks() {
    let payloads = DecodeFixture.payloads
    let payloadData = payloads.prefix(10_000).map { Data($0) }

    Benchmark("Decode_driftwatch_100k") { benchmark in
        var decoder = InferenceEventDecoder()
        var event = InferenceEvent()
        var checksum = 0.0
        for payload in payloads {
                do throws(ContractViolation) {
                    try decoder.decode(payload, into: &event)
                } catch {
                    fatalError("benchmark payload refused: \(error)")  // fixture check, not a data path
                }
                checksum += event.probabilities[0]
        }
        blackHole(checksum)
    }

    Benchmark("Decode_JSONDecoder_10k") { benchmark in
        let decoder = JSONDecoder()
        var checksum = 0.0
        for payload in payloadData {
                let event = try decoder.decode(FoundationInferenceEvent.self, from: payload)
                checksum += event.prediction.probabilities?.values.first ?? 0
        }
        blackHole(checksum)
    }
}

/// The same event as a Codable struct, for Foundation's JSONDecoder (the baseline).
struct FoundationInferenceEvent: Decodable {
    enum FeatureValue: Decodable {
        case number(Double), string(String), null
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let number = try? container.decode(Double.self) { self = .number(number) }
            else { self = .string(try container.decode(String.self)) }
        }
    }
    struct Prediction: Decodable {
        let label: String?
        let probabilities: [String: Double]?
        let score: Double?
    }
    let event_id: String
    let model_id: String
    let model_version: String
    let timestamp: String
    let features: [String: FeatureValue]
    let prediction: Prediction
}

enum DecodeFixture {
    /// 100 distinct payloads repeated to 100,000 (the decoder interns names and categories, as in production).
    static let payloads: [[UInt8]] = {
        let distinct = (0..<100).map { index -> [UInt8] in
            var features: [(String, InferenceRecord.Value)] = []
            for k in 0..<20 {
                let value = Double((index * 7919 + k * 104_729) % 100_000) / 1_000
                features.append((String(format: "f%02d", k), .number(value)))
            }
            let categories = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
            for k in 0..<5 { features.append(("c\(k)", .string(categories[(index + k) % categories.count]))) }
            let p = Double((index * 31) % 100) / 100
            let record = InferenceRecord(
                eventID: "a81bc81b-dead-4e5d-abff-\(String(format: "%012d", index))", modelID: "fraud-model", modelVersion: "3",
                timestamp: 1_795_429_004_000 + Int64(index), features: features,
                predictedLabel: p >= 0.5 ? "fraud" : "legit", probabilities: [("fraud", p), ("legit", 1 - p)])
            return record.json()
        }
        return (0..<100_000).map { distinct[$0 % distinct.count] }
    }()
}
