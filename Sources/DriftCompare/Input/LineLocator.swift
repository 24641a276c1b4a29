#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Line numbers for error messages, computed only when an error is reported.
enum LineLocator {
    /// 1 + the number of `\n` in `bytes[0..<offset]`. O(offset) with `memchr`.
    static func line(ofOffset offset: Int, in bytes: [UInt8]) -> Int {
        let end = min(max(offset, 0), bytes.count)
        return bytes.withUnsafeBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress else { return 1 }
            var line = 1
            var position = 0
            while position < end, let hit = memchr(base + position, 0x0A, end - position) {
                line += 1
                position = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit)) + 1
            }
            return line
        }
    }

    /// Offset of the first `byte` in `base[from..<to]`, or `to`.
    @inline(__always)
    static func find(_ byte: UInt8, in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        guard from < to, let hit = memchr(base + from, Int32(byte), to - from) else { return to }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
    }
}
