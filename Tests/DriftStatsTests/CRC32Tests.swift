import DriftStats
import Testing

/// CRC-32 (slicing-by-8) against the standard check value and a bit-at-a-time reference, on every length
/// from 0 to 300, at unaligned offsets and through non-contiguous collections.
@Suite struct CRC32Tests {
    /// The textbook bit-at-a-time CRC-32 (reflected 0xEDB88320).
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    @Test func checkValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        // zlib.crc32(b"The quick brown fox jumps over the lazy dog") in Python.
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    }

    @Test func everyLengthAndOffset() {
        var random = SplitMix64(seed: 32)
        let bytes = (0..<310).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        for offset in 0..<9 {
            for length in 0...300 {
                let slice = bytes[offset..<(offset + length)]
                #expect(CRC32.checksum(slice) == Self.reference(Array(slice)), "offset \(offset) length \(length)")
            }
        }
        #expect(CRC32.checksum(bytes.lazy.map { $0 }) == Self.reference(bytes), "a collection without contiguous storage")
    }
}
