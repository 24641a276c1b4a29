@testable import DriftStats
import DriftTestSupport

/// Exact reference computations on raw data for the KLL tests.
enum KLLReference {
    /// Number of elements `< x` (`inclusive == false`) or `≤ x` (`inclusive == true`) in a sorted array.
    static func count(in sorted: [Double], _ x: Double, inclusive: Bool) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if inclusive ? sorted[mid] <= x : sorted[mid] < x { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The exact normalised rank of `x` (fraction `≤ x` or `< x`).
    static func rank(in sorted: [Double], _ x: Double, inclusive: Bool) -> Double {
        Double(count(in: sorted, x, inclusive: inclusive)) / Double(sorted.count)
    }

    /// The distance from `q` to the exact rank interval `[#{< v}, #{≤ v}] / n` of a value `v`
    /// (0 when `q` lies inside it): how far the rank of a returned quantile is from the requested one.
    static func rankDistance(of value: Double, to q: Double, in sorted: [Double]) -> Double {
        let low = rank(in: sorted, value, inclusive: false)
        let high = rank(in: sorted, value, inclusive: true)
        if q < low { return low - q }
        if q > high { return q - high }
        return 0
    }

    /// The two-sample KS statistic `max |F_a − F_b|` of right-continuous ECDFs over pooled points.
    static func ksStatistic(sortedA: [Double], sortedB: [Double]) -> Double {
        var i = 0
        var j = 0
        var d = 0.0
        let n1 = Double(sortedA.count), n2 = Double(sortedB.count)
        while i < sortedA.count || j < sortedB.count {
            let x = i == sortedA.count ? sortedB[j] : j == sortedB.count ? sortedA[i] : min(sortedA[i], sortedB[j])
            while i < sortedA.count, sortedA[i] <= x { i += 1 }
            while j < sortedB.count, sortedB[j] <= x { j += 1 }
            d = max(d, abs(Double(i) / n1 - Double(j) / n2))
        }
        return d
    }

    /// `∫ |F_a − F_b| dx` of the exact ECDFs (scipy's `wasserstein_distance`).
    static func wasserstein(sortedA: [Double], sortedB: [Double]) -> Double {
        var i = 0
        var j = 0
        var area = 0.0
        var previous = 0.0
        var gap = 0.0
        var started = false
        let n1 = Double(sortedA.count), n2 = Double(sortedB.count)
        while i < sortedA.count || j < sortedB.count {
            let x = i == sortedA.count ? sortedB[j] : j == sortedB.count ? sortedA[i] : min(sortedA[i], sortedB[j])
            if started { area += gap * (x - previous) }
            while i < sortedA.count, sortedA[i] <= x { i += 1 }
            while j < sortedB.count, sortedB[j] <= x { j += 1 }
            gap = abs(Double(i) / n1 - Double(j) / n2)
            previous = x
            started = true
        }
        return area
    }

    /// The largest |sketch rank − exact rank| over the given query points, for one search criterion.
    static func maxRankError(_ view: KLLSortedView, sorted: [Double], queries: [Double], inclusive: Bool) -> Double {
        var worst = 0.0
        for x in queries {
            let error = abs(view.rank(x, inclusive: inclusive) - rank(in: sorted, x, inclusive: inclusive))
            worst = max(worst, error)
        }
        return worst
    }

    /// 1,000 query points evenly spaced in rank (the data values at ranks (i + ½)/1000) followed by
    /// 1,000 points evenly spaced in value over [min, max].
    static func queryPoints(sorted: [Double], count: Int = 1000) -> [Double] {
        guard let first = sorted.first, let last = sorted.last else { return [] }
        var points = [Double]()
        points.reserveCapacity(2 * count)
        for i in 0..<count {
            let index = Int((Double(i) + 0.5) / Double(count) * Double(sorted.count))
            points.append(sorted[min(index, sorted.count - 1)])
        }
        for i in 0..<count {
            points.append(first + (last - first) * Double(i) / Double(count - 1))
        }
        return points
    }
}

/// Small deterministic streams for property-style tests.
enum KLLStreams {
    /// `count` values of a few shapes (uniform, normal-ish, heavy-tailed, many ties, sorted runs).
    static func values(count: Int, seed: UInt64, shape: Int) -> [Double] {
        var rng = SplitMix64(seed: seed)
        var out = [Double]()
        out.reserveCapacity(count)
        for i in 0..<count {
            switch shape % 5 {
            case 0: out.append(rng.nextUniform())
            case 1:
                var s = 0.0
                for _ in 0..<4 { s += rng.nextUniform() }
                out.append(s - 2)
            case 2: out.append(1 / (1 - rng.nextUniform()) - 1)
            case 3: out.append(Double(rng.nextBounded(7)))
            default: out.append(Double(i % 1000) + rng.nextUniform() * 0.001)
            }
        }
        return out
    }
}

extension KLLSketch {
    /// A sketch fed with `values` (test helper; `k` and `seed` are valid by construction).
    static func make(k: Int = 200, seed: UInt64 = 0, _ values: [Double]) throws -> KLLSketch {
        var sketch = try KLLSketch(k: k, seed: seed)
        sketch.update(contentsOf: values)
        return sketch
    }
}

/// The fields of a KLL encoding (see `KLLSketch+Serialization.swift`), for crafting test inputs.
struct KLLEncodedFields {
    var k: UInt16
    var minK: UInt16
    var numLevels: Int
    var randomBitsLeft: UInt8
    var reserved: UInt16
    var n: UInt64
    var minimum: Double
    var maximum: Double
    var generatorState: UInt64
    var randomBits: UInt64
    var levelSizes: [UInt32]
    var items: [Double]
}

/// Structural decoding / re-encoding of KLL bytes that does *not* validate (unlike the reader).
enum KLLBytes {
    static func decode(_ bytes: [UInt8]) -> KLLEncodedFields? {
        var reader = BinaryReader(bytes)
        do {
            _ = try reader.readBytes(8)
            let k = try reader.readUInt16()
            let minK = try reader.readUInt16()
            let numLevels = Int(try reader.readUInt8())
            let bitsLeft = try reader.readUInt8()
            let reserved = try reader.readUInt16()
            let n = try reader.readUInt64()
            let minimum = try reader.readDouble()
            let maximum = try reader.readDouble()
            let state = try reader.readUInt64()
            let bits = try reader.readUInt64()
            var sizes = [UInt32]()
            for _ in 0..<numLevels { sizes.append(try reader.readUInt32()) }
            let retained = sizes.reduce(0) { $0 + Int($1) }
            var items = [Double]()
            for _ in 0..<retained { items.append(try reader.readDouble()) }
            return KLLEncodedFields(
                k: k, minK: minK, numLevels: numLevels, randomBitsLeft: bitsLeft, reserved: reserved, n: n,
                minimum: minimum, maximum: maximum, generatorState: state, randomBits: bits,
                levelSizes: sizes, items: items)
        } catch {
            return nil
        }
    }

