import Testing
@testable import DriftStats
import DriftTestSupport

/// Builds a body by hand and appends the header and a valid CRC, to reach the semantic validators
/// behind the checksum.
private func encoded(tag: FormatHeader.Tag, version: UInt8 = 1, flags: UInt8 = 0,
                     _ body: (inout BinaryWriter) -> Void) -> [UInt8] {
    var writer = BinaryWriter()
    FormatHeader(tag: tag, version: version, flags: flags).write(to: &writer)
    body(&writer)
    writer.write(CRC32.checksum(writer.bytes))
    return writer.bytes
}

/// Replaces the trailing CRC after an edit, so the edit itself is what the reader sees.
private func resealed(_ bytes: [UInt8]) -> [UInt8] {
    var body = Array(bytes.dropLast(4))
    let crc = CRC32.checksum(body)
    for i in 0..<4 { body.append(UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i)))) }
    return body
}

private func isInvalidField(_ error: BinaryFormatError) -> Bool {
    if case .invalidField = error { return true }
    return false
}

@Suite struct SketchSerializationTests {
    // MARK: Moments

    /// Format pin: `Moments([1, 2, 3, 4])` (count 4, missing 0, mean 2.5, M₂ 5, min 1, max 4). The
    /// bytes were written independently with Python `struct.pack('<HHBBH QQdddd')` and `zlib.crc32`.
    static let momentsFixture: [UInt8] = [
        0x44, 0x57, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x40,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x40, 0xAA, 0xBE, 0x79, 0x4F,
    ]

    @Test func momentsMatchTheFormatFixture() throws {
        #expect(Moments([1, 2, 3, 4]).serialized() == Self.momentsFixture)
        let decoded = try Moments(serialized: Self.momentsFixture)
        #expect(decoded == Moments([1, 2, 3, 4]) && decoded.mean == 2.5 && decoded.variance == 1.25)
    }

    @Test func momentsRoundTrip() throws {
        var withMissing = Moments(GoldenGeneratorSpec(distribution: "lomax1", count: 1_000, seed: 3).generate())
        withMissing.recordMissing(17)
        var onlyMissing = Moments()
        onlyMissing.recordMissing(4)
        let cases = [Moments(), Moments([42]), withMissing, onlyMissing, Moments([1, .infinity, -.infinity, .nan])]
        for original in cases {
            let bytes = original.serialized()
            #expect(bytes.count == 60)
            let decoded = try Moments(serialized: bytes)
            #expect(decoded == original)
            #expect(decoded.serialized() == bytes)
        }
    }

