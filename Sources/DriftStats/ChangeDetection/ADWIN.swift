#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ADWIN (ADaptive WINdowing), exactly as River 0.26.1's `river.drift.ADWIN` computes it (its Rust core
/// `rust_src/adwin.rs`, a line-by-line port of the former `adwin_c.pyx`): same arithmetic order, same
/// detection indices, widths and estimations.
///
/// ADWIN keeps a window of recent values whose mean is assumed constant. Whenever some split of the
/// window into an older part W₀ and a newer part W₁ shows means that differ by more than a
/// Hoeffding/Bernstein-style bound, the oldest values are dropped until no split does; any drop is a
/// detected change. The window is stored compressed as an exponential histogram, so memory is
/// O(maxBuckets · log(width)) and a check costs O(maxBuckets · log(width)) per candidate split scan.
///
/// ## Parameters
/// - `delta` (default 0.002): the confidence parameter δ; smaller means fewer false alarms, later detection.
/// - `clock` (default 32): the window is checked for a cut on every `clock`-th update only.
/// - `maxBuckets` (default 5): buckets kept per histogram row before two are merged into the next row.
/// - `minWindowLength` (default 5): each side of a split must hold at least this many values.
/// - `gracePeriod` (default 10): no check while the window holds `gracePeriod` values or fewer.
///
/// ## Math
/// Insert x: `W ← W + 1; if W > 1 { d = x − T/(W − 1); V ← V + (W − 1)·d²/W }; T ← T + x`
/// (T = sum, V = sum of squared deviations). Row i holds buckets of 2ⁱ values; when a row reaches
/// `maxBuckets + 1` buckets its two oldest merge into row i + 1 with variance v₀ + v₁ + 2ⁱ·(μ₀ − μ₁)²/2.
///
/// When `tick % clock == 0` and W > `gracePeriod`, the buckets are scanned from the oldest row to the
/// newest, moving each bucket from W₁ to W₀ (stopping before the newest value). At a split with
/// n₀, n₁ ≥ `minWindowLength` (m = `minWindowLength`):
///
///     δ′ = ln(2·ln(W)/δ),   k = 1/(n₀ − m + 1) + 1/(n₁ − m + 1)
///     ε = √(2·k·(V/W)·δ′) + (2/3)·δ′·k,        cut ⇔ |T₀/n₀ − T₁/n₁| > ε
///
/// On a cut the oldest bucket (2ʲ values, sum u, variance v) is dropped —
/// `W ← W − 2ʲ; T ← T − u; V ← V − (v + 2ʲ·W·(u/2ʲ − T/W)²/(2ʲ + W))` — and the scan restarts.
/// `driftDetected` is true when at least one cut happened during the update.
///
/// After a detection the detector resets lazily: the *next* `update` first empties the window and
/// the clock (River 0.26's `if self.drift_detected: self._reset()` — it does *not* keep the post-cut
/// window across detections). A non-finite value is ignored (it performs the pending reset, clears
/// `driftDetected`, and neither enters the window nor advances the clock); River would poison its sums.
///
/// Invariants (checked by `testOnly_verifyInvariants()`):
/// 1. The bucket-list invariants (see `BucketList`) hold and every row holds at most `maxBuckets` buckets.
/// 2. `width == Σᵢ sizes[i]·2ⁱ`.
/// 3. `total` equals the sum of all bucket sums up to rounding.
/// 4. `variance >= −1e-9·(1 + |variance|)` (it is a sum of squares up to rounding).
///
/// Cost: amortized O(1) per insertion plus, every `clock` updates, O(maxBuckets · log W) per scan
/// (rescanned after each cut). No allocation per update once the histogram's rows exist.
///
/// ## Example
/// ```swift
/// var adwin = try ADWIN()
/// for (i, x) in stream.enumerated() {
///     adwin.update(x)
///     if adwin.driftDetected { print("change at \(i), window now \(adwin.width), mean \(adwin.estimation)") }
/// }
/// ```
///
/// ## References
/// - A. Bifet, R. Gavaldà (2007). Learning from time-changing data with adaptive windowing.
///   *SIAM International Conference on Data Mining*, 443–448.
/// - B. Babcock, M. Datar, R. Motwani, L. O'Callaghan (2003). Maintaining variance and k-medians over
///   data stream windows. *PODS*, 234–243.
/// - River 0.26.1, `rust_src/adwin.rs` and `river/drift/adwin.py`.
public struct ADWIN: ChangeDetector, Equatable {
    /// δ, the confidence parameter of the cut test.
    public let delta: Double
    /// The window is checked on every `clock`-th update since the last reset.
    public let clock: Int
    /// Buckets per histogram row before the two oldest merge.
    public let maxBuckets: Int
    /// The minimum number of values on each side of a tested split.
    public let minWindowLength: Int
    /// No check while the window holds this many values or fewer.
    public let gracePeriod: Int

