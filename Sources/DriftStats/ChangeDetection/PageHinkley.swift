/// The Page–Hinkley test for a change in the mean of a stream, exactly as River 0.26.1's
/// `river.drift.PageHinkley` computes it (same arithmetic order, same quirks, same detection indices).
///
/// Page–Hinkley is a CUSUM chart on the deviations of each value from the running mean. A
/// cumulative sum drifts upward when the mean increases (and downward when it decreases); a change
/// is signalled when a sum has moved more than `threshold` away from its running extreme.
///
/// ## Parameters
/// - `minInstances` (default 30): no change is signalled before this many values since the last reset.
/// - `delta` (default 0.005): the magnitude of change tolerated per value (CUSUM drift allowance).
/// - `threshold` (default 50, λ): the detection threshold on the cumulative deviation.
/// - `alpha` (default 0.9999): the forgetting factor applied to the cumulative sums.
/// - `mode` (default `.both`): detect increases (`.up`), decreases (`.down`) or both.
///
/// ## Math
/// Per value x (n counts values since the last reset):
///
///     n ← n + 1;   x̄ ← x̄ + (1/n)·(x − x̄);   d = x − x̄
///     S⁺ ← α·S⁺ + d − δ,   m⁺ ← min(m⁺, S⁺)     (S⁺ = 0, m⁺ = +∞ initially)
///     S⁻ ← α·S⁻ + d + δ,   M⁻ ← max(M⁻, S⁻)     (S⁻ = 0, M⁻ = −1 initially — River's quirk)
///     if n ≥ minInstances: change ⇔ S⁺ − m⁺ > λ (up)  or  M⁻ − S⁻ > λ (down)
///
/// The −1 start of M⁻ (rather than −∞) is kept for parity with River. It never changes a detection
/// here: the first deviation is always 0, so S⁻ = δ ≥ 0 after the first value and M⁻ ≥ 0 from then on
/// (it would matter only for δ < −1, which `init` rejects); it is visible in `maxDecrease` before any value.
///
/// After a detection the detector resets lazily: the *next* `update` first restores the initial state
/// (River's `if self.drift_detected: self._reset()`), so `driftDetected` is true for exactly one update.
/// A non-finite value is ignored (it performs the pending reset, clears `driftDetected` and changes
/// nothing else); River would propagate it into the sums forever.
///
/// Invariants (checked by `testOnly_verifyInvariants()`):
/// 1. `count >= 0`; when `count == 0` the state equals the initial state.
/// 2. When `count > 0`: `minIncrease <= sumIncrease` and `maxDecrease >= sumDecrease`.
/// 3. `driftDetected` implies `count >= minInstances`.
///
/// Cost: O(1) time per update, no allocation; the detector is a few words.
///
/// ## Example
/// ```swift
/// var detector = try PageHinkley()
/// for (i, x) in stream.enumerated() {
///     detector.update(x)
///     if detector.driftDetected { print("change at \(i)") }
/// }
/// ```
///
/// ## References
/// - E. S. Page (1954). Continuous inspection schemes. *Biometrika* 41(1/2), 100–115.
/// - D. V. Hinkley (1971). Inference about the change-point from cumulative sum tests. *Biometrika* 58(3), 509–523.
/// - River 0.26.1, `river/drift/page_hinkley.py`.
public struct PageHinkley: ChangeDetector, Equatable {
    /// Which direction of change is tested.
    public enum Mode: Sendable, Equatable {
        /// Only increases of the mean (S⁺ − m⁺ > λ).
        case up
        /// Only decreases of the mean (M⁻ − S⁻ > λ).
        case down
        /// Either direction.
        case both
    }

    /// No change is signalled before this many values since the last reset.
    public let minInstances: Int
    /// δ, the change magnitude tolerated per value.
    public let delta: Double
    /// λ, the detection threshold.
    public let threshold: Double
    /// α, the forgetting factor of the cumulative sums.
    public let alpha: Double
    /// The tested direction(s).
    public let mode: Mode

    /// The number of values since the last reset.
    public private(set) var count: Int = 0
    /// The running mean of the values since the last reset.
    public private(set) var mean: Double = 0
    /// S⁺.
    public private(set) var sumIncrease: Double = 0
    /// S⁻.
    public private(set) var sumDecrease: Double = 0
    /// m⁺ = min S⁺ (+∞ before the first value).
    public private(set) var minIncrease: Double = .infinity
    /// M⁻ = max(−1, max S⁻).
    public private(set) var maxDecrease: Double = -1
    /// Whether the last update signalled a change (cleared by the reset at the start of the next update).
    public private(set) var driftDetected: Bool = false

    /// Creates a detector (River 0.26.1 defaults).
    ///
    /// - Throws: `ChangeDetectorParameterError.invalid` unless `minInstances >= 1`, `delta` is finite
    ///   and ≥ 0, `threshold` is finite and > 0, and `alpha` is in (0, 1].
    public init(
        minInstances: Int = 30, delta: Double = 0.005, threshold: Double = 50, alpha: Double = 1 - 0.0001,
        mode: Mode = .both
    ) throws(ChangeDetectorParameterError) {
        guard minInstances >= 1 else { throw .invalid(parameter: "minInstances", requirement: "must be >= 1") }
        guard delta.isFinite, delta >= 0 else {
            throw .invalid(parameter: "delta", requirement: "must be finite and >= 0")
        }
        guard threshold.isFinite, threshold > 0 else {
            throw .invalid(parameter: "threshold", requirement: "must be finite and > 0")
        }
        guard alpha > 0, alpha <= 1 else { throw .invalid(parameter: "alpha", requirement: "must be in (0, 1]") }
        self.minInstances = minInstances
        self.delta = delta
        self.threshold = threshold
        self.alpha = alpha
        self.mode = mode
    }

    /// The increase statistic S⁺ − m⁺ (NaN before the first value).
    public var increaseStatistic: Double { count == 0 ? .nan : sumIncrease - minIncrease }
    /// The decrease statistic M⁻ − S⁻ (NaN before the first value).
    public var decreaseStatistic: Double { count == 0 ? .nan : maxDecrease - sumDecrease }

    /// Feeds one value (see the type's documentation for the math). O(1), no allocation.
    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        guard x.isFinite else { return }
        count += 1
        mean += (1.0 / Double(count)) * (x - mean)
        let deviation = x - mean
        sumIncrease = alpha * sumIncrease + deviation - delta
        sumDecrease = alpha * sumDecrease + deviation + delta
        if sumIncrease < minIncrease { minIncrease = sumIncrease }
        if sumDecrease > maxDecrease { maxDecrease = sumDecrease }
        if count >= minInstances {
            let increase = sumIncrease - minIncrease
            let decrease = maxDecrease - sumDecrease
            switch mode {
            case .up: driftDetected = increase > threshold
            case .down: driftDetected = decrease > threshold
            case .both: driftDetected = increase > threshold || decrease > threshold
            }
        }
    }

    /// Restores the initial state (parameters are kept).
    public mutating func reset() {
        count = 0
        mean = 0
        sumIncrease = 0
        sumDecrease = 0
        minIncrease = .infinity
        maxDecrease = -1
        driftDetected = false
    }

    internal func testOnly_verifyInvariants() -> Bool {
        guard count >= 0 else { return false }
        if count == 0 {
            return mean == 0 && sumIncrease == 0 && sumDecrease == 0 && minIncrease == .infinity
                && maxDecrease == -1 && !driftDetected
        }
        if driftDetected && count < minInstances { return false }
        return minIncrease <= sumIncrease && maxDecrease >= sumDecrease
    }
}
