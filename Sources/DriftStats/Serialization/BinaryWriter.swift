/// Appends little-endian fixed-width values to a byte array.
///
/// All `DriftStats` binary formats are little-endian, with doubles stored as their IEEE-754 bit
/// patterns, so encodings are identical on every platform.
public struct BinaryWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: UInt8) { bytes.append(value) }

    public mutating func write(_ value: UInt16) { appendLittleEndian(value) }

    public mutating func write(_ value: UInt32) { appendLittleEndian(value) }

    public mutating func write(_ value: UInt64) { appendLittleEndian(value) }

    public mutating func write(_ value: Double) { appendLittleEndian(value.bitPattern) }

    /// Writes a count as a `UInt64`.
    public mutating func write(count: Int) { appendLittleEndian(UInt64(count)) }

    /// Writes raw bytes as they are.
    public mutating func write<S: Sequence>(contentsOf values: S) where S.Element == UInt8 {
        bytes.append(contentsOf: values)
    }

    /// Writes a UTF-8 string as a `UInt32` byte length followed by the bytes.
    public mutating func write(string: String) {
        let utf8 = Array(string.utf8)
        appendLittleEndian(UInt32(truncatingIfNeeded: utf8.count))
        bytes.append(contentsOf: utf8)
    }

    private mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
    }
}
