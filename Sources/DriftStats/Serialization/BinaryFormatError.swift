/// Why a serialized sketch or summary could not be read.
///
/// Readers in `DriftStats` never trap on bad bytes: every problem surfaces as one of these.
public enum BinaryFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended before `needed` more bytes could be read at `offset`.
    case truncated(offset: Int, needed: Int)
    /// The magic bytes did not match the expected type tag.
    case wrongType(expected: UInt16, found: UInt16)
    /// The format version is not one this build can read.
    case unsupportedVersion(found: UInt8, supported: UInt8)
    /// A header or body field holds a value outside its valid range.
    case invalidField(name: String, reason: String)
    /// The checksum stored in the payload does not match the bytes.
    case checksumMismatch(expected: UInt32, found: UInt32)
    /// Bytes remain after the encoded object ended.
    case trailingBytes(count: Int)

    public var description: String {
        switch self {
        case .truncated(let offset, let needed):
            return "truncated input: needed \(needed) more byte(s) at offset \(offset)"
        case .wrongType(let expected, let found):
            return "wrong type tag: expected \(expected), found \(found)"
        case .unsupportedVersion(let found, let supported):
            return "unsupported format version \(found) (this build reads up to \(supported))"
        case .invalidField(let name, let reason):
            return "invalid field \(name): \(reason)"
        case .checksumMismatch(let expected, let found):
            return "checksum mismatch: stored \(expected), computed \(found)"
        case .trailingBytes(let count):
            return "\(count) unexpected trailing byte(s)"
        }
    }
}
