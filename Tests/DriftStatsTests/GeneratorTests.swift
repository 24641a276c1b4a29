import Testing
import DriftStats
import DriftTestSupport

/// The SplitMix64 generator and the golden distributions reproduce `generator.json` bit for bit.
@Suite struct GeneratorTests {
    @Test func splitMixMatchesGoldenOutputsAndUniforms() throws {
        let file = try Golden.file("generator")
        let vectors = try #require(file["splitmix64"] as? [[String: Any]])
        #expect(vectors.count >= 5)
        for vector in vectors {
            let seed = try #require(GoldenJSON.uint64(vector["seed"]))
            let expected = try #require(vector["uint64_dec"] as? [String]).compactMap { UInt64($0) }
            let uniforms = try #require(GoldenJSON.doubles(vector["uniform"]))
            var rng = SplitMix64(seed: seed)
            #expect(expected.map { _ in rng.next() } == expected, "seed \(seed)")
            var rng2 = SplitMix64(seed: seed)
            // Tolerance: exact (bitwise) — the uniform is an exact scaling of the top 53 bits.
            #expect(uniforms.map { _ in rng2.nextUniform() } == uniforms, "seed \(seed)")
        }
    }

    @Test func publishedSplitMixCheckValues() {
        var rng = SplitMix64(seed: 1_234_567)
        let outputs = (0..<5).map { _ in rng.next() }
        #expect(outputs == [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ])
    }

    @Test func distributionsMatchGoldenSamplesBitForBit() throws {
        let file = try Golden.file("generator")
        let distributions = try #require(file["distributions"] as? [[String: Any]])
        #expect(!distributions.isEmpty)
        for entry in distributions {
            let generator = try #require(entry["generator"] as? [String: Any])
            let spec = try #require(GoldenGeneratorSpec(json: generator))
            let expected = try #require(GoldenJSON.doubles(entry["values"]))
            let produced = spec.generate()
            #expect(produced.map(\.bitPattern) == expected.map(\.bitPattern), "\(spec.distribution) seed \(spec.seed)")
        }
    }
}
