public import DriftStats

/// A uniform sample of a window's rows (feature values in profile order) for the domain classifier, with
/// the number of rows it was drawn from, so samples from several partitions merge into a uniform one.
public struct RowSamplePartial: Sendable, Equatable {
    public var capacity: Int
    /// Rows the sample stands for.
    public var seen: UInt64
    public var rows: [[RowSample.Value]]

    public init(capacity: Int, seen: UInt64 = 0, rows: [[RowSample.Value]] = []) {
        self.capacity = capacity
        self.seen = seen
        self.rows = rows
    }

    /// Merges two samples: a weighted draw without replacement (Efraimidis–Spirakis keys `u^(1/w)`, each row
    /// weighing the rows it stands for), seeded so a merge is reproducible.
    public mutating func merge(_ other: RowSamplePartial, seed: UInt64) {
        guard !other.rows.isEmpty else {
            seen += other.seen
            return
        }
        guard rows.count + other.rows.count > capacity else {
            rows += other.rows
            seen += other.seen
            return
        }
        var generator = SplitMix64(seed: seed ^ seen ^ (other.seen << 17))
        var keyed: [(key: Double, row: [RowSample.Value])] = []
        keyed.reserveCapacity(rows.count + other.rows.count)
        for (sample, total) in [(rows, seen), (other.rows, other.seen)] where !sample.isEmpty {
            let weight = Double(total) / Double(sample.count)
            for row in sample {
                let u = Double(generator.next() >> 11 | 1) * 0x1p-53
                keyed.append((pow(u, 1 / weight), row))
            }
        }
        keyed.sort { $0.key > $1.key }
        rows = keyed.prefix(capacity).map(\.row)
        seen += other.seen
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
