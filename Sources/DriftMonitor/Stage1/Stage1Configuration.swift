/// How stage 1 cuts and summarises windows.
public struct Stage1Configuration: Sendable {
    public var window: WindowSpec
    /// KLL accuracy of each window's sketches (rank error ≈ 1.65 / k^0.9…; 200 gives about 1.3 %).
    public var sketchK = 200
    /// Rows sampled per partition and window for the domain classifier.
    public var sampleCapacity = 256
    /// Events stamped further ahead of the clock than this are refused (`invalid_timestamp`): one bad clock
    /// would otherwise drag the watermark into the future and make every later event late.
    public var maximumFutureSkew: Int64 = 3_600_000
    /// The label join: predictions waiting for feedback, and for how long (event time).
    public var joinCapacity = 1_000_000
    public var joinTimeToLive: Int64 = 3_600_000
    /// Whether to hold predictions for feedback events at all.
    public var joinFeedback = true
    /// Label requests for the least certain predictions of windows with too few labels (`nil`: none).
    public var labelRequests: LabelRequestPolicy? = nil
    /// Caps on profiles and payloads (the windows-in-flight cap is ``WindowSpec/maximumOpenWindows``).
    public var limits = MonitorLimits()
    /// Seed of the sketches and samples (fixed: the same input gives the same partials).
    public var seed: UInt64 = 20_261_123

    public init(window: WindowSpec) {
        self.window = window
    }

    /// `tumbling`, `hopping` or `count`.
    public var windowKind: WindowPartial.Kind {
        switch window.kind {
        case .count: .count
        case .time(let size, let hop): size == hop ? .tumbling : .hopping
        }
    }
}
