import Foundation
import Testing
@testable import DriftStats
import DriftTestSupport

/// Binary format of `KLLSketch`: round trips, golden bytes, validation errors and fuzzing.
@Suite struct KLLSketchSerializationTests {
    /// The input of the golden fixture: 1,000 `normal12` values (seed 2024) into k = 16, seed 42.
    static func goldenSketch() throws -> KLLSketch {
        var spec = GoldenGeneratorSpec(distribution: "normal12", count: 1_000, seed: 2024)
        spec.scale = 10
        return try KLLSketch.make(k: 16, seed: 42, spec.generate())
    }

    static let fixtureName = "k16_seed42_normal12_n1000_seed2024"

    /// The bytes of a hex fixture (`#` comment lines and whitespace ignored).
    static func fixtureBytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "hex", subdirectory: "Fixtures/kll"))
        let text = try String(contentsOf: url, encoding: .utf8)
        var hex = ""
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            hex += line.filter { !$0.isWhitespace }
        }
        var bytes = [UInt8]()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(try #require(UInt8(hex[index..<next], radix: 16)))
            index = next
        }
        return bytes
    }

    /// Valid encodings of assorted sketches (empty, one value, exact, estimation, merged).
    static func sampleSketches() throws -> [KLLSketch] {
        var sketches: [KLLSketch] = [try KLLSketch(k: 8), try KLLSketch(k: 200, seed: 5)]
        var one = try KLLSketch(k: 8, seed: 1)
        one.update(-0.0)
        sketches.append(one)
        sketches.append(try KLLSketch.make(k: 200, seed: 2, KLLStreams.values(count: 150, seed: 1, shape: 3)))
        for (i, k) in [8, 33, 200].enumerated() {
            sketches.append(try KLLSketch.make(k: k, seed: UInt64(i), KLLStreams.values(count: 20_000, seed: UInt64(i), shape: i)))
        }
        var merged = try KLLSketch.make(k: 50, seed: 3, KLLStreams.values(count: 7_000, seed: 4, shape: 2))
        try merged.merge(try KLLSketch.make(k: 20, seed: 4, KLLStreams.values(count: 9_000, seed: 5, shape: 4)))
        sketches.append(merged)
        return sketches
    }

    @Test func roundTripPreservesEverything() throws {
        for sketch in try Self.sampleSketches() {
            let bytes = sketch.serialized()
            #expect(bytes.count == 8 + 52 + 4 * sketch.numLevels + 8 * sketch.retainedCount)
            let decoded = try KLLSketch(serialized: bytes)
            #expect(decoded == sketch)
            #expect(decoded.testOnly_verifyInvariants())
            #expect(decoded.serialized() == bytes)
            #expect(decoded.k == sketch.k && decoded.minK == sketch.minK && decoded.count == sketch.count)
            #expect(decoded.minimum.bitPattern == sketch.minimum.bitPattern)
            #expect(decoded.maximum.bitPattern == sketch.maximum.bitPattern)
            // The generator state travels along: both continue identically.
            var original = sketch
            var restored = decoded
            let more = KLLStreams.values(count: 5_000, seed: 99, shape: 1)
            original.update(contentsOf: more)
            restored.update(contentsOf: more)
            #expect(original == restored)
            #expect(original.serialized() == restored.serialized())
        }
        #expect(try KLLSketch(k: 8).serialized().count == 64)
    }

    @Test func goldenBytesAreStable() throws {
        // Tolerance: byte-exact. The fixture pins the format and the deterministic algorithm
        // (capacities, compaction order, random offsets); a change here is a format break.
        let expected = try Self.fixtureBytes(Self.fixtureName)
        let sketch = try Self.goldenSketch()
        #expect(sketch.serialized() == expected)
        let decoded = try KLLSketch(serialized: expected)
        #expect(decoded == sketch)
        #expect(decoded.count == 1_000 && decoded.k == 16 && decoded.isEstimationMode)
        // Header: "DW", tag 1, version 1, flags 0, reserved 0.
        #expect(Array(expected.prefix(8)) == [0x44, 0x57, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00])
    }

    @Test func headerErrors() throws {
        let bytes = try Self.goldenSketch().serialized()
        var wrongMagic = bytes
        wrongMagic[0] = 0x45
        #expect(throws: BinaryFormatError.self) { try KLLSketch(serialized: wrongMagic) }
        var wrongTag = bytes
        wrongTag[2] = 2
        #expect(throws: BinaryFormatError.wrongType(expected: 1, found: 2)) { try KLLSketch(serialized: wrongTag) }
        var newerVersion = bytes
        newerVersion[4] = 2
        #expect(throws: BinaryFormatError.unsupportedVersion(found: 2, supported: 1)) { try KLLSketch(serialized: newerVersion) }
        var flags = bytes
        flags[5] = 1
        #expect(throws: BinaryFormatError.invalidField(name: "flags", reason: "must be zero, found 1")) {
            try KLLSketch(serialized: flags)
        }
        #expect(throws: BinaryFormatError.self) { try KLLSketch(serialized: []) }
    }

    @Test func truncationTrailingBytesAndChecksum() throws {
        let bytes = try Self.goldenSketch().serialized()
        for length in 0..<bytes.count {
            #expect(throws: BinaryFormatError.self) { try KLLSketch(serialized: Array(bytes.prefix(length))) }
        }
        let cut = Array(bytes.dropLast(5))
        do {
            _ = try KLLSketch(serialized: cut)
            Issue.record("a truncated encoding was accepted")
        } catch {
            guard case .truncated = error else { Issue.record("expected .truncated, got \(error)"); return }
        }
        #expect(throws: BinaryFormatError.trailingBytes(count: 1)) { try KLLSketch(serialized: bytes + [0]) }
        var flipped = bytes
        flipped[100] ^= 0x10
        do {
            _ = try KLLSketch(serialized: flipped)
            Issue.record("a corrupted encoding was accepted")
        } catch {
            guard case .checksumMismatch = error else { Issue.record("expected .checksumMismatch, got \(error)"); return }
        }
    }

    /// Each crafted body (with a valid CRC) must be rejected with `invalidField(name:…)`.
    @Test func semanticValidationOfResealedBodies() throws {
        let bytes = try Self.goldenSketch().serialized()
        let fields = try #require(KLLBytes.decode(bytes))
        #expect(KLLBytes.encode(fields, header: bytes) == bytes)
        let cases: [(String, (inout KLLEncodedFields) -> Void)] = [
            ("k", { $0.k = 7 }),
            ("minK", { $0.minK = $0.k + 1 }),
            ("minK", { $0.minK = 7 }),
            ("reserved", { $0.reserved = 1 }),
            ("randomBitsLeft", { $0.randomBitsLeft = 65 }),
            ("randomBits", { $0.randomBitsLeft = 3; $0.randomBits = 0xFF }),
            ("n", { $0.n += 1 }),
            ("min/max", { $0.minimum = .nan }),
            ("min/max", { $0.minimum = $0.maximum + 1 }),
            ("min/max", { $0.minimum = ($0.items.min() ?? 0) + 1e-9 }),
            ("min/max", { $0.maximum = .infinity }),
            ("items", { $0.items[$0.items.count - 1] = .nan }),
            ("items", { $0.items[$0.items.count - 1] = -.infinity }),
            ("items", { fields in
                // Swap two distinct items of the top (sorted) level.
                let count = fields.items.count
                let top = Int(fields.levelSizes[fields.levelSizes.count - 1])
                fields.items.swapAt(count - top, count - 1)
            }),
            ("n", { fields in
                // Move the top level's items to level 0 — weights no longer add up to n.
                let top = fields.levelSizes.count - 1
                fields.levelSizes[0] += fields.levelSizes[top]
                fields.levelSizes[top] = 0
            }),
            ("levels", { fields in
                // Far more items than the capacity: one level-0 item per unit of count.
                fields.numLevels = 1
                fields.levelSizes = [UInt32(fields.n)]
                fields.items = [Double](repeating: fields.minimum, count: Int(fields.n))
            }),
            ("numLevels", { $0.numLevels = 0; $0.levelSizes = [] }),
            ("numLevels", { $0.numLevels = 65; $0.levelSizes += [UInt32](repeating: 0, count: 65 - $0.levelSizes.count) }),
        ]
        for (field, modify) in cases {
            let crafted = KLLBytes.reencode(bytes, modify)
            do {
                _ = try KLLSketch(serialized: crafted)
                Issue.record("crafted \(field) was accepted")
            } catch {
                guard case .invalidField(let name, _) = error else {
                    Issue.record("crafted \(field): expected invalidField, got \(error)")
                    continue
                }
                #expect(name == field)
            }
        }
        // An empty sketch must carry NaN extremes.
        let empty = try KLLSketch(k: 8).serialized()
        let badEmpty = KLLBytes.reencode(empty) { $0.minimum = 0; $0.maximum = 0 }
        #expect(throws: BinaryFormatError.self) { try KLLSketch(serialized: badEmpty) }
    }

    /// Thousands of truncations and bit flips (raw, and re-sealed with a valid CRC so that the field
    /// validation is exercised) must throw or give a sketch that satisfies every invariant and
    /// keeps working — never crash.
    @Test func fuzzedEncodingsThrowOrAreValid() throws {
        let encodings = try Self.sampleSketches().map { $0.serialized() } + [try Self.goldenSketch().serialized()]
        var rng = SplitMix64(seed: 0xF0_22)
        var accepted = 0
        var rejected = 0
        for trial in 0..<4_000 {
            var bytes = encodings[trial % encodings.count]
            switch rng.nextBounded(4) {
            case 0:
                bytes = Array(bytes.prefix(Int(rng.nextBounded(UInt64(bytes.count)))))
            case 1:
                for _ in 0...rng.nextBounded(3) {
                    let bit = Int(rng.nextBounded(UInt64(bytes.count * 8)))
                    bytes[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
                }
            case 2:
                // Flip bits in the body and fix the checksum.
                for _ in 0...rng.nextBounded(2) {
                    let bit = 64 + Int(rng.nextBounded(UInt64((bytes.count - 8) * 8)))
                    bytes[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
                }
                bytes = KLLBytes.reseal(bytes)
            default:
                // Overwrite a byte of the fixed fields or level sizes and fix the checksum.
                let position = 8 + Int(rng.nextBounded(UInt64(min(bytes.count - 8, 48 + 4 * 8))))
                bytes[position] = UInt8(truncatingIfNeeded: rng.next())
                bytes = KLLBytes.reseal(bytes)
            }
            do {
                var sketch = try KLLSketch(serialized: bytes)
                accepted += 1
                #expect(sketch.testOnly_verifyInvariants(), "trial \(trial)")
                _ = sketch.rank(0)
                _ = sketch.quantiles([0, 0.5, 1])
                _ = sketch.pmf([-1, 0, 1])
                sketch.update(contentsOf: KLLStreams.values(count: 300, seed: UInt64(trial), shape: trial))
                try sketch.merge(sketch)
                #expect(sketch.testOnly_verifyInvariants(), "trial \(trial) after updates")
                #expect(try KLLSketch(serialized: sketch.serialized()) == sketch)
            } catch let error as BinaryFormatError {
                rejected += 1
                _ = error.description
            } catch {
                // A merge of a decoded sketch with itself may overflow a crafted count.
                #expect(error as? SketchError == .countOverflow, "trial \(trial): \(error)")
            }
        }
        #expect(rejected > 0)
        #expect(accepted + rejected == 4_000)
    }
}
