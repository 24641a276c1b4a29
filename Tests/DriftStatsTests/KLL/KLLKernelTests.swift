import Testing
@testable import DriftStats
import DriftTestSupport

/// The unsafe-buffer kernels behind compaction, checked against simple reference code.
@Suite struct KLLKernelTests {
    /// Values with many ties, both zeros and a wide range of magnitudes.
    static func awkwardValues(count: Int, rng: inout SplitMix64) -> [Double] {
        (0..<count).map { _ in
            switch rng.nextBounded(6) {
            case 0: return 0.0
            case 1: return -0.0
            case 2: return Double(rng.nextBounded(5))
            case 3: return -1e300 * rng.nextUniform()
            case 4: return 1e-300 * rng.nextUniform()
            default: return rng.nextUniform() * 200 - 100
            }
        }
    }

    @Test func sortAscendingSortsEveryLength() {
        var rng = SplitMix64(seed: 1)
        for count in Array(0...80) + [100, 127, 128, 129, 200, 255, 256, 257, 400, 513] {
            for _ in 0..<20 {
                var values = Self.awkwardValues(count: count, rng: &rng)
                let original = values
                values.withUnsafeMutableBufferPointer { buffer in
                    if let base = buffer.baseAddress { KLLSketch.sortAscending(base, count: count) }
                }
                #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "count \(count)")
                // Same multiset, bit for bit (±0 included).
                #expect(values.map(\.bitPattern).sorted() == original.map(\.bitPattern).sorted(), "count \(count)")
            }
        }
    }

    @Test func halveDownAndMergeMatchesReference() {
        var rng = SplitMix64(seed: 2)
        for half in 1...40 {
            for aboveCount in [1, 2, 3, 7, 16, 33, 60] {
                for offset in [0, 1] {
                    let run = Self.awkwardValues(count: 2 * half, rng: &rng).sorted()
                    let above = Self.awkwardValues(count: aboveCount, rng: &rng).sorted()
                    // Reference: keep run[offset], run[offset + 2], …; merge, equal items from above first.
                    let kept = stride(from: offset, to: 2 * half, by: 2).map { run[$0] }
                    var expected = [Double]()
                    var i = 0, j = 0
                    while i < kept.count || j < above.count {
                        if j == above.count || (i < kept.count && kept[i] < above[j]) {
                            expected.append(kept[i]); i += 1
                        } else {
                            expected.append(above[j]); j += 1
                        }
                    }
                    var buffer = run + above
                    buffer.withUnsafeMutableBufferPointer { pointer in
                        if let base = pointer.baseAddress {
                            KLLSketch.halveDownAndMerge(base, count: 2 * half, offset: offset, aboveCount: aboveCount)
                        }
                    }
                    let produced = Array(buffer[half...])
                    #expect(produced.map(\.bitPattern) == expected.map(\.bitPattern), "half \(half) above \(aboveCount) offset \(offset)")
                }
            }
        }
    }

    @Test func halveUpKeepsAlternateItemsAtTheTop() {
        for offset in [0, 1] {
            var values = (0..<10).map(Double.init)
            values.withUnsafeMutableBufferPointer { pointer in
                if let base = pointer.baseAddress { KLLSketch.halveUp(base, count: 10, offset: offset) }
            }
            // offset 0 keeps 1, 3, 5, 7, 9; offset 1 keeps 0, 2, 4, 6, 8 (DataSketches randomly_halve_up).
            let expected = offset == 0 ? [1.0, 3, 5, 7, 9] : [0.0, 2, 4, 6, 8]
            #expect(Array(values[5...]) == expected)
        }
    }

    @Test func randomBitsComeFromTheSeededGenerator() throws {
        var sketch = try KLLSketch(k: 8, seed: 99)
        var rng = SplitMix64(seed: 99)
        var expected = [Int]()
        for _ in 0..<3 {
            let word = rng.next()
            expected += (0..<64).map { Int((word >> UInt64($0)) & 1) }
        }
        let produced = (0..<192).map { _ in sketch.nextRandomBit() }
        #expect(produced == expected)
    }
}
