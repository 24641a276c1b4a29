/// The binary format of `CategoricalCounts`, version 1 (the only place that writes or reads it).
///
/// All integers little-endian.
///
/// | offset | size | field | meaning |
/// |---|---|---|---|
/// | 0 | 8 | header | `FormatHeader`: magic `0x5744`, tag `.categoricalCounts` (3), version 1, flags 0, reserved 0 |
/// | 8 | 8 | capacity | UInt64, 1 ... `CategoricalCounts.maximumCapacity` |
/// | 16 | 8 | total | UInt64, non-missing weight |
/// | 24 | 8 | missing | UInt64 |
/// | 32 | 8 | maximumError | UInt64 (0 = exact) |
/// | 40 | 8 | entryCount | UInt64, tracked categories, ≤ capacity |
/// | 48 | … | entries | entryCount × { UInt32 byte length, UTF-8 bytes, UInt64 counter cᵢ, UInt64 error εᵢ } |
/// | end − 4 | 4 | crc32 | UInt32, `CRC32.checksum` of every preceding byte |
///
/// Entries are sorted by their UTF-8 bytes (strictly increasing), so equal summaries encode to the
/// same bytes whatever their insertion order — up to the spelling of canonically equivalent
/// categories ("é" as one or two scalars are one `String`; a summary keeps the first spelling it
/// saw). The reported count of an entry is cᵢ − εᵢ.
///
/// The reader checks, in order: header (magic, tag, version ≤ 1, reserved), flags = 0, checksum,
/// field ranges (capacity, entryCount against capacity and the bytes left), valid UTF-8, strictly
/// increasing and pairwise distinct categories (as Swift `String`s, i.e. up to canonical
/// equivalence), no trailing bytes, then invariants 1–4 of `CategoricalCounts`. It never traps.
extension CategoricalCounts {
    /// The format version this build writes and the newest it reads.
    public static let serializationVersion: UInt8 = 1

    /// The smallest encoding of one entry: a 4-byte length, an empty string, two UInt64s.
    static let minimumEntryByteCount = 20

    /// The version-1 encoding (layout in this file's header). O(k log k) for the canonical order.
    public func serialized() -> [UInt8] {
        let order = keys.indices.sorted { keys[$0].utf8.lexicographicallyPrecedes(keys[$1].utf8) }
        var writer = BinaryWriter(reservingCapacity: 52 + keys.count * 32)
        FormatHeader(tag: .categoricalCounts, version: CategoricalCounts.serializationVersion).write(to: &writer)
        writer.write(count: capacity)
        writer.write(total)
        writer.write(missing)
        writer.write(maximumError)
        writer.write(count: keys.count)
        for slot in order {
            writer.write(string: keys[slot])
            writer.write(counters[slot])
            writer.write(errors[slot])
        }
        writer.write(CRC32.checksum(writer.bytes))
        return writer.bytes
    }

    /// Decodes and validates an encoding written by `serialized()`.
    ///
    /// Throws `BinaryFormatError` (never traps) on a wrong header, truncation, trailing bytes, a
    /// checksum mismatch or fields that break the format's rules or the type's invariants.
    public init(serialized bytes: [UInt8]) throws(BinaryFormatError) {
        var reader = BinaryReader(bytes)
        let header = try FormatHeader.read(
            from: &reader, expecting: .categoricalCounts, maxVersion: CategoricalCounts.serializationVersion)
        guard header.flags == 0 else {
            throw .invalidField(name: "flags", reason: "must be zero in version 1, found \(header.flags)")
        }
        let minimumSize = 52
        guard bytes.count >= minimumSize else {
            throw .truncated(offset: bytes.count, needed: minimumSize - bytes.count)
        }
        let bodyEnd = bytes.count - 4
        var crcReader = BinaryReader(Array(bytes[bodyEnd...]))
        let stored = try crcReader.readUInt32()
        let computed = CRC32.checksum(bytes[0..<bodyEnd])
        guard stored == computed else { throw .checksumMismatch(expected: stored, found: computed) }

        let capacity = try reader.readCount(field: "capacity", limit: CategoricalCounts.maximumCapacity)
        guard let empty = try? CategoricalCounts(capacity: capacity) else {
            throw .invalidField(name: "capacity", reason: "must be at least 1")
        }
        var result = empty
        result.total = try reader.readUInt64()
        result.missing = try reader.readUInt64()
        result.maximumError = try reader.readUInt64()
        let entryCount = try reader.readCount(field: "entryCount", limit: capacity)
        guard entryCount <= (bodyEnd - reader.offset) / CategoricalCounts.minimumEntryByteCount else {
            throw .invalidField(name: "entryCount", reason: "\(entryCount) entries cannot fit in the remaining bytes")
        }
        var keys = [String]()
        var counters = [UInt64]()
        var errors = [UInt64]()
        keys.reserveCapacity(entryCount)
        counters.reserveCapacity(entryCount)
        errors.reserveCapacity(entryCount)
        var seen = Set<String>(minimumCapacity: entryCount)
        for index in 0..<entryCount {
            let key = try reader.readString(field: "category[\(index)]")
            if let previous = keys.last, !previous.utf8.lexicographicallyPrecedes(key.utf8) {
                throw .invalidField(name: "category[\(index)]", reason: "categories must be strictly increasing by UTF-8 bytes")
            }
            guard seen.insert(key).inserted else {
                throw .invalidField(name: "category[\(index)]", reason: "duplicate (canonically equivalent) category")
            }
            keys.append(key)
            counters.append(try reader.readUInt64())
            errors.append(try reader.readUInt64())
        }
        guard reader.offset == bodyEnd else {
            if reader.offset > bodyEnd { throw .truncated(offset: bodyEnd, needed: reader.offset - bodyEnd) }
            throw .trailingBytes(count: bodyEnd - reader.offset)
        }
        for slot in keys.indices where counters[slot] <= errors[slot] {
            throw .invalidField(name: "category[\(slot)]", reason: "counter must exceed its error")
        }
        result.replaceEntries(keys: keys, counters: counters, errors: errors)
        // Invariant 5 (Σ counters ≤ total) is not required: it can be loosened by merging a
        // smaller-capacity summary, whose encoding must still be readable.
        if let reason = result.invariantViolation(checkCounterSum: false) {
            throw .invalidField(name: "entries", reason: reason)
        }
        self = result
    }
}
