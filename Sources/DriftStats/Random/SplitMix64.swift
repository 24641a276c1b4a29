/// SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference C): a tiny, fast, seedable generator.
///
/// Every random choice in `DriftStats` (KLL compaction offsets, reservoir sampling) draws from a
/// `SplitMix64` built from a `seed:` argument, so results are reproducible bit for bit.
/// Output *i* (0-based) is `mix(seed + (i + 1) · γ)` with γ = `0x9E3779B97F4A7C15`.
///
/// Cost: a handful of integer operations per draw; no allocation.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable, Hashable {
    /// The generator's whole state; `next()` advances it by γ.
    @usableFromInline var state: UInt64

    /// The current state (for serialization of sketches that carry their generator).
    public var currentState: UInt64 { state }

    /// Creates a generator whose first output is `mix(seed + γ)`.
    @inlinable
    public init(seed: UInt64) {
        self.state = seed
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1): the top 53 bits of `next()` scaled by 2⁻⁵³ (exact).
    @inlinable
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound` by Lemire's multiply-shift (bias below 2⁻³² for bound < 2³²).
    @inlinable
    public mutating func nextBounded(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        return next().multipliedFullWidth(by: bound).high
    }
}
