extension Duration {
    /// The duration in seconds, as a `Double` (for reports, rates and logs).
    @inlinable
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }

    /// The duration in whole milliseconds, truncated toward zero.
    @inlinable
    public var inMilliseconds: Int64 {
        components.seconds.multipliedReportingOverflow(by: 1_000).partialValue &+ components.attoseconds / 1_000_000_000_000_000
    }
}
