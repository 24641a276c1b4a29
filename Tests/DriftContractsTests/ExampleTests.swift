import DriftContracts
import DriftTestSupport
import Foundation
import Testing

/// `schemas/examples/`: every valid example decodes, every invalid one is refused with the expected reason
/// and path, and the real `jsonschema` agrees with the schema's half of each verdict.
@Suite("Schema examples")
struct ExampleTests {
    static let examples = (try? SchemaExamples.examples()) ?? []

    @Test("the manifest lists every example file, valid and invalid of each kind")
    func manifestIsComplete() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: SchemaExamples.examplesDirectory.path)
            .filter { $0.hasSuffix(".json") && $0 != "manifest.json" }
        #expect(Set(files) == Set(Self.examples.map(\.file)))
        #expect(Self.examples.count >= 20)
        for schema in ["inference-event.schema.json", "feedback-event.schema.json"] {
            #expect(Self.examples.contains { $0.schema == schema && $0.valid })
            #expect(Self.examples.contains { $0.schema == schema && !$0.valid })
        }
    }

    @Test("the decoder's verdict, reason and path", arguments: examples)
    func decoderVerdict(_ example: SchemaExamples.Example) throws {
        let bytes = try SchemaExamples.bytes(of: example)
        var outcome: ContractViolation? = nil
        if example.schema == "inference-event.schema.json" {
            var decoder = InferenceEventDecoder()
            var event = InferenceEvent()
            do throws(ContractViolation) { try decoder.decode(bytes, into: &event) } catch { outcome = error }
        } else {
            var decoder = FeedbackEventDecoder()
            do throws(ContractViolation) { _ = try decoder.decode(bytes) } catch { outcome = error }
        }
        if example.valid {
            #expect(outcome == nil, "\(outcome.map(String.init(describing:)) ?? "")")
        } else {
            #expect(outcome?.reason.rawValue == example.reason, "\(outcome.map(String.init(describing:)) ?? "accepted")")
            #expect(outcome?.path == example.path, "\(outcome.map(String.init(describing:)) ?? "accepted")")
        }
    }

    @Test("jsonschema accepts the valid examples and rejects the invalid ones the schema can express")
    func schemaVerdicts() throws {
        for schema in Set(Self.examples.map(\.schema)) {
            let chosen = Self.examples.filter { $0.schema == schema }
            let outcomes = try SchemaValidation.validate(
                files: chosen.map { SchemaExamples.examplesDirectory.appendingPathComponent($0.file).path }, schema: schema)
            #expect(outcomes.count == chosen.count)
            for (example, outcome) in zip(chosen, outcomes) {
                let expected = example.valid || example.schema_catches == false
                #expect(outcome.valid == expected, "\(example.file): \(outcome.errors)")
            }
        }
    }
}
