import CZlib

/// A text kept zlib-compressed in memory (level 1: fast; a drift event's JSON shrinks about 3.3×), restored
/// on demand. For data held long and read rarely, such as the recent drift events the HTTP API serves.
public struct DeflatedText: Sendable, Equatable {
    /// The compressed bytes, or the text's own bytes when compression failed or did not help.
    private let stored: [UInt8]
    private let originalCount: Int
    private let compressed: Bool

    public init(_ text: String) {
        let bytes = Array(text.utf8)
        originalCount = bytes.count
        var bound = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(bound))  // scratch, at the bound's size
        let status = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &bound, input.baseAddress, uLong(input.count), 1)
            }
        }
        if status == Z_OK && Int(bound) < bytes.count {
            // A copy of the exact size: removing the tail would keep the whole bound's capacity allocated
            // (found by jemalloc's heap profile: each event still held ~30 KB).
            stored = Array(output[..<Int(bound)])
            compressed = true
        } else {
            stored = bytes
            compressed = false
        }
    }

    /// Bytes held: the storage's capacity, which is what stays allocated (a trimmed buffer would keep its
    /// whole size).
    public var storedBytes: Int { stored.capacity }

    /// The text (empty if the stored bytes were damaged, which only memory corruption could do).
    public var text: String {
        guard compressed else { return String(decoding: stored, as: UTF8.self) }
        var length = uLong(originalCount)
        var output = [UInt8](repeating: 0, count: originalCount)
        let status = output.withUnsafeMutableBufferPointer { out in
            stored.withUnsafeBufferPointer { input in uncompress(out.baseAddress, &length, input.baseAddress, uLong(input.count)) }
        }
        guard status == Z_OK, Int(length) == originalCount else { return "" }
        return String(decoding: output, as: UTF8.self)
    }
}
