/// Keeps a model's alert level from flapping: the level rises after ``raiseAfter`` windows in a row above
/// it and falls after ``clearAfter`` windows in a row below it; the window in which an alert clears reports
/// `RECOVERED`. Pure; one per (model, version).
public struct Hysteresis: Sendable, Equatable {
    public let raiseAfter: Int
    public let clearAfter: Int
    /// The level in force (NORMAL, WARNING or CRITICAL).
    public internal(set) var level = Severity.normal
    var above = 0
    var below = 0
    var aboveLevel = Severity.normal

    public init(raiseAfter: Int, clearAfter: Int) {
        self.raiseAfter = max(1, raiseAfter)
        self.clearAfter = max(1, clearAfter)
    }

    /// The severity to report for a window whose metrics say `raw`, and the level before it.
    public mutating func next(_ raw: Severity) -> (severity: Severity, previous: Severity) {
        let previous = level
        if raw > level {
            below = 0
            above += 1
            aboveLevel = above == 1 ? raw : min(aboveLevel, raw)
            if above >= raiseAfter {
                level = aboveLevel
                above = 0
            }
        } else if raw < level {
            above = 0
            below += 1
            if below >= clearAfter {
                level = raw.rank == 0 ? .normal : raw
                below = 0
                if level == .normal { return (.recovered, previous) }
            }
        } else {
            above = 0
            below = 0
        }
        return (level, previous)
    }
}
