/// Binary encoding of `FixedEdgeHistogram` (type tag `.fixedEdgeHistogram`, version 1).
///
/// Little-endian throughout; m = number of inner edges (B = m + 1 bins). Total size
/// = 8 + 8 + 8m + 8(m+1) + 3·8 + 4 = 16m + 52 bytes.
///
/// | offset | size | field | meaning / validation on read |
/// |---|---|---|---|
/// | 0 | 8 | header | `FormatHeader`: magic `0x5744`, tag 2, version 1, flags 0, reserved 0 |
/// | 8 | 8 | m | `UInt64` edge count; ≤ 2^24 and consistent with the input length |
/// | 16 | 8·m | inner edges | `Double` bit patterns; finite and non-decreasing |
/// | 16 + 8m | 8·(m+1) | counts | `UInt64` per bin |
/// | 24 + 16m | 8 | nanCount | `UInt64` |
/// | 32 + 16m | 8 | missingCount | `UInt64` |
/// | 40 + 16m | 8 | total | `UInt64`; must equal Σ counts (computed without overflow) |
/// | 48 + 16m | 4 | crc32 | `CRC32.checksum` of bytes 0 ..< 48 + 16m |
///
/// The reader never traps: every malformed input (truncation, wrong tag/version/flags, corrupt bytes,
/// invalid edges, inconsistent total, trailing bytes) throws a `BinaryFormatError`, and it allocates only
/// after checking that the input is long enough to hold what it announces.
extension FixedEdgeHistogram {
    /// The current encoding version.
    public static var serializationVersion: UInt8 { 1 }

    /// Largest edge count accepted by the reader (2^24 edges = 128 MiB of edges).
    public static var maximumSerializedEdgeCount: Int { 1 << 24 }

    /// The encoding described in this file's header comment. Complexity: O(B).
    public func serialized() -> [UInt8] {
        let m = storedEdges.count
        var writer = BinaryWriter(reservingCapacity: 16 * m + 52)
        FormatHeader(tag: .fixedEdgeHistogram, version: Self.serializationVersion).write(to: &writer)
        writer.write(count: m)
        for e in storedEdges { writer.write(e) }
        for c in storedCounts { writer.write(c) }
        writer.write(storedNaNCount)
        writer.write(storedMissingCount)
        writer.write(storedTotal)
        writer.write(CRC32.checksum(writer.bytes))
        return writer.bytes
    }

    /// Decodes `serialized()` output, validating every field (see the layout table).
    ///
    /// - Throws: `BinaryFormatError` — `.truncated`, `.wrongType`, `.unsupportedVersion`,
    ///   `.invalidField` (magic, flags, edge count, edges, total), `.checksumMismatch`, `.trailingBytes`.
    /// - Complexity: O(B).
    public init(serialized bytes: [UInt8]) throws(BinaryFormatError) {
        var reader = BinaryReader(bytes)
        let header = try FormatHeader.read(from: &reader, expecting: .fixedEdgeHistogram,
                                           maxVersion: Self.serializationVersion)
        guard header.flags == 0 else {
            throw .invalidField(name: "flags", reason: "must be zero in version 1, found \(header.flags)")
        }
        let m = try reader.readCount(field: "edgeCount", limit: Self.maximumSerializedEdgeCount)
        // Edges, counts, three counters and the checksum must all be present before allocating.
        let needed = 16 * m + 8 + 8 + 8 + 8 + 4
        guard reader.remaining >= needed else {
            throw .truncated(offset: reader.offset, needed: needed)
        }
        var edges = [Double]()
        edges.reserveCapacity(m)
        for _ in 0..<m { edges.append(try reader.readDouble()) }
        var counts = [UInt64]()
        counts.reserveCapacity(m + 1)
        var sum: UInt64 = 0
        var overflow = false
        for _ in 0...m {
            let c = try reader.readUInt64()
            counts.append(c)
            let (s, o) = sum.addingReportingOverflow(c)
            sum = s
            overflow = overflow || o
        }
        let nans = try reader.readUInt64()
        let missing = try reader.readUInt64()
        let total = try reader.readUInt64()
        let payloadEnd = reader.offset
        let stored = try reader.readUInt32()
        let computed = CRC32.checksum(bytes[0..<payloadEnd])
        guard stored == computed else { throw .checksumMismatch(expected: stored, found: computed) }
        try reader.expectEnd()
        if let problem = Self.edgeProblem(edges) { throw .invalidField(name: "innerEdges", reason: problem) }
        guard !overflow, sum == total else {
            throw .invalidField(name: "total", reason: "\(total) is not the sum of the bin counts")
        }
        self.init(validatedEdges: edges, counts: counts, nanCount: nans, missingCount: missing, total: total)
    }
}
