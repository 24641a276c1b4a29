/// A detector of change in a univariate stream (River's `DriftDetector` shape).
public protocol ChangeDetector: Sendable {
    /// Feeds one value; after it `driftDetected` tells whether this update detected a change.
    mutating func update(_ x: Double)
    /// Whether the last `update` detected a change (the detector resets itself on the next update).
    var driftDetected: Bool { get }
}
