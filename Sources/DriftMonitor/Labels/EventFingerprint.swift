/// A 128-bit fingerprint of an event id: the join buffer's key, so that waiting predictions and labels hold
/// two words instead of a string (no allocation, retain or release per event, cheap to hash and move).
///
/// Two independent 64-bit hashes of the UTF-8 bytes (8 bytes per step, multiply–xor-shift mixing with
/// different constants, the length folded in). Two distinct ids collide with probability about 2⁻¹²⁸; among a
/// million ids waiting at once, about 2⁻⁸⁸ — far below any other source of error in a join.
struct EventFingerprint: Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    init(_ id: String) {
        var id = id
        self = id.withUTF8 { EventFingerprint(bytes: UnsafeRawBufferPointer($0)) }
    }

    init(bytes: UnsafeRawBufferPointer) {
        var a: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F &+ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            a = Self.mix(a ^ word, 0xBF58_476D_1CE4_E5B9)
            b = Self.mix(b &+ word, 0x94D0_49BB_1331_11EB)
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for index in offset..<bytes.count { tail |= UInt64(bytes[index]) << (8 * UInt64(index - offset)) }
            a = Self.mix(a ^ tail ^ 0xFF, 0xBF58_476D_1CE4_E5B9)
            b = Self.mix(b &+ tail &+ 0xFF, 0x94D0_49BB_1331_11EB)
        }
        high = Self.mix(a, 0xFF51_AFD7_ED55_8CCD)
        low = Self.mix(b, 0xC4CE_B9FE_1A85_EC53)
    }

    @inline(__always)
    private static func mix(_ value: UInt64, _ multiplier: UInt64) -> UInt64 {
        var x = value
        x = (x ^ (x >> 30)) &* multiplier
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }
}
