/// Reads little-endian fixed-width values from a byte array, checking bounds on every read.
///
/// Every read throws `BinaryFormatError.truncated` instead of trapping, so a reader fed
/// arbitrary bytes (a corrupted checkpoint, a fuzzer) fails cleanly.
public struct BinaryReader: Sendable {
    /// The whole input.
    public let bytes: [UInt8]
    /// The index of the next byte to read.
    public private(set) var offset: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    /// Bytes not yet read.
    public var remaining: Int { bytes.count - offset }

    public mutating func readUInt8() throws(BinaryFormatError) -> UInt8 {
        try require(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readUInt16() throws(BinaryFormatError) -> UInt16 { try readInteger() }

    public mutating func readUInt32() throws(BinaryFormatError) -> UInt32 { try readInteger() }

    public mutating func readUInt64() throws(BinaryFormatError) -> UInt64 { try readInteger() }

    public mutating func readDouble() throws(BinaryFormatError) -> Double {
        Double(bitPattern: try readInteger())
    }

    /// Reads a count written by `BinaryWriter.write(count:)`, rejecting values above `limit`.
    public mutating func readCount(field: String, limit: Int) throws(BinaryFormatError) -> Int {
        let raw = try readUInt64()
        guard raw <= UInt64(limit) else {
            throw .invalidField(name: field, reason: "\(raw) exceeds the limit \(limit)")
        }
        return Int(raw)
    }

    /// Reads `count` raw bytes.
    public mutating func readBytes(_ count: Int) throws(BinaryFormatError) -> ArraySlice<UInt8> {
        try require(count)
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// Reads a string written by `BinaryWriter.write(string:)`; invalid UTF-8 is an error.
    public mutating func readString(field: String) throws(BinaryFormatError) -> String {
        let length = Int(try readUInt32())
        let raw = try readBytes(length)
        guard let string = String(validating: raw, as: UTF8.self) else {
            throw .invalidField(name: field, reason: "not valid UTF-8")
        }
        return string
    }

    /// Throws `trailingBytes` unless the input has been read to the end.
    public func expectEnd() throws(BinaryFormatError) {
        if remaining != 0 { throw .trailingBytes(count: remaining) }
    }

    private func require(_ count: Int) throws(BinaryFormatError) {
        if count < 0 || count > remaining { throw .truncated(offset: offset, needed: count) }
    }

    private mutating func readInteger<T: FixedWidthInteger>() throws(BinaryFormatError) -> T {
        let size = MemoryLayout<T>.size
        try require(size)
        var value: T = 0
        for i in 0..<size {
            value |= T(bytes[offset + i]) << (8 * i)
        }
        offset += size
        return value
    }
}
