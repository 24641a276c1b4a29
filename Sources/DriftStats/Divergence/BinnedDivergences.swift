/// The binned drift metrics of two count (or proportion) vectors over the same bins, as `driftwatch compare`
/// and the monitor report them: PSI and KL(reference ‖ current) with proportions clipped at `epsilon`, the
/// Jensen–Shannon distance (natural log) and the Hellinger distance on the raw proportions.
public struct BinnedDivergences: Sendable, Equatable {
    public var psi: Double
    public var jsDistance: Double
    public var klDivergence: Double
    public var hellinger: Double

    /// - Precondition: equal lengths, non-negative entries.
    public init(reference: [Double], current: [Double], epsilon: Double) {
        psi = PopulationStabilityIndex.psi(reference: reference, current: current, smoothing: .clip(epsilon))
        jsDistance = JensenShannon.distance(reference, current)
        klDivergence = KullbackLeibler.divergence(reference, current, clip: epsilon)
        hellinger = Hellinger.distance(reference, current)
    }
}
