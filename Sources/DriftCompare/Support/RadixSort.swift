/// Sorting of finite doubles by least-significant-digit radix sort on their bit patterns.
///
/// Each double maps to an unsigned key that orders like the number (negative: all bits flipped;
/// positive: sign bit set), keys are sorted by six 11-bit digits, skipping a digit on which all keys
/// agree (usually the exponent bits), and mapped back. O(n) time, 2 × 8n bytes of scratch; about 10×
/// faster than `sort()` at 100,000 values. -0.0 sorts before +0.0 (they compare equal anyway).
/// Precondition: no NaN (the decoders drop them).
enum RadixSort {
    private static let digitBits = 11
    private static let digitCount = 6  // 6 × 11 ≥ 64
    private static let buckets = 1 << digitBits

    static func sort(_ values: inout [Double]) {
        let n = values.count
        guard n >= 512 else {
            values.sort()
            return
        }
        var keys = [UInt64](repeating: 0, count: n)
        var scratch = [UInt64](repeating: 0, count: n)
        var histogram = [Int](repeating: 0, count: digitCount * buckets)
        values.withUnsafeBufferPointer { source in
            keys.withUnsafeMutableBufferPointer { keys in
                histogram.withUnsafeMutableBufferPointer { histogram in
                    for i in 0..<n {
                        let bits = source[i].bitPattern
                        let key = bits >> 63 == 1 ? ~bits : bits | (1 << 63)
                        keys[i] = key
                        for d in 0..<digitCount {
                            histogram[d * buckets + Int((key >> UInt64(d * digitBits)) & UInt64(buckets - 1))] += 1
                        }
                    }
                }
            }
        }
        var inKeys = true  // whether the sorted-so-far data is in `keys` (else in `scratch`)
        for d in 0..<digitCount {
            let base = d * buckets
            // Skip a digit that every key shares.
            var trivial = false
            for b in 0..<buckets where histogram[base + b] != 0 {
                trivial = histogram[base + b] == n
                break
            }
            if trivial { continue }
            var offset = 0
            for b in 0..<buckets {
                let count = histogram[base + b]
                histogram[base + b] = offset
                offset += count
            }
            let shift = UInt64(d * digitBits)
            func scatter(_ from: UnsafeBufferPointer<UInt64>, _ to: UnsafeMutableBufferPointer<UInt64>, _ starts: UnsafeMutableBufferPointer<Int>) {
                for i in 0..<n {
                    let key = from[i]
                    let bucket = base + Int((key >> shift) & UInt64(buckets - 1))
                    to[starts[bucket]] = key
                    starts[bucket] += 1
                }
            }
            histogram.withUnsafeMutableBufferPointer { starts in
                if inKeys {
                    keys.withUnsafeBufferPointer { from in scratch.withUnsafeMutableBufferPointer { to in scatter(from, to, starts) } }
                } else {
                    scratch.withUnsafeBufferPointer { from in keys.withUnsafeMutableBufferPointer { to in scatter(from, to, starts) } }
                }
            }
            inKeys.toggle()
        }
        let sorted = inKeys ? keys : scratch
        values.withUnsafeMutableBufferPointer { out in
            sorted.withUnsafeBufferPointer { sorted in
                for i in 0..<n {
                    let key = sorted[i]
                    out[i] = Double(bitPattern: key >> 63 == 1 ? key & ~(1 << 63) : ~key)
                }
            }
        }
    }
}
