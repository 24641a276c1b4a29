/// Binary encoding of `KLLSketch` (format version 1).
///
/// An 8-byte `FormatHeader` (tag `.kllSketch` = 1, version 1, flags 0), then the body, then a
/// CRC-32 of the body. All integers little-endian, doubles as IEEE-754 bit patterns. With
/// L = numLevels and R = retained items:
///
/// | offset (from body start) | size | field | constraint checked by the reader |
/// |---|---|---|---|
/// | 0 | 2 | `k` (UInt16) | 8 ... 65 535 |
/// | 2 | 2 | `minK` (UInt16) | 8 ... k |
/// | 4 | 1 | `numLevels` L (UInt8) | 1 ... 64 |
/// | 5 | 1 | `randomBitsLeft` (UInt8) | 0 ... 64 |
/// | 6 | 2 | reserved | 0 |
/// | 8 | 8 | `count` n (UInt64) | = Σ_h size_h · 2^h |
/// | 16 | 8 | `minimum` (Double) | NaN iff n = 0; else finite, ≤ every item |
/// | 24 | 8 | `maximum` (Double) | NaN iff n = 0; else finite, ≥ every item, ≥ minimum |
/// | 32 | 8 | generator state (UInt64, `SplitMix64.currentState`) | any |
/// | 40 | 8 | cached random bits (UInt64) | bits above `randomBitsLeft` zero |
/// | 48 | 4·L | level sizes size_0 … size_(L−1) (UInt32 each) | Σ ≤ total capacity of (k, L); top level nonempty if L > 1 |
/// | 48 + 4L | 8·R | items, level 0 first, each level in stored order (R = Σ size_h) | finite; levels ≥ 1 ascending |
/// | 48 + 4L + 8R | 4 | CRC-32 (zlib polynomial) of body bytes [0, 48 + 4L + 8R) | must match |
///
/// Total size: 8 + 52 + 4L + 8R bytes (an empty sketch: 64 bytes). Nothing may follow.
/// The generator state and bit cache are stored so a decoded sketch continues bit-identically
/// (`==` to the original, and it evolves identically on further updates and merges).
/// The in-memory layout is fully determined by the level sizes: the retained items occupy the top
/// R slots of a buffer of the total capacity.
extension KLLSketch {
    /// The format version this build writes and reads.
    public static var serializationVersion: UInt8 { 1 }

    /// Size of the body before the level sizes.
    internal static var fixedBodySize: Int { 48 }

    /// The encoding described in this file's table.
    ///
    /// - Complexity: O(R + L).
    public func serialized() -> [UInt8] {
        let levelCount = numLevels
        let retained = retainedCount
        var writer = BinaryWriter(reservingCapacity: 8 + Self.fixedBodySize + 4 * levelCount + 8 * retained + 4)
        FormatHeader(tag: .kllSketch, version: Self.serializationVersion).write(to: &writer)
        writer.write(UInt16(truncatingIfNeeded: _k))
        writer.write(UInt16(truncatingIfNeeded: _minK))
        writer.write(UInt8(truncatingIfNeeded: levelCount))
        writer.write(UInt8(truncatingIfNeeded: randomBitsLeft))
        writer.write(UInt16(0))
        writer.write(n)
        writer.write(minimum)
        writer.write(maximum)
        writer.write(rng.currentState)
        writer.write(randomBits)
        for h in 0..<levelCount {
            writer.write(UInt32(truncatingIfNeeded: levels[h + 1] - levels[h]))
        }
        for i in levels[0]..<items.count {
            writer.write(items[i])
        }
        let checksum = CRC32.checksum(writer.bytes[8...])
        writer.write(checksum)
        return writer.bytes
    }

