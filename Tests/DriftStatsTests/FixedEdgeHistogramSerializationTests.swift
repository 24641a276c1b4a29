import Testing
@testable import DriftStats
import DriftTestSupport

/// FixedEdgeHistogram binary format v1: a byte-level fixture, round trips, and a reader that rejects every
/// malformed input with a typed error instead of trapping.
@Suite struct FixedEdgeHistogramSerializationTests {
    /// Format pin: edges [0.5, 1.5], counts [1, 2, 3], nanCount 4, missingCount 5, total 6. Written
    /// independently with Python `struct.pack('<HHBBH' 'Q' 'dd' 'QQQ' 'QQQ')` + `zlib.crc32`.
    static let fixture: [UInt8] = [
        0x44, 0x57, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE0, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x7E, 0x23, 0x84, 0xD9,
    ]

    private func fixtureHistogram() throws -> FixedEdgeHistogram {
        var h = try FixedEdgeHistogram(innerEdges: [0.5, 1.5])
        h.update(contentsOf: [0, 1, 1, 2, 2, 2, .nan, .nan, .nan, .nan])
        h.recordMissing(5)
        return h
    }

    /// Hand-built encoding with a valid CRC, to reach the validators behind the checksum.
    private func encode(edges: [Double], counts: [UInt64], nan: UInt64 = 0, missing: UInt64 = 0, total: UInt64? = nil,
                        edgeCount: UInt64? = nil, version: UInt8 = 1, flags: UInt8 = 0) -> [UInt8] {
        var w = BinaryWriter()
        FormatHeader(tag: .fixedEdgeHistogram, version: version, flags: flags).write(to: &w)
        w.write(edgeCount ?? UInt64(edges.count))
        for e in edges { w.write(e) }
        for c in counts { w.write(c) }
        w.write(nan)
        w.write(missing)
        w.write(total ?? counts.reduce(0, +))
        w.write(CRC32.checksum(w.bytes))
        return w.bytes
    }

    private func isInvalidField(_ bytes: [UInt8], _ name: String) -> Bool {
        do {
            _ = try FixedEdgeHistogram(serialized: bytes)
            return false
        } catch {
            if case .invalidField(let field, _) = error { return field == name }
            return false
        }
    }

    @Test func matchesTheFormatFixture() throws {
        let h = try fixtureHistogram()
        #expect(h.serialized() == Self.fixture)
        let decoded = try FixedEdgeHistogram(serialized: Self.fixture)
        #expect(decoded == h)
        #expect(decoded.counts == [1, 2, 3] && decoded.nanCount == 4 && decoded.missingCount == 5 && decoded.total == 6)
        #expect(decoded.testOnly_verifyInvariants())
    }

    @Test func roundTrips() throws {
        var rng = SplitMix64(seed: 99)
        let reference = (0..<2000).map { _ in rng.nextUniform() * 10 - 5 }
        var big = try FixedEdgeHistogram(reference: reference, bins: 20)
        big.update(contentsOf: reference + [.nan, .infinity, -.infinity, 1e300])
        big.recordMissing(3)
        let cases = [try FixedEdgeHistogram(innerEdges: []), try FixedEdgeHistogram(innerEdges: [1, 1, 2]), big]
        for original in cases {
            let bytes = original.serialized()
            #expect(bytes.count == 16 * original.innerEdges.count + 52)
            let decoded = try FixedEdgeHistogram(serialized: bytes)
            #expect(decoded == original)
            #expect(decoded.innerEdges.map(\.bitPattern) == original.innerEdges.map(\.bitPattern))
            #expect(decoded.serialized() == bytes)
            #expect(decoded.testOnly_verifyInvariants())
            // A decoded histogram keeps working: updates and merges with the original.
            var merged = decoded
            try merged.merge(original)
            #expect(merged.total == 2 * original.total && merged.testOnly_verifyInvariants())
        }
    }

    @Test func everyTruncationThrows() throws {
        let bytes = try fixtureHistogram().serialized()
        for length in 0..<bytes.count {
            #expect(throws: BinaryFormatError.self) { try FixedEdgeHistogram(serialized: Array(bytes.prefix(length))) }
        }
        #expect(throws: BinaryFormatError.trailingBytes(count: 1)) { try FixedEdgeHistogram(serialized: bytes + [0]) }
    }

    @Test func everySingleBitFlipIsRejected() throws {
        let bytes = try fixtureHistogram().serialized()
        for index in bytes.indices {
            for bit in 0..<8 {
                var corrupt = bytes
                corrupt[index] ^= UInt8(1) << UInt8(bit)
                #expect(throws: BinaryFormatError.self) { try FixedEdgeHistogram(serialized: corrupt) }
            }
        }
    }

    @Test func headerIsValidated() throws {
        let good = encode(edges: [0], counts: [1, 1])
        #expect(try FixedEdgeHistogram(serialized: good).counts == [1, 1])
        #expect(throws: BinaryFormatError.unsupportedVersion(found: 2, supported: 1)) {
            try FixedEdgeHistogram(serialized: encode(edges: [0], counts: [1, 1], version: 2))
        }
        #expect(throws: BinaryFormatError.unsupportedVersion(found: 0, supported: 1)) {
            try FixedEdgeHistogram(serialized: encode(edges: [0], counts: [1, 1], version: 0))
        }
        #expect(isInvalidField(encode(edges: [0], counts: [1, 1], flags: 1), "flags"))
        // Another object's bytes: wrong type tag.
        #expect(throws: BinaryFormatError.wrongType(expected: 2, found: 5)) {
            try FixedEdgeHistogram(serialized: Moments([1, 2]).serialized())
        }
    }

    @Test func semanticFieldsAreValidatedBehindAValidChecksum() {
        #expect(isInvalidField(encode(edges: [1, 0], counts: [0, 0, 0]), "innerEdges"))
        #expect(isInvalidField(encode(edges: [0, .nan], counts: [0, 0, 0]), "innerEdges"))
        #expect(isInvalidField(encode(edges: [.infinity], counts: [0, 0]), "innerEdges"))
        #expect(isInvalidField(encode(edges: [0], counts: [1, 2], total: 4), "total"))
        #expect(isInvalidField(encode(edges: [0], counts: [.max, 2], total: 1), "total"))   // Σ overflows
        // An absurd edge count is rejected before any allocation.
        #expect(isInvalidField(encode(edges: [0], counts: [1, 1], edgeCount: .max), "edgeCount"))
        // A plausible but too large edge count is a truncation, also before allocating.
        #expect(throws: BinaryFormatError.self) {
            try FixedEdgeHistogram(serialized: encode(edges: [0], counts: [1, 1], edgeCount: 1 << 20))
        }
    }

    @Test func randomBytesNeverTrap() {
        var rng = SplitMix64(seed: 17)
        let valid = (try? fixtureHistogram().serialized()) ?? []
        for trial in 0..<2000 {
            var bytes: [UInt8]
            if trial % 2 == 0 {
                bytes = (0..<Int(rng.nextBounded(120))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                // Valid prefix, then noise: exercises the later fields.
                bytes = Array(valid.prefix(Int(rng.nextBounded(UInt64(valid.count + 1)))))
                for _ in 0..<Int(rng.nextBounded(40)) { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
            }
            _ = try? FixedEdgeHistogram(serialized: bytes)
        }
    }
}
