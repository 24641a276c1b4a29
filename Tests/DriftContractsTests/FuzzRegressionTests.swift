import DriftContracts
import DriftTestSupport
import Foundation
import Testing

/// The fuzzing corpora of the event decoders (`Fuzz/Corpus/inference-event`, `Fuzz/Corpus/feedback-event`,
/// docs/fuzzing.md) replayed through the decoders as the monitor builds them: every seed either decodes or is
/// refused with a `ContractViolation` (typed throws: nothing else can escape, and nothing may trap). Inputs a
/// fuzzer found crashing go in `Fuzz/Regressions/<target>/` and are replayed here too.
@Suite("Fuzz regressions: event decoders")
struct FuzzRegressionTests {
    static let corpus = SchemaValidation.packageRoot.appendingPathComponent("Fuzz/Corpus")
    static let regressions = SchemaValidation.packageRoot.appendingPathComponent("Fuzz/Regressions")

    /// Every file of `directory` under the corpus and regression folders, sorted (none when absent).
    static func inputs(_ directory: String) -> [URL] {
        [corpus, regressions].flatMap { base -> [URL] in
            let folder = base.appendingPathComponent(directory)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.sorted().map { folder.appendingPathComponent($0) }
        }
    }

    /// The verdict of both decoders (a fresh symbol table, and one that is already full, as in the fuzz targets).
    static func inferenceVerdicts(_ bytes: [UInt8]) -> [ContractViolation?] {
        [1 << 20, 2].map { capacity in
            var decoder = InferenceEventDecoder(symbols: SymbolTable(capacity: capacity), limits: DecoderLimits())
            var event = InferenceEvent()
            do throws(ContractViolation) {
                try decoder.decode(bytes, into: &event)
                return nil
            } catch {
                return error
            }
        }
    }

    static func feedbackVerdicts(_ bytes: [UInt8]) -> [ContractViolation?] {
        [1 << 20, 2].map { capacity in
            var decoder = FeedbackEventDecoder(symbols: SymbolTable(capacity: capacity), limits: DecoderLimits())
            do throws(ContractViolation) {
                _ = try decoder.decode(bytes)
                return nil
            } catch {
                return error
            }
        }
    }

    @Test("every inference-event seed decodes or is refused with a reason")
    func inferenceSeeds() throws {
        let files = Self.inputs("inference-event")
        #expect(files.count >= 20)
        var decoded = 0
        for file in files {
            // The verdict with a full symbol table (verdicts[1]) is not compared: with every name mapped to
            // the overflow symbol, duplicate names and a label outside the classes go undetected (docs/fuzzing.md).
            let verdicts = Self.inferenceVerdicts(Array(try Data(contentsOf: file)))
            if verdicts[0] == nil { decoded += 1 }
            // The seeds copied from schemas/examples keep their verdict in the name.
            if file.lastPathComponent.contains("-valid-") { #expect(verdicts[0] == nil, "\(file.lastPathComponent)") }
            if file.lastPathComponent.contains("-invalid-") { #expect(verdicts[0] != nil, "\(file.lastPathComponent)") }
        }
        #expect(decoded >= 5)
    }

    @Test("every feedback-event seed decodes or is refused with a reason")
    func feedbackSeeds() throws {
        let files = Self.inputs("feedback-event")
        #expect(files.count >= 5)
        var decoded = 0
        for file in files {
            let verdicts = Self.feedbackVerdicts(Array(try Data(contentsOf: file)))
            if verdicts[0] == nil { decoded += 1 }
            if file.lastPathComponent.contains("-valid") { #expect(verdicts[0] == nil, "\(file.lastPathComponent)") }
            if file.lastPathComponent.contains("-invalid-") { #expect(verdicts[0] != nil, "\(file.lastPathComponent)") }
        }
        #expect(decoded >= 3)
    }

    @Test("a seed truncated at every length is refused as malformed JSON, never trapped on")
    func truncatedSeeds() throws {
        for file in Self.inputs("inference-event") + Self.inputs("feedback-event") {
            let bytes = Array(try Data(contentsOf: file))
            guard Self.inferenceVerdicts(bytes)[0] == nil || Self.feedbackVerdicts(bytes)[0] == nil else { continue }
            let trimmed = bytes.count - bytes.reversed().prefix { $0 == 0x0A || $0 == 0x20 }.count
            for length in 0..<trimmed {
                let prefix = Array(bytes[0..<length])
                #expect(Self.inferenceVerdicts(prefix)[0]?.reason == .malformedJSON, "\(file.lastPathComponent) cut at \(length)")
                #expect(Self.feedbackVerdicts(prefix)[0]?.reason == .malformedJSON, "\(file.lastPathComponent) cut at \(length)")
            }
        }
    }
}
