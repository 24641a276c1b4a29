import DriftJSON

/// JSON string escapes in compare's inputs, with errors worded for the file and line.
enum JSONText {
    /// Decodes the escapes of a JSON string's content (``JSONEscapes/decode(_:)``). An invalid escape or a
    /// lone surrogate is a ``CompareError/malformed(path:line:reason:)``.
    static func unescape(
        _ p: UnsafePointer<UInt8>, start: Int, length: Int, path: String, bytes: [UInt8]
    ) throws(CompareError) -> [UInt8] {
        guard let decoded = JSONEscapes.decode(UnsafeRawBufferPointer(start: p + start, count: length)) else {
            throw .malformed(path: path, line: LineLocator.line(ofOffset: start, in: bytes), reason: "invalid escape in a JSON string")
        }
        return decoded
    }
}
