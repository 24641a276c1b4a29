/// A change detector for a stream of bits — typically a classifier's errors (1 = wrong, 0 = right) —
/// that also signals a *warning zone* before a change is confirmed (River's
/// `BinaryDriftAndWarningDetector` shape).
///
/// `update(_ x: Double)` expects 0 or 1; `update(_ x: Bool)` feeds `true` as 1 (an error).
public protocol BinaryChangeDetector: ChangeDetector {
    /// Whether the last update put the detector in its warning zone (never true together with
    /// `driftDetected`; cleared by the reset that follows a detection).
    var warningDetected: Bool { get }

    /// Feeds one bit: `true` (1, an error/failure) or `false` (0).
    mutating func update(_ x: Bool)
}

extension BinaryChangeDetector {
    /// Feeds `x ? 1 : 0` to `update(_:)`.
    @inlinable
    public mutating func update(_ x: Bool) {
        update(x ? 1.0 : 0.0)
    }
}
