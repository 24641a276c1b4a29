import DriftContracts
import DriftTestSupport
import Foundation
import Testing

/// Every kind of payload the project emits validates against `schemas/` with the real `jsonschema`.
@Suite("Emitted payloads validate against schemas/")
struct EmittedPayloadSchemaTests {
    @Test("inference and feedback records as producers write them")
    func records() throws {
        let inference = [
            Samples.record(index: 0),
            Samples.record(index: 1, timestampAsText: false),
            InferenceRecord(eventID: "r-1", modelID: "house", modelVersion: "2", timestamp: 0, features: [("rooms", .number(3))], score: 1.5e5),
            InferenceRecord(eventID: "q\"\\\n\u{1}é", modelID: "m", modelVersion: "1", timestamp: 1_795_429_004_123,
                            features: [("naïve name", .string("tab\there")), ("gone", .null)], predictedLabel: "a",
                            probabilities: [("a", 0.6), ("b", 0.4)], label: "b", segments: [("region", "eu")],
                            latencyMilliseconds: 2.5, shadow: true),
        ]
        let outcomes = try SchemaValidation.validate(documents: inference.map { $0.json() }, schema: "inference-event.schema.json")
        #expect(outcomes.allSatisfy { $0.valid }, "\(outcomes.flatMap { $0.errors })")
        let feedback = [FeedbackRecord(eventID: "e", modelID: "m", label: ">50K", timestamp: 1_795_429_004_123)]
        let feedbackOutcomes = try SchemaValidation.validate(documents: feedback.map { $0.json() }, schema: "feedback-event.schema.json")
        #expect(feedbackOutcomes.allSatisfy { $0.valid }, "\(feedbackOutcomes.flatMap { $0.errors })")
    }

    @Test("dead-letter records for every reason, with and without a key, whole and truncated")
    func deadLetters() throws {
        var documents: [[UInt8]] = []
        for (index, reason) in ViolationReason.allCases.enumerated() {
            let payload = index == 0 ? [UInt8](repeating: 0x41, count: DeadLetterRecord.maximumKeptBytes + 10) : Array("{\"bad\": \(index)".utf8)
            let record = payload.withUnsafeBytes {
                DeadLetterRecord(
                    eventType: "inference", violation: ContractViolation(reason, path: "features.x", "why \(index)"),
                    sourceTopic: "inference-events", sourcePartition: Int32(index), sourceOffset: Int64(index * 100),
                    key: index % 2 == 0 ? nil : Array("key-\(index)".utf8), payload: $0, detectedAt: 1_795_429_004_123)
            }
            if index == 0 { #expect(record.truncated) }
            let json = record.json()
            // The original bytes come back from payload_base64 (the kept prefix when truncated).
            let object = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]
            let kept = (object?["payload_base64"] as? String).flatMap { Data(base64Encoded: $0) }
            #expect(kept.map(Array.init) == Array(payload.prefix(DeadLetterRecord.maximumKeptBytes)))
            #expect(object?["payload_size"] as? Int == payload.count)
            documents.append(json)
        }
        let outcomes = try SchemaValidation.validate(documents: documents, schema: "dead-letter.schema.json")
        #expect(outcomes.count == ViolationReason.allCases.count)
        #expect(outcomes.allSatisfy { $0.valid }, "\(outcomes.flatMap { $0.errors })")
    }
}
