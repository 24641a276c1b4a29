/// Which source partitions a window's evaluation covers: those that sent a partial or whose progress passed
/// the window's end, against those stage 2 knew of when it evaluated. A window evaluated after the
/// completion timeout lists the partitions it went without.
public struct WindowCoverage: Sendable, Equatable {
    /// Partitions that reported the window (a partial, or progress past its end).
    public var reported: [SourcePartition]
    /// Partitions stage 2 waited for that had not reported when the window was evaluated.
    public var missing: [SourcePartition]
    /// Partials dropped because their partition's partial for the window had already been merged.
    public var duplicatePartials: UInt64

    /// Whether every known partition reported.
    public var complete: Bool { missing.isEmpty }

    public init(reported: [SourcePartition], missing: [SourcePartition], duplicatePartials: UInt64) {
        self.reported = reported
        self.missing = missing
        self.duplicatePartials = duplicatePartials
    }
}
