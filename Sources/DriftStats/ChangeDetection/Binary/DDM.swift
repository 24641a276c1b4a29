/// DDM, the Drift Detection Method of Gama et al. (2004), as River 0.26.1's `river.drift.binary.DDM`
/// computes it: it watches the error rate of a classifier and signals a warning, then a change, when the
/// rate rises significantly above the lowest rate seen since the last reset.
///
/// Input is a stream of bits: 1 (or `true`) = an error/failure, 0 (or `false`) = a correct prediction.
/// Under the PAC-learning premise the error rate of a learner on a stationary stream does not increase;
/// a significant increase means the concept changed.
///
/// ## Parameters
/// - `warmStart` (default 30): no warning or change before more than this many values since the last reset.
/// - `warningThreshold` (default 2.0, w): the warning level, in standard deviations (≈ 95 % confidence).
/// - `driftThreshold` (default 3.0, d): the change level, in standard deviations (≈ 99 % confidence).
///
/// ## Math
/// Per value x (n counts values since the last reset):
///
///     n ← n + 1;   pᵢ ← pᵢ + (1/n)·(x − pᵢ);   sᵢ = √(pᵢ·(1 − pᵢ)/n)
///     if n > warmStart:
///         if pᵢ + sᵢ ≤ p_min + s_min:  p_min ← pᵢ, s_min ← sᵢ     (p_min = s_min = +∞ initially)
///         warning ⇔ pᵢ + sᵢ > p_min + w·s_min
///         change  ⇔ pᵢ + sᵢ > p_min + d·s_min   (a change clears the warning)
///
/// Note that River records the minimum from the first update after the warm start, so a run of early
/// correct predictions (pᵢ = sᵢ = 0) makes the very next error a change — an inherent trait of DDM's
/// normal approximation at small counts, kept for parity.
///
/// After a detection the detector resets lazily: the *next* `update` first restores the initial state
/// (River's `if self.drift_detected: self._reset()`). The warning flag persists between updates until it
/// is recomputed (after the warm start) or reset. A non-finite value is ignored (it performs the pending
/// reset, clears `driftDetected`, and changes nothing else). Values other than 0 and 1 are averaged as
/// given, as River does; the Bernoulli variance is then meaningless.
///
/// Invariants (checked by `testOnly_verifyInvariants()`):
/// 1. `count >= 0`; `count == 0` implies the initial state.
/// 2. `minimumSum == minimumRate + minimumDeviation` (both infinite before the warm start ends).
/// 3. `driftDetected` and `warningDetected` are never both true; either implies `count > warmStart`.
///
/// Cost: O(1) per update (one square root), no allocation.
///
/// ## Example
/// ```swift
/// var ddm = try DDM()
/// for (i, prediction) in predictions.enumerated() {
///     ddm.update(prediction != truth[i])          // true = an error
///     if ddm.warningDetected { print("warning at \(i)") }
///     if ddm.driftDetected { print("change at \(i)") }
/// }
/// ```
///
/// ## References
/// - J. Gama, P. Medas, G. Castillo, P. Rodrigues (2004). Learning with drift detection.
///   *SBIA 2004, Advances in Artificial Intelligence*, LNCS 3171, 286–295.
/// - River 0.26.1, `river/drift/binary/ddm.py`.
public struct DDM: BinaryChangeDetector, Equatable {
    /// No warning or change while at most this many values were seen since the last reset.
    public let warmStart: Int
    /// w, the warning level in standard deviations.
    public let warningThreshold: Double
    /// d, the change level in standard deviations.
    public let driftThreshold: Double

    /// The number of values since the last reset.
    public private(set) var count: Int = 0
    /// The error rate pᵢ since the last reset.
    public private(set) var errorRate: Double = 0
    /// p_min (+∞ until the warm start ends).
    public private(set) var minimumRate: Double = .infinity
    /// s_min (+∞ until the warm start ends).
    public private(set) var minimumDeviation: Double = .infinity
    /// p_min + s_min, as River caches it.
    public private(set) var minimumSum: Double = .infinity
    /// Whether the detector is in the warning zone after the last update.
    public private(set) var warningDetected: Bool = false
    /// Whether the last update signalled a change (cleared by the reset at the start of the next update).
    public private(set) var driftDetected: Bool = false

    /// Creates a detector (River 0.26.1 defaults).
    ///
    /// - Throws: `ChangeDetectorParameterError.invalid` unless `warmStart >= 0`, both thresholds are finite
    ///   and > 0, and `warningThreshold <= driftThreshold`.
    public init(
        warmStart: Int = 30, warningThreshold: Double = 2.0, driftThreshold: Double = 3.0
    ) throws(ChangeDetectorParameterError) {
        guard warmStart >= 0 else { throw .invalid(parameter: "warmStart", requirement: "must be >= 0") }
        guard warningThreshold.isFinite, warningThreshold > 0 else {
            throw .invalid(parameter: "warningThreshold", requirement: "must be finite and > 0")
        }
        guard driftThreshold.isFinite, driftThreshold > 0 else {
            throw .invalid(parameter: "driftThreshold", requirement: "must be finite and > 0")
        }
        guard warningThreshold <= driftThreshold else {
            throw .invalid(parameter: "warningThreshold", requirement: "must be <= driftThreshold")
        }
        self.warmStart = warmStart
        self.warningThreshold = warningThreshold
        self.driftThreshold = driftThreshold
    }

    /// The standard deviation sᵢ = √(pᵢ(1 − pᵢ)/n) of the current error rate (NaN before the first value).
    public var errorRateDeviation: Double {
        count == 0 ? .nan : (errorRate * (1 - errorRate) / Double(count)).squareRoot()
    }

    /// Feeds one value, 1 for an error and 0 for a correct prediction (see the type's documentation).
    /// O(1), no allocation.
    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        guard x.isFinite else { return }
        count += 1
        let n = Double(count)
        errorRate += (1.0 / n) * (x - errorRate)
        let p = errorRate
        let s = (p * (1 - p) / n).squareRoot()
        guard count > warmStart else { return }
        if p + s <= minimumSum {
            minimumRate = p
            minimumDeviation = s
            minimumSum = minimumRate + minimumDeviation
        }
        warningDetected = p + s > minimumRate + warningThreshold * minimumDeviation
        if p + s > minimumRate + driftThreshold * minimumDeviation {
            driftDetected = true
            warningDetected = false
        }
    }

    /// Restores the initial state (parameters are kept).
    public mutating func reset() {
        count = 0
        errorRate = 0
        minimumRate = .infinity
        minimumDeviation = .infinity
        minimumSum = .infinity
        warningDetected = false
        driftDetected = false
    }

    internal func testOnly_verifyInvariants() -> Bool {
        guard count >= 0 else { return false }
        if count == 0 {
            return errorRate == 0 && minimumRate == .infinity && minimumDeviation == .infinity
                && minimumSum == .infinity && !warningDetected && !driftDetected
        }
        if driftDetected && warningDetected { return false }
        if (driftDetected || warningDetected) && count <= warmStart { return false }
        if minimumSum.isInfinite { return minimumRate.isInfinite && minimumDeviation.isInfinite }
        return minimumSum == minimumRate + minimumDeviation
    }
}
