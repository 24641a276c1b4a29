/// Recognises the `--na-values` markers in a field's bytes.
///
/// A 64-bit mask of the markers' lengths rejects most fields with one test before any comparison.
struct MissingValueMatcher: Sendable {
    /// The default `--na-values`: `?` (as in UCI files), the empty field, `NA`, `N/A`, `n/a`, `NaN`,
    /// `nan`, `null`, `NULL`, `None`, `<NA>` (a subset of pandas' defaults).
    static let defaultMarkers = ["?", "", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "<NA>"]

    let markers: [[UInt8]]
    private let lengthMask: UInt64
    private let hasLongMarker: Bool

    init(markers: [String]) {
        self.markers = markers.map { Array($0.utf8) }
        var mask: UInt64 = 0
        var long = false
        for marker in self.markers {
            if marker.count < 64 { mask |= 1 << UInt64(marker.count) } else { long = true }
        }
        lengthMask = mask
        hasLongMarker = long
    }

    @inline(__always)
    func matches(_ p: UnsafePointer<UInt8>, count n: Int) -> Bool {
        if n < 64 {
            guard lengthMask & (1 << UInt64(n)) != 0 else { return false }
        } else if !hasLongMarker {
            return false
        }
        for marker in markers where marker.count == n {
            if n == 0 { return true }
            if marker.withUnsafeBufferPointer({ memcmpEqual($0.baseAddress, p, n) }) { return true }
        }
        return false
    }

    func matches(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return lengthMask & 1 != 0 }
            return matches(base, count: buffer.count)
        }
    }
}