    /// The window's values as an exponential histogram.
    var buckets: BucketList
    /// The window length as a double (River keeps it as f64; all comparisons are on doubles).
    var windowLength: Double = 0
    /// The sum of the values in the window.
    public private(set) var total: Double = 0
    /// River's `variance`: the sum of squared deviations from the window mean, Σ(x − x̄)² (not divided by W).
    public private(set) var variance: Double = 0
    /// Updates since the last reset (the clock).
    var tick: Int = 0
    /// Whether the last update cut the window (cleared by the reset at the start of the next update).
    public private(set) var driftDetected: Bool = false

    /// Creates a detector (River 0.26.1 defaults).
    ///
    /// - Throws: `ChangeDetectorParameterError.invalid` unless `delta` is in (0, 1), `clock >= 1`,
    ///   `maxBuckets >= 2`, `minWindowLength >= 1` and `gracePeriod >= 0`. (River also accepts
    ///   `maxBuckets == 1`, with which its deletion can read an empty row; it is rejected here.)
    public init(
        delta: Double = 0.002, clock: Int = 32, maxBuckets: Int = 5, minWindowLength: Int = 5,
        gracePeriod: Int = 10
    ) throws(ChangeDetectorParameterError) {
        guard delta > 0, delta < 1 else { throw .invalid(parameter: "delta", requirement: "must be in (0, 1)") }
        guard clock >= 1 else { throw .invalid(parameter: "clock", requirement: "must be >= 1") }
        guard maxBuckets >= 2, maxBuckets <= 1 << 20 else {
            throw .invalid(parameter: "maxBuckets", requirement: "must be in 2...1048576")
        }
        guard minWindowLength >= 1 else {
            throw .invalid(parameter: "minWindowLength", requirement: "must be >= 1")
        }
        guard gracePeriod >= 0 else { throw .invalid(parameter: "gracePeriod", requirement: "must be >= 0") }
        self.delta = delta
        self.clock = clock
        self.maxBuckets = maxBuckets
        self.minWindowLength = minWindowLength
        self.gracePeriod = gracePeriod
        self.buckets = BucketList(maxBuckets: maxBuckets)
    }

    /// The number of values in the window.
    public var width: Int { Int(windowLength) }

    /// The window mean T/W (0 for an empty window), River's `estimation`.
    public var estimation: Double { windowLength == 0 ? 0 : total / windowLength }

    /// The window's population variance V/W (NaN for an empty window).
    public var varianceInWindow: Double { variance / windowLength }

