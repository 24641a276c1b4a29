import DriftContracts
import DriftTestSupport
import Foundation
import Testing

/// The fuzzing corpora of the event decoders (`Fuzz/Corpus/inference-event`, `Fuzz/Corpus/feedback-event`,
/// docs/fuzzing.md) replayed through the decoders as the monitor builds them: every seed either decodes or is
/// refused with a `ContractViolation` (typed throws: nothing else can escape, and nothing may trap). Inputs a
/// fuzzer found crashing are fixtures of the test target of the code they crashed.
@Suite("Fuzz regressions: event decoders")
struct FuzzRegressionTests {
    static let corpus = SchemaValidation.packageRoot.appendingPathComponent("Fuzz/Corpus")

    /// Every file of the target's corpus folder, sorted (none when absent).
    static func inputs(_ target: String) -> [URL] {
        let folder = corpus.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
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

    /// Replays a target's seeds: at least `files` of them, at least `decoded` decoding, and the examples copied from
    /// schemas/examples keeping the verdict their names give (`-valid`, `-invalid-`). The verdict with a full symbol
    /// table (the second) is not compared: with every name mapped to the overflow symbol, duplicate names and a label
    /// outside the classes go undetected (docs/fuzzing.md); it runs so that nothing traps on that path either.
    static func checkSeeds(_ target: String, files minimumFiles: Int, decoded minimumDecoded: Int,
                           _ verdicts: ([UInt8]) -> [ContractViolation?]) throws {
        let files = inputs(target)
        #expect(files.count >= minimumFiles)
        var decoded = 0
        for file in files {
            let verdict = verdicts(Array(try Data(contentsOf: file)))[0]
            if verdict == nil { decoded += 1 }
            let name = file.lastPathComponent
            if name.contains("-valid") { #expect(verdict == nil, "\(name)") }
            if name.contains("-invalid-") { #expect(verdict != nil, "\(name)") }
        }
        #expect(decoded >= minimumDecoded)
    }

    @Test("every inference-event seed decodes or is refused with a reason")
    func inferenceSeeds() throws {
        try Self.checkSeeds("inference-event", files: 20, decoded: 5, Self.inferenceVerdicts)
    }

    @Test("every feedback-event seed decodes or is refused with a reason")
    func feedbackSeeds() throws {
        try Self.checkSeeds("feedback-event", files: 5, decoded: 3, Self.feedbackVerdicts)
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
