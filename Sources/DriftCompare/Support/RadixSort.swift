/// Sorting of finite doubles by least-significant-digit radix sort on their bit patterns.
///
/// Each double maps (in place) to an unsigned key that orders like the number (negative: all bits
/// flipped; positive: sign bit set); the keys are sorted by six 11-bit digits, skipping a digit on which
/// all keys agree (often the exponent bits), and mapped back. O(n) time and one n-element scratch
/// buffer; about 3× faster than `sort()` at 100,000 values. -0.0 sorts before +0.0 (they compare
/// equal anyway). Precondition: no NaN (the decoders drop them).
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
        let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: n)
        let histogram = UnsafeMutablePointer<Int>.allocate(capacity: digitCount * buckets)
        defer {
            scratch.deallocate()
            histogram.deallocate()
        }
        histogram.initialize(repeating: 0, count: digitCount * buckets)
        let mask = UInt64(buckets - 1)
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // The doubles' storage holds the keys while sorting.
            base.withMemoryRebound(to: UInt64.self, capacity: n) { keys in
                for i in 0..<n {
                    let bits = keys[i]
                    let key = bits >> 63 == 1 ? ~bits : bits | (1 << 63)
                    keys[i] = key
                    for d in 0..<digitCount {
                        histogram[d * buckets + Int((key >> UInt64(d * digitBits)) & mask)] += 1
                    }
                }
                var from = keys
                var to = scratch
                for d in 0..<digitCount {
                    let counts = histogram + d * buckets
                    var trivial = false  // every key has the same digit: nothing to do
                    for b in 0..<buckets where counts[b] != 0 {
                        trivial = counts[b] == n
                        break
                    }
                    if trivial { continue }
                    var offset = 0
                    for b in 0..<buckets {
                        let count = counts[b]
                        counts[b] = offset
                        offset += count
                    }
                    let shift = UInt64(d * digitBits)
                    for i in 0..<n {
                        let key = from[i]
                        let bucket = Int((key >> shift) & mask)
                        to[counts[bucket]] = key
                        counts[bucket] += 1
                    }
                    swap(&from, &to)
                }
                for i in 0..<n {
                    let key = from[i]
                    keys[i] = key >> 63 == 1 ? key & ~(1 << 63) : ~key
                }
            }
        }
    }
}
