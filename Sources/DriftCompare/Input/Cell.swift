/// One field of a tokenized row: a span of the input buffer plus a few flags, packed in 8 bytes.
///
/// The tokenizers record cells without looking at their content; the decoders later parse numbers
/// from them or intern them as categories. Invariants:
/// 1. `start + length <= buffer.count` for the buffer the cell was made from (a missing cell has length 0).
/// 2. `length < 2^28` (longer fields are rejected by the tokenizers).
struct Cell: Sendable, Equatable {
    /// Byte offset of the field's content (inside the quotes for a quoted field).
    var start: UInt32
    /// `length | flags`.
    var packed: UInt32

    static let lengthMask: UInt32 = (1 << 28) - 1
    /// The content contains escapes (`""` in CSV, `\` in JSON) and must be unescaped before use.
    static let escapedFlag: UInt32 = 1 << 31
    /// A JSON string or boolean: text by type, never a number unless the column is forced numeric.
    static let textFlag: UInt32 = 1 << 30
    /// A JSON `null` or an absent key: missing whatever `--na-values` says.
    static let missingFlag: UInt32 = 1 << 29
    /// The largest field the tokenizers accept (256 MiB).
    static let maximumLength = Int(lengthMask)

    @inline(__always) init(start: Int, length: Int, flags: UInt32 = 0) {
        self.start = UInt32(truncatingIfNeeded: start)
        self.packed = UInt32(truncatingIfNeeded: length) | flags
    }

    static let missing = Cell(start: 0, length: 0, flags: missingFlag)

    @inline(__always) var length: Int { Int(packed & Self.lengthMask) }
    @inline(__always) var isEscaped: Bool { packed & Self.escapedFlag != 0 }
    @inline(__always) var isText: Bool { packed & Self.textFlag != 0 }
    @inline(__always) var isMissing: Bool { packed & Self.missingFlag != 0 }
}
