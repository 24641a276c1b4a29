/// When a newly promoted version goes back: the monitor reports its performance per window; if, within the
/// first ``windows`` labelled windows after the promotion, it is below the previous champion's figure by
/// ``margin`` in ``consecutive`` windows in a row, the previous champion returns.
public struct RollbackPolicy: Sendable, Equatable {
    /// The metric compared (default accuracy).
    public var metric = "accuracy"
    /// How far below the previous champion counts as worse (absolute, default 0.05).
    public var margin = 0.05
    /// Labelled windows watched after a promotion (default 5).
    public var windows = 5
    /// Worse windows in a row that roll back (default 2).
    public var consecutive = 2
    /// Labelled events a window needs to count.
    public var minimumLabelled = 30

    /// The defaults above.
    public init() {}

    /// What is known about a promotion being watched.
    public struct Watch: Sendable, Equatable {
        /// The promoted version.
        public var version: String
        /// The version it replaced.
        public var previous: String
        /// The previous champion's figure (its held-out score at the promotion).
        public var previousFigure: Double
        /// Windows judged so far, and the current run of worse ones.
        public var judged = 0
        public var worseInARow = 0

        public init(version: String, previous: String, previousFigure: Double) {
            self.version = version
            self.previous = previous
            self.previousFigure = previousFigure
        }
    }

    /// The outcome of one window.
    public enum Outcome: Sendable, Equatable {
        /// Keep watching.
        case watching
        /// The version held up over every watched window.
        case confirmed
        /// Roll back, for this reason.
        case rollBack(String)
        /// The window did not count (another version, too few labels).
        case ignored
    }

    /// Updates `watch` with a window of `version` that had `labelled` labelled events and figure `value`.
    public func observe(_ watch: inout Watch, version: String, labelled: Int, value: Double?) -> Outcome {
        guard version == watch.version, labelled >= minimumLabelled, let value else { return .ignored }
        watch.judged += 1
        if value < watch.previousFigure - margin {
            watch.worseInARow += 1
        } else {
            watch.worseInARow = 0
        }
        if watch.worseInARow >= consecutive {
            return .rollBack("\(metric) of version \(watch.version) was below version \(watch.previous)'s \(PromotionPolicy.format(watch.previousFigure)) "
                + "by more than \(PromotionPolicy.format(margin)) in \(watch.worseInARow) windows in a row (last \(PromotionPolicy.format(value)))")
        }
        return watch.judged >= windows ? .confirmed : .watching
    }
}
