import DriftStats

/// A record on `driftwatch.partials`: a window's partial summary or a partition's progress.
public enum PartialsRecord: Sendable, Equatable {
    case partial(WindowPartial)
    case progress(PartitionProgress)

    static let progressMagic: [UInt8] = Array("DWPG".utf8)
    static let progressVersion: UInt8 = 1

    /// The encoded record (``WindowPartial/serialized()`` for partials).
    public func serialized() -> [UInt8] {
        switch self {
        case .partial(let partial):
            return partial.serialized()
        case .progress(let progress):
            var writer = BinaryWriter(reservingCapacity: 64)
            writer.write(contentsOf: Self.progressMagic)
            writer.write(Self.progressVersion)
            writer.write(string: progress.source.topic)
            writer.write(UInt32(bitPattern: progress.source.partition))
            writer.write(UInt64(bitPattern: progress.closedThrough))
            writer.write(UInt8(progress.released ? 1 : 0))
            writer.write(CRC32.checksum(writer.bytes))
            return writer.bytes
        }
    }

    /// Decodes either kind of record.
    public init(serialized bytes: [UInt8]) throws(PartialError) {
        guard bytes.starts(with: Self.progressMagic) else {
            self = .partial(try WindowPartial(serialized: bytes))
            return
        }
        var reader = BinaryReader(try WindowPartial.checkedBody(bytes, magic: Self.progressMagic, name: "progress record"))
        do throws(BinaryFormatError) {
            _ = try reader.readBytes(4)
            let version = try reader.readUInt8()
            guard version == Self.progressVersion else {
                throw .invalidField(name: "version", reason: "progress format version \(version) is not supported")
            }
            let topic = try reader.readString(field: "topic")
            let partition = Int32(bitPattern: try reader.readUInt32())
            let closedThrough = Int64(bitPattern: try reader.readUInt64())
            let released = try reader.readUInt8() == 1
            try reader.expectEnd()
            self = .progress(PartitionProgress(source: SourcePartition(topic: topic, partition: partition), closedThrough: closedThrough, released: released))
        } catch {
            throw .corrupt("\(error)")
        }
    }
}