    /// Encodes the fields after the first 8 header bytes of `header`, with a correct CRC.
    static func encode(_ fields: KLLEncodedFields, header: [UInt8]) -> [UInt8] {
        var writer = BinaryWriter()
        writer.write(contentsOf: header.prefix(8))
        writer.write(fields.k)
        writer.write(fields.minK)
        writer.write(UInt8(truncatingIfNeeded: fields.numLevels))
        writer.write(fields.randomBitsLeft)
        writer.write(fields.reserved)
        writer.write(fields.n)
        writer.write(fields.minimum)
        writer.write(fields.maximum)
        writer.write(fields.generatorState)
        writer.write(fields.randomBits)
        for size in fields.levelSizes { writer.write(size) }
        for item in fields.items { writer.write(item) }
        writer.write(CRC32.checksum(writer.bytes[8...]))
        return writer.bytes
    }

    /// Decodes, lets `modify` change the fields, and re-encodes with a fresh CRC.
    static func reencode(_ bytes: [UInt8], _ modify: (inout KLLEncodedFields) -> Void) -> [UInt8] {
        guard var fields = decode(bytes) else { return bytes }
        modify(&fields)
        return encode(fields, header: bytes)
    }

    /// Recomputes the trailing CRC over bytes [8, count − 4) (when there is room for one).
    static func reseal(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 12 else { return bytes }
        var out = bytes
        let crc = CRC32.checksum(bytes[8..<(bytes.count - 4)])
        for i in 0..<4 { out[bytes.count - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        return out
    }
}