    @Test func momentsRejectTruncatedExtendedAndCorruptedInput() {
        let bytes = Moments([1, 2, 3, 4, 5.5]).serialized()
        for length in 0..<bytes.count {
            #expect(throws: BinaryFormatError.self, "prefix \(length)") { try Moments(serialized: Array(bytes.prefix(length))) }
        }
        #expect(throws: BinaryFormatError.trailingBytes(count: 1)) { try Moments(serialized: bytes + [0]) }
        // CRC-32 detects every error confined to one byte; header bytes fail their own checks first.
        for position in bytes.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var corrupted = bytes
                corrupted[position] ^= mask
                #expect(throws: BinaryFormatError.self, "byte \(position) ^ \(mask)") { try Moments(serialized: corrupted) }
            }
        }
        var badChecksum = bytes
        badChecksum[59] ^= 1
        #expect {
            try Moments(serialized: badChecksum)
        } throws: { error in
            if case .checksumMismatch = error as? BinaryFormatError { return true }
            return false
        }
    }

    @Test func momentsRejectWrongHeaders() throws {
        let counts = try CategoricalCounts(capacity: 3).serialized()
        #expect(throws: BinaryFormatError.wrongType(expected: 5, found: 3)) { try Moments(serialized: counts) }
        var version2 = Moments([1]).serialized()
        version2[4] = 2
        #expect(throws: BinaryFormatError.unsupportedVersion(found: 2, supported: 1)) { try Moments(serialized: resealed(version2)) }
        var flagged = Moments([1]).serialized()
        flagged[5] = 1
        #expect(throws: BinaryFormatError.invalidField(name: "flags", reason: "must be zero in version 1, found 1")) {
            try Moments(serialized: resealed(flagged))
        }
    }

    /// Fields that pass the checksum but break the invariants are rejected, never trusted.
    @Test(arguments: [
        (0 as UInt64, 1.0, 0.0, Double.infinity, -Double.infinity),     // empty with a mean
        (0, 0, 0, 0, 0),                                                // empty with finite extremes
        (3, 2, 1, 3, 1),                                                // min > max
        (3, 2, -1, 1, 3),                                               // negative M2
        (3, 7, 1, 1, 3),                                                // mean outside [min, max]
        (3, .nan, 1, 1, 3),                                             // NaN mean with finite data
        (3, 2, 1, .nan, 3),                                             // NaN minimum
    ])
    func momentsRejectInconsistentFields(count: UInt64, mean: Double, m2: Double, min: Double, max: Double) {
        let bytes = encoded(tag: .moments) { w in
            w.write(count); w.write(UInt64(0)); w.write(mean); w.write(m2); w.write(min); w.write(max)
        }
        #expect(bytes.count == 60)
        #expect(performing: { try Moments(serialized: bytes) }, throws: { error in
            isInvalidField(error as! BinaryFormatError)
        })
    }

    // MARK: CategoricalCounts

    /// Format pin: capacity 4, "a" × 2, "b" × 1, one missing (exact). Written independently with
    /// Python `struct` and `zlib.crc32`.
    static let countsFixture: [UInt8] = [
        0x44, 0x57, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x61, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x62, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1B, 0x64, 0x17, 0xC1,
    ]

    @Test func countsMatchTheFormatFixture() throws {
        var counts = try CategoricalCounts(capacity: 4)
        counts.update("b")
        counts.update("a", count: 2)
        counts.recordMissing()
        #expect(counts.serialized() == Self.countsFixture)
        #expect(try CategoricalCounts(serialized: Self.countsFixture) == counts)
    }

    @Test func countsRoundTripInEveryMode() throws {
        let zipf = ZipfStream(categories: 3_000, exponent: 1.1)
        var exact = try CategoricalCounts(capacity: 5_000)
        var summary = try CategoricalCounts(capacity: 60)
        for x in zipf.sample(count: 8_000, seed: 1) { exact.update(x); summary.update(x) }
        summary.recordMissing(9)
        var merged = summary
        var other = try CategoricalCounts(capacity: 60)
        for x in zipf.sample(count: 4_000, seed: 2) { other.update(x) }
        merged.merge(other)
        var unicode = try CategoricalCounts(capacity: 8)
        for x in ["", "é", "日本", "emoji 🧪", "a\u{0}b"] { unicode.update(x, count: 3) }
        for original in [try CategoricalCounts(), exact, summary, merged, unicode] {
            let bytes = original.serialized()
            var decoded = try CategoricalCounts(serialized: bytes)
            #expect(decoded == original && decoded.serialized() == bytes)
            #expect(decoded.testOnly_verifyInvariants())
            // The decoded summary keeps working like the original (the eviction heap is rebuilt).
            var continued = original
            for x in zipf.sample(count: 2_000, seed: 3) { continued.update(x); decoded.update(x) }
            #expect(decoded == continued && decoded.testOnly_verifyInvariants())
        }
    }

    @Test func countsRejectTruncatedExtendedAndCorruptedInput() throws {
        var counts = try CategoricalCounts(capacity: 3)
        for x in ["red", "green", "blue", "red", "cyan", "red"] { counts.update(x) }
        #expect(!counts.isExact)
        let bytes = counts.serialized()
        for length in 0..<bytes.count {
            #expect(throws: BinaryFormatError.self, "prefix \(length)") { try CategoricalCounts(serialized: Array(bytes.prefix(length))) }
        }
        #expect(throws: BinaryFormatError.self) { try CategoricalCounts(serialized: bytes + [0, 0, 0, 0]) }
        for position in bytes.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var corrupted = bytes
                corrupted[position] ^= mask
                #expect(throws: BinaryFormatError.self, "byte \(position) ^ \(mask)") { try CategoricalCounts(serialized: corrupted) }
            }
        }
        #expect(throws: BinaryFormatError.wrongType(expected: 3, found: 5)) { try CategoricalCounts(serialized: Moments().serialized()) }
        var version9 = bytes
        version9[4] = 9
        #expect(throws: BinaryFormatError.unsupportedVersion(found: 9, supported: 1)) { try CategoricalCounts(serialized: resealed(version9)) }
    }

    /// One entry of a hand-built body.
    struct Entry: Sendable {
        var key: [UInt8]
        var counter: UInt64
        var error: UInt64
        init(_ key: String, _ counter: UInt64, _ error: UInt64 = 0) { self.init(bytes: Array(key.utf8), counter, error) }
        init(bytes: [UInt8], _ counter: UInt64, _ error: UInt64 = 0) { key = bytes; self.counter = counter; self.error = error }
    }

    static func countsBody(capacity: UInt64 = 4, total: UInt64, maximumError: UInt64 = 0,
                           entryCount: UInt64? = nil, _ entries: [Entry]) -> [UInt8] {
        encoded(tag: .categoricalCounts) { w in
            w.write(capacity); w.write(total); w.write(UInt64(0)); w.write(maximumError)
            w.write(entryCount ?? UInt64(entries.count))
            for e in entries {
                w.write(UInt32(e.key.count)); w.write(contentsOf: e.key); w.write(e.counter); w.write(e.error)
            }
        }
    }

    @Test func countsAcceptAValidHandBuiltBody() throws {
        let decoded = try CategoricalCounts(serialized: Self.countsBody(total: 10, maximumError: 2,
            [Entry("a", 6, 1), Entry("b", 3, 2)]))
        #expect(decoded.count(of: "a") == 5 && decoded.count(of: "b") == 1 && decoded.otherCount == 4)
        #expect(decoded.maximumError == 2 && !decoded.isExact)
    }

    /// Bodies with a valid checksum that break the format or the invariants.
    @Test(arguments: [
        ("capacity 0", countsBody(capacity: 0, total: 0, [])),
        ("capacity too large", countsBody(capacity: UInt64(CategoricalCounts.maximumCapacity) + 1, total: 0, [])),
        ("more entries than capacity", countsBody(capacity: 1, total: 2, [Entry("a", 1), Entry("b", 1)])),
        ("entry count beyond the bytes", countsBody(capacity: 1 << 20, total: 0, entryCount: 1 << 20, [])),
        ("entry count short", countsBody(total: 2, entryCount: 1, [Entry("a", 1), Entry("b", 1)])),
        ("entry count long", countsBody(total: 2, entryCount: 3, [Entry("a", 1), Entry("b", 1)])),
        ("unsorted", countsBody(total: 2, [Entry("b", 1), Entry("a", 1)])),
        ("duplicate", countsBody(total: 2, [Entry("a", 1), Entry("a", 1)])),
        ("canonically equivalent", countsBody(total: 2, [Entry("e\u{301}", 1), Entry("\u{e9}", 1)])),
        ("invalid UTF-8", countsBody(total: 1, [Entry(bytes: [0xC3, 0x28], 1)])),
        ("zero count", countsBody(total: 0, [Entry("a", 0)])),
        ("counter below error", countsBody(total: 5, maximumError: 3, [Entry("a", 2, 3)])),
        ("error above maximumError", countsBody(total: 9, maximumError: 1, [Entry("a", 9, 2)])),
        ("counter below maximumError", countsBody(total: 9, maximumError: 5, [Entry("a", 4, 0)])),
        ("exact but total mismatch", countsBody(total: 5, [Entry("a", 3)])),
        ("counts above total", countsBody(total: 2, maximumError: 1, [Entry("a", 3, 0)])),
        ("flags", resealed({ var b = countsBody(total: 0, []); b[5] = 4; return b }())),
    ])
    func countsRejectInvalidBodies(name: String, bytes: [UInt8]) {
        #expect(throws: BinaryFormatError.self, "\(name)") { try CategoricalCounts(serialized: bytes) }
    }
}
