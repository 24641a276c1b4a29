extension Duration {
    /// The duration in seconds, as a `Double` (for reports, rates and logs).
    @inlinable
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
