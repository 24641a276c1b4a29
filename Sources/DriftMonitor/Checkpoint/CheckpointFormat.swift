import DriftStats

/// Why a checkpoint record could not be used.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The record is damaged (bad magic, checksum, lengths or values): it must not be used.
    case corrupt(String)
    /// The record was written by a newer format this build does not read.
    case unsupportedVersion(UInt8)
    /// The record is for another stage or partition than the one asked for.
    case mismatch(String)

    public var description: String {
        switch self {
        case .corrupt(let detail): "corrupt checkpoint: \(detail)"
        case .unsupportedVersion(let version): "checkpoint format version \(version) is not supported (this build reads \(CheckpointFormat.version))"
        case .mismatch(let detail): "checkpoint does not belong here: \(detail)"
        }
    }
}

/// The envelope of every checkpoint record on a changelog topic:
///
/// | part | layout |
/// |---|---|
/// | header | `"DWCK"`, format version (UInt8), stage (UInt8: 1 or 2) |
/// | body | the stage's state (``Stage1Checkpoint``, ``Stage2Checkpoint``) |
/// | trailer | CRC-32 of everything before it (UInt32, little-endian) |
///
/// Window partials inside are embedded in their own `DWPT` encoding, which carries its own checksum.
/// Reading never traps: a damaged record is a ``CheckpointError``.
enum CheckpointFormat {
    static let magic: [UInt8] = Array("DWCK".utf8)
    static let version: UInt8 = 1
    /// Bounds on what a record may declare, so a damaged length cannot make the reader allocate wildly.
    static let maximumItems = 1 << 22

    /// A writer with the header written.
    static func writer(stage: UInt8, capacity: Int) -> BinaryWriter {
        var writer = BinaryWriter(reservingCapacity: capacity)
        writer.write(contentsOf: magic)
        writer.write(version)
        writer.write(stage)
        return writer
    }

    /// The bytes with their checksum appended.
    static func seal(_ writer: BinaryWriter) -> [UInt8] {
        var writer = writer
        writer.write(CRC32.checksum(writer.bytes))
        return writer.bytes
    }

    /// Checks magic, checksum, version and stage; returns a reader positioned after the header.
    static func open(_ bytes: [UInt8], stage: UInt8) throws(CheckpointError) -> BinaryReader {
        guard bytes.count >= magic.count + 6, bytes.starts(with: magic) else { throw .corrupt("not a checkpoint record (bad magic)") }
        let body = Array(bytes.dropLast(4))
        let stored = bytes.suffix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard CRC32.checksum(body) == stored else { throw .corrupt("checksum mismatch") }
        let recordVersion = body[magic.count]
        guard recordVersion == version else { throw .unsupportedVersion(recordVersion) }
        guard body[magic.count + 1] == stage else { throw .mismatch("a stage \(body[magic.count + 1]) record where stage \(stage) was expected") }
        var reader = BinaryReader(body)
        do throws(BinaryFormatError) {
            _ = try reader.readBytes(magic.count + 2)
        } catch {
            throw .corrupt("\(error)")
        }
        return reader
    }

    /// Runs a decoding body, turning any failure into ``CheckpointError/corrupt(_:)``.
    static func decoding<T>(_ body: () throws -> T) throws(CheckpointError) -> T {
        do {
            return try body()
        } catch let error as CheckpointError {
            throw error
        } catch {
            throw .corrupt("\(error)")
        }
    }
}

extension BinaryWriter {
    mutating func write(_ source: SourcePartition) {
        write(string: source.topic)
        write(UInt32(bitPattern: source.partition))
    }

    mutating func write(signed value: Int64) { write(UInt64(bitPattern: value)) }

    mutating func write(_ key: WindowKey) {
        write(signed: key.start)
        write(signed: key.end)
    }

    mutating func write(blob: [UInt8]) {
        write(count: blob.count)
        write(contentsOf: blob)
    }
}

extension BinaryReader {
    mutating func readSource() throws(BinaryFormatError) -> SourcePartition {
        let topic = try readString(field: "topic")
        return SourcePartition(topic: topic, partition: Int32(bitPattern: try readUInt32()))
    }

    mutating func readSigned() throws(BinaryFormatError) -> Int64 { Int64(bitPattern: try readUInt64()) }

    mutating func readWindowKey() throws(BinaryFormatError) -> WindowKey {
        let start = try readSigned()
        return WindowKey(start: start, end: try readSigned())
    }

    mutating func readBlob(field: String) throws(BinaryFormatError) -> [UInt8] {
        let count = try readCount(field: field, limit: 1 << 30)
        return Array(try readBytes(count))
    }

    mutating func readBool() throws(BinaryFormatError) -> Bool { try readUInt8() != 0 }
}
