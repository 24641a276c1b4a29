/// The 8-byte header that starts every `DriftStats` binary encoding.
///
/// | offset | size | field | meaning |
/// |---|---|---|---|
/// | 0 | 2 | magic | `0x4457` ("DW" little-endian) |
/// | 2 | 2 | type tag | which object follows (`FormatHeader.Tag`) |
/// | 4 | 1 | version | format version of that object |
/// | 5 | 1 | flags | object-specific bits |
/// | 6 | 2 | reserved | zero |
///
/// Each object's body layout is documented in the one file that writes and reads it.
public struct FormatHeader: Sendable, Equatable {
    /// "DW" in little-endian order.
    public static let magic: UInt16 = 0x5744

    /// Type tags of the serialized objects; values are stable across releases.
    public enum Tag: UInt16, Sendable {
        case kllSketch = 1
        case fixedEdgeHistogram = 2
        case categoricalCounts = 3
        case reservoir = 4
        case moments = 5
    }

    public var tag: UInt16
    public var version: UInt8
    public var flags: UInt8

    public init(tag: Tag, version: UInt8, flags: UInt8 = 0) {
        self.tag = tag.rawValue
        self.version = version
        self.flags = flags
    }

    /// Writes the 8 header bytes.
    public func write(to writer: inout BinaryWriter) {
        writer.write(Self.magic)
        writer.write(tag)
        writer.write(version)
        writer.write(flags)
        writer.write(UInt16(0))
    }

    /// Reads and checks a header: magic, expected tag, and a version no newer than `maxVersion`.
    public static func read(
        from reader: inout BinaryReader, expecting tag: Tag, maxVersion: UInt8
    ) throws(BinaryFormatError) -> FormatHeader {
        let magic = try reader.readUInt16()
        guard magic == Self.magic else {
            throw .invalidField(name: "magic", reason: "expected 0x5744, found 0x\(String(magic, radix: 16))")
        }
        let foundTag = try reader.readUInt16()
        guard foundTag == tag.rawValue else { throw .wrongType(expected: tag.rawValue, found: foundTag) }
        let version = try reader.readUInt8()
        guard version >= 1, version <= maxVersion else {
            throw .unsupportedVersion(found: version, supported: maxVersion)
        }
        let flags = try reader.readUInt8()
        let reserved = try reader.readUInt16()
        guard reserved == 0 else { throw .invalidField(name: "reserved", reason: "must be zero") }
        var header = FormatHeader(tag: tag, version: version, flags: flags)
        header.tag = foundTag
        return header
    }
}