    /// Decodes and fully validates an encoding made by `serialized()`. Never traps: any
    /// inconsistency (truncation, trailing bytes, checksum, k range, level boundaries beyond the
    /// capacity, total weight ≠ count, non-finite or unsorted items, min/max not bounding the
    /// items, …) throws. A sketch that is returned satisfies every invariant of the type.
    ///
    /// - Throws: `BinaryFormatError`.
    /// - Complexity: O(input size).
    public init(serialized bytes: [UInt8]) throws(BinaryFormatError) {
        var reader = BinaryReader(bytes)
        let header = try FormatHeader.read(from: &reader, expecting: .kllSketch, maxVersion: Self.serializationVersion)
        guard header.flags == 0 else {
            throw .invalidField(name: "flags", reason: "must be zero, found \(header.flags)")
        }
        let bodyStart = reader.offset
        let rawK = try reader.readUInt16()
        let rawMinK = try reader.readUInt16()
        let levelCount = Int(try reader.readUInt8())
        let bitsLeft = Int(try reader.readUInt8())
        let reserved = try reader.readUInt16()
        let count = try reader.readUInt64()
        let minimumValue = try reader.readDouble()
        let maximumValue = try reader.readDouble()
        let generatorState = try reader.readUInt64()
        let cachedBits = try reader.readUInt64()
        guard levelCount >= 1, levelCount <= Self.maximumNumLevels else {
            throw .invalidField(name: "numLevels", reason: "\(levelCount) outside 1...\(Self.maximumNumLevels)")
        }
        var sizes = [Int]()
        sizes.reserveCapacity(levelCount)
        var retained = 0
        for _ in 0..<levelCount {
            let size = Int(try reader.readUInt32())
            sizes.append(size)
            retained += size
        }
        let itemBytes = retained * 8
        guard reader.remaining >= itemBytes + 4 else {
            throw .truncated(offset: reader.offset, needed: itemBytes + 4)
        }
        guard reader.remaining == itemBytes + 4 else {
            throw .trailingBytes(count: reader.remaining - itemBytes - 4)
        }
        var storedItems = [Double]()
        storedItems.reserveCapacity(retained)
        for _ in 0..<retained { storedItems.append(try reader.readDouble()) }
        let computed = CRC32.checksum(bytes[bodyStart..<reader.offset])
        let stored = try reader.readUInt32()
        try reader.expectEnd()
        guard stored == computed else { throw .checksumMismatch(expected: stored, found: computed) }

        // Field ranges needed before building the buffer.
        let k = Int(rawK)
        guard k >= Self.minimumK else {
            throw .invalidField(name: "k", reason: "\(k) outside \(Self.minimumK)...\(Self.maximumK)")
        }
        guard reserved == 0 else { throw .invalidField(name: "reserved", reason: "must be zero") }
        let capacity = Self.totalCapacity(k: k, numLevels: levelCount)
        guard retained <= capacity else {
            throw .invalidField(name: "levels", reason: "\(retained) items exceed the capacity \(capacity)")
        }
        if count == 0 {
            guard minimumValue.isNaN, maximumValue.isNaN else {
                throw .invalidField(name: "min/max", reason: "must be NaN for an empty sketch")
            }
        } else {
            guard !minimumValue.isNaN, !maximumValue.isNaN else {
                throw .invalidField(name: "min/max", reason: "NaN in a nonempty sketch")
            }
        }

        let free = capacity - retained
        var buffer = [Double](repeating: 0, count: free)
        buffer.reserveCapacity(capacity)
        buffer.append(contentsOf: storedItems)
        var boundaries = [Int](repeating: 0, count: levelCount + 1)
        boundaries[0] = free
        for h in 0..<levelCount { boundaries[h + 1] = boundaries[h] + sizes[h] }

        _k = k
        _minK = Int(rawMinK)
        n = count
        minItem = count == 0 ? .infinity : minimumValue
        maxItem = count == 0 ? -.infinity : maximumValue
        items = buffer
        levels = LevelBoundaries(boundaries)
        levelCapacities = Self.levelCapacityTable(k: k, numLevels: levelCount)
        rng = SplitMix64(seed: generatorState)
        randomBits = cachedBits
        randomBitsLeft = bitsLeft

        if let violation = invariantViolation() {
            throw .invalidField(name: violation.field, reason: violation.reason)
        }
    }
}