    /// Feeds one value (see the type's documentation). Amortized O(1) plus a periodic O(M log W) scan;
    /// no allocation once the histogram rows exist.
    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        guard x.isFinite else { return }
        insert(x)
        driftDetected = detectChange()
    }

    /// Empties the window and restarts the clock (parameters are kept; storage capacity is kept).
    public mutating func reset() {
        buckets.removeAll()
        windowLength = 0
        total = 0
        variance = 0
        tick = 0
        driftDetected = false
    }

    mutating func insert(_ value: Double) {
        buckets.append(row: 0, total: value, variance: 0)
        windowLength += 1.0
        var incrementalVariance = 0.0
        if windowLength > 1.0 {
            let deviation = value - total / (windowLength - 1.0)
            incrementalVariance = (windowLength - 1.0) * deviation * deviation / windowLength
        }
        variance += incrementalVariance
        total += value
        buckets.compress()
    }

    /// Drops the oldest bucket (the first of the last row) and updates W, T and V.
    mutating func deleteOldestBucket() {
        let last = buckets.rowCount - 1
        let n = Double(UInt64(1) << UInt64(last))
        let base = last * buckets.slotsPerRow
        let u = buckets.totals[base]
        let v = buckets.variances[base]
        let mu = u / n
        windowLength -= n
        total -= u
        let muWindow = total / windowLength
        let increment = v + n * windowLength * (mu - muWindow) * (mu - muWindow) / (n + windowLength)
        variance -= increment
        buckets.removeFirst(1, ofRow: last)
        if buckets.sizes[last] == 0 && last > 0 { buckets.removeLastRow() }
    }

    mutating func detectChange() -> Bool {
        tick += 1
        guard tick % clock == 0, windowLength > Double(gracePeriod) else { return false }
        var changeDetected = false
        while findCut() {
            changeDetected = true
            deleteOldestBucket()
        }
        return changeDetected
    }

    /// Scans the splits from oldest to newest and reports whether one of them satisfies the cut test.
    func findCut() -> Bool {
        let minLength = Double(minWindowLength)
        let width = windowLength
        // δ′ depends only on W, constant during a scan (River recomputes the same value per split).
        let deltaPrime = log(2.0 * log(width) / delta)
        let varianceOverWidth = variance / width
        var n0 = 0.0
        var n1 = width
        var u0 = 0.0
        var u1 = total
        let slots = buckets.slotsPerRow
        return buckets.sizes.withUnsafeBufferPointer { sizes in
            buckets.totals.withUnsafeBufferPointer { totals in
                var row = sizes.count - 1
                while row >= 0 {
                    let bucketSize = Double(UInt64(1) << UInt64(row))
                    let size = sizes[row]
                    let base = row * slots
                    for k in 0..<size {
                        n0 += bucketSize
                        n1 -= bucketSize
                        let bucketTotal = totals[base + k]
                        u0 += bucketTotal
                        u1 -= bucketTotal
                        if row == 0 && k == size - 1 { return false }
                        let deltaMean = (u0 / n0) - (u1 / n1)
                        if n1 >= minLength && n0 >= minLength {
                            let m = 1.0 / (n0 - minLength + 1.0) + 1.0 / (n1 - minLength + 1.0)
                            let epsilon = (2.0 * m * varianceOverWidth * deltaPrime).squareRoot()
                                + 2.0 / 3.0 * deltaPrime * m
                            if Swift.abs(deltaMean) > epsilon { return true }
                        }
                    }
                    row -= 1
                }
                return false
            }
        }
    }

    internal func testOnly_verifyInvariants() -> Bool {
        let rows = buckets.rowCount
        guard rows >= 1, buckets.totals.count == rows * buckets.slotsPerRow,
              buckets.variances.count == rows * buckets.slotsPerRow else { return false }
        var count = 0.0
        var sum = 0.0
        var magnitude = 0.0
        for row in 0..<rows {
            let size = buckets.sizes[row]
            guard size >= 0, size <= maxBuckets else { return false }
            if rows > 1 && row < rows - 1 && size == 0 { return false }
            for slot in 0..<buckets.slotsPerRow {
                let index = row * buckets.slotsPerRow + slot
                if slot < size {
                    sum += buckets.totals[index]
                    magnitude += Swift.abs(buckets.totals[index])
                } else if buckets.totals[index] != 0 || buckets.variances[index] != 0 {
                    return false
                }
            }
            count += Double(size) * Double(UInt64(1) << UInt64(row))
        }
        guard count == windowLength else { return false }
        guard Swift.abs(sum - total) <= 1e-9 * (1 + magnitude) else { return false }
        return variance >= -1e-9 * (1 + Swift.abs(variance))
    }
}
