extension ADWIN {
    /// ADWIN's exponential histogram: row i holds up to `maxBuckets + 1` buckets of 2ⁱ values each,
    /// oldest first, as (sum, variance) pairs; row 0 receives every new value.
    ///
    /// Rows are slices of two flat arrays (`slotsPerRow` slots per row), so updates never allocate once
    /// the arrays reached their largest row count (≈ log₂(width / maxBuckets) + 1 rows); rows are
    /// appended and removed at the end, keeping capacity.
    ///
    /// Invariants (part of `ADWIN.testOnly_verifyInvariants()`):
    /// 1. `sizes.count >= 1` and `totals.count == variances.count == sizes.count * slotsPerRow`.
    /// 2. `0 <= sizes[i] <= slotsPerRow`, and every slot at or beyond `sizes[i]` of row i holds 0.
    /// 3. Every row but the last is non-empty once the last row has index > 0.
    struct BucketList: Sendable, Equatable {
        /// `maxBuckets + 1`: a row momentarily holds one bucket more than `maxBuckets` before merging.
        let slotsPerRow: Int
        /// The number of buckets in each row.
        var sizes: [Int]
        /// Bucket sums, row-major.
        var totals: [Double]
        /// Bucket variances (sum of squared deviations from the bucket's mean), row-major.
        var variances: [Double]

        init(maxBuckets: Int) {
            slotsPerRow = maxBuckets + 1
            sizes = [0]
            totals = [Double](repeating: 0, count: slotsPerRow)
            variances = [Double](repeating: 0, count: slotsPerRow)
        }

        /// The number of rows.
        var rowCount: Int { sizes.count }

        /// Empties the list back to one empty row, keeping the arrays' capacity.
        mutating func removeAll() {
            sizes.removeAll(keepingCapacity: true)
            totals.removeAll(keepingCapacity: true)
            variances.removeAll(keepingCapacity: true)
            appendRow()
        }

        mutating func appendRow() {
            sizes.append(0)
            for _ in 0..<slotsPerRow {
                totals.append(0)
                variances.append(0)
            }
        }

        mutating func removeLastRow() {
            sizes.removeLast()
            totals.removeLast(slotsPerRow)
            variances.removeLast(slotsPerRow)
        }

        /// Appends a bucket (sum `total`, variance `variance`) at the end of `row`.
        @inline(__always)
        mutating func append(row: Int, total: Double, variance: Double) {
            let slot = row * slotsPerRow + sizes[row]
            totals[slot] = total
            variances[slot] = variance
            sizes[row] += 1
        }

        /// Removes the `count` oldest buckets of `row`, shifting the rest to the front and zeroing the tail.
        mutating func removeFirst(_ count: Int, ofRow row: Int) {
            let base = row * slotsPerRow
            let size = sizes[row]
            let remaining = size - count
            for offset in 0..<remaining {
                totals[base + offset] = totals[base + offset + count]
                variances[base + offset] = variances[base + offset + count]
            }
            for offset in remaining..<size {
                totals[base + offset] = 0
                variances[base + offset] = 0
            }
            sizes[row] = remaining
        }

        /// Merges the two oldest buckets of every full row (`maxBuckets + 1` buckets) into the next
        /// row, cascading upward, with the merged variance v₀ + v₁ + 2ⁱ·(μ₀ − μ₁)²/2 (exact arithmetic
        /// order of River's `compress_buckets`).
        mutating func compress() {
            var row = 0
            while sizes[row] == slotsPerRow {
                let bucketSize = Double(UInt64(1) << UInt64(row))
                let base = row * slotsPerRow
                let total0 = totals[base], total1 = totals[base + 1]
                let variance0 = variances[base], variance1 = variances[base + 1]
                let mean0 = total0 / bucketSize
                let mean1 = total1 / bucketSize
                let mergedTotal = total0 + total1
                let correction = bucketSize * 0.5 * (mean0 - mean1) * (mean0 - mean1)
                let mergedVariance = variance0 + variance1 + correction
                if row + 1 >= rowCount { appendRow() }
                append(row: row + 1, total: mergedTotal, variance: mergedVariance)
                removeFirst(2, ofRow: row)
                if sizes[row + 1] < slotsPerRow { break }
                row += 1
            }
        }
    }
}
