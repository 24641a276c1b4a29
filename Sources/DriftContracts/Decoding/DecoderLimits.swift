/// Bounds the decoders enforce on every payload, so that no input can make a worker allocate without limit.
public struct DecoderLimits: Sendable, Equatable {
    /// Largest payload accepted, in bytes (default 1 MiB).
    public var maximumPayloadBytes: Int = 1 << 20
    /// Most features in one event (default 2,000).
    public var maximumFeatures: Int = 2_000
    /// Longest string value or name, in bytes (default 1,024).
    public var maximumStringBytes: Int = 1_024
    /// Most classes in `prediction.probabilities` (default 1,000).
    public var maximumClasses: Int = 1_000
    /// Deepest nesting of an unknown field's value (default 32).
    public var maximumDepth: Int = 32
    /// How far probabilities may sum from 1 (default 0.001).
    public var probabilityTolerance: Double = 1e-3

    public init() {}
}
