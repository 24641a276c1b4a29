import CZlib

/// Streaming gzip decompression through zlib (the `CZlib` system module).
enum GzipInflater {
    /// Whether `bytes` starts with the gzip magic number `1f 8b`.
    static func hasMagic(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Inflates every gzip member of `compressed` (concatenated members are joined, like `gzip -d`;
    /// bytes after the last member that do not start another member are ignored, as gzip does).
    /// The output grows block by block (256 KiB), starting from the size the last member's trailer
    /// announces. Throws ``CompareError/corruptGzip(path:reason:)`` for a damaged or truncated stream.
    static func inflate(_ compressed: [UInt8], path: String) throws(CompareError) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(sizeHint(compressed))
        let blockSize = 256 << 10
        var block = [UInt8](repeating: 0, count: blockSize)
        var stream = z_stream()
        var status = inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .corruptGzip(path: path, reason: "zlib initialisation failed (\(status))") }
        defer { inflateEnd(&stream) }

        var failure: String?
        compressed.withUnsafeBufferPointer { input in
            guard let base = input.baseAddress else { return }
            stream.next_in = UnsafeMutablePointer(mutating: base)
            stream.avail_in = UInt32(clamping: input.count)
            while true {
                let produced: Int = block.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(blockSize)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return blockSize - Int(stream.avail_out)
                }
                if produced > 0 { output.append(contentsOf: block[0..<produced]) }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    let offset = base.distance(to: UnsafePointer(stream.next_in))
                    let remaining = input.count - offset
                    // Another member follows: start over on it.
                    if remaining >= 2 && input[offset] == 0x1F && input[offset + 1] == 0x8B {
                        inflateReset(&stream)
                        continue
                    }
                    return
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 {
                        failure = "unexpected end of data (truncated file?)"
                    } else {
                        continue
                    }
                    return
                default:
                    if let message = stream.msg {
                        failure = String(cString: message)
                    } else {
                        failure = "zlib error \(status)"
                    }
                    return
                }
            }
        }
        if let failure { throw .corruptGzip(path: path, reason: failure) }
        return output
    }

    /// The uncompressed size stored in the last 4 bytes (ISIZE, modulo 2^32), capped to a sane multiple
    /// of the compressed size; only a capacity hint.
    private static func sizeHint(_ compressed: [UInt8]) -> Int {
        let n = compressed.count
        guard n >= 18 else { return 4096 }
        let isize = Int(compressed[n - 4]) | Int(compressed[n - 3]) << 8 | Int(compressed[n - 2]) << 16
            | Int(compressed[n - 1]) << 24
        return min(max(isize, n), n * 1032) + 1
    }
}
