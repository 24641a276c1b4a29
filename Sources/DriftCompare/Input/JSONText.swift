/// JSON string escapes.
enum JSONText {
    /// Decodes the escapes of a JSON string's content (`\" \\ \/ \b \f \n \r \t \uXXXX`, surrogate pairs
    /// joined) into UTF-8. An invalid escape or a lone surrogate is a ``CompareError/malformed(path:line:reason:)``.
    static func unescape(
        _ p: UnsafePointer<UInt8>, start: Int, length: Int, path: String, bytes: [UInt8]
    ) throws(CompareError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(length)
        var i = start
        let end = start + length
        func fail() -> CompareError {
            .malformed(path: path, line: LineLocator.line(ofOffset: start, in: bytes), reason: "invalid escape in a JSON string")
        }
        func hex4(_ at: Int) throws(CompareError) -> UInt32 {
            guard at + 4 <= end else { throw fail() }
            var value: UInt32 = 0
            for k in at..<(at + 4) {
                let c = p[k]
                let digit: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw fail()
                }
                value = value << 4 | digit
            }
            return value
        }
        while i < end {
            let b = p[i]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            guard i + 1 < end else { throw fail() }
            let e = p[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(i)
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard i + 6 <= end, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else { throw fail() }
                    let low = try hex4(i + 2)
                    guard low >= 0xDC00 && low < 0xE000 else { throw fail() }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw fail()
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw fail() }
                out.append(contentsOf: UTF8.encode(unicode).map { Array($0) } ?? [])
            default:
                throw fail()
            }
        }
        return out
    }
}
