/// The binary format of `Moments`, version 1 (the only place that writes or reads it).
///
/// All integers little-endian; doubles as IEEE-754 bit patterns. 60 bytes in total.
///
/// | offset | size | field | meaning |
/// |---|---|---|---|
/// | 0 | 8 | header | `FormatHeader`: magic `0x5744`, tag `.moments` (5), version 1, flags 0, reserved 0 |
/// | 8 | 8 | count | UInt64, non-missing values |
/// | 16 | 8 | missing | UInt64, missing values |
/// | 24 | 8 | mean | Double, running mean (0 when count = 0) |
/// | 32 | 8 | m2 | Double, Σ (x − mean)² (0 when count = 0) |
/// | 40 | 8 | min | Double (+∞ when count = 0) |
/// | 48 | 8 | max | Double (−∞ when count = 0) |
/// | 56 | 4 | crc32 | UInt32, `CRC32.checksum` of bytes 0..<56 |
///
/// The reader checks, in order: header (magic, tag, version ≤ 1, reserved), flags = 0, length,
/// checksum, then the invariants of `Moments` (an empty summary is canonical; min ≤ max; finite
/// mean within [min, max] and M₂ ≥ 0 when the extremes are finite). It never traps.
extension Moments {
    /// The format version this build writes and the newest it reads.
    public static let serializationVersion: UInt8 = 1

    /// Size in bytes of every version-1 encoding.
    static let serializedByteCount = 60

    /// The version-1 encoding (layout in this file's header). O(1), one 60-byte allocation.
    public func serialized() -> [UInt8] {
        var writer = BinaryWriter(reservingCapacity: Moments.serializedByteCount)
        FormatHeader(tag: .moments, version: Moments.serializationVersion).write(to: &writer)
        writer.write(storedCount)
        writer.write(storedMissing)
        writer.write(storedMean)
        writer.write(sumOfSquaredDeviations)
        writer.write(storedMinimum)
        writer.write(storedMaximum)
        writer.write(CRC32.checksum(writer.bytes))
        return writer.bytes
    }

    /// Decodes and validates an encoding written by `serialized()`.
    ///
    /// Throws `BinaryFormatError` (never traps) on a wrong header, a short or long input, a checksum
    /// mismatch, or fields that break the invariants.
    public init(serialized bytes: [UInt8]) throws(BinaryFormatError) {
        var reader = BinaryReader(bytes)
        let header = try FormatHeader.read(from: &reader, expecting: .moments, maxVersion: Moments.serializationVersion)
        guard header.flags == 0 else {
            throw .invalidField(name: "flags", reason: "must be zero in version 1, found \(header.flags)")
        }
        let size = Moments.serializedByteCount
        guard bytes.count >= size else { throw .truncated(offset: bytes.count, needed: size - bytes.count) }
        guard bytes.count == size else { throw .trailingBytes(count: bytes.count - size) }
        var moments = Moments()
        moments.storedCount = try reader.readUInt64()
        moments.storedMissing = try reader.readUInt64()
        moments.storedMean = try reader.readDouble()
        moments.sumOfSquaredDeviations = try reader.readDouble()
        moments.storedMinimum = try reader.readDouble()
        moments.storedMaximum = try reader.readDouble()
        let stored = try reader.readUInt32()
        let computed = CRC32.checksum(bytes[0..<(size - 4)])
        guard stored == computed else { throw .checksumMismatch(expected: stored, found: computed) }
        try reader.expectEnd()
        if let reason = moments.invariantViolation() { throw .invalidField(name: "moments", reason: reason) }
        self = moments
    }
}
