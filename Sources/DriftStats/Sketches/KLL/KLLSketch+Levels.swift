extension KLLSketch {
    /// The `numLevels + 1` level boundaries of a `KLLSketch` (`self[h] ..< self[h + 1]` is level h).
    ///
    /// Behaves like an `[Int]`, but the start of level 0 — the one boundary every `update` moves —
    /// is a plain stored integer, so the hot path changes it without an array write (which would
    /// cost a copy-on-write uniqueness check per update).
    @usableFromInline
    internal struct LevelBoundaries: Sendable, Equatable {
        /// The start of level 0.
        @usableFromInline internal var first: Int
        /// Boundaries 1 ... numLevels (the last one is the end of the item buffer).
        @usableFromInline internal var rest: [Int]

        /// Boundaries from a full array (at least two entries).
        init(_ boundaries: [Int]) {
            first = boundaries.first ?? 0
            rest = Array(boundaries.dropFirst())
        }

        /// The number of boundaries (`numLevels + 1`).
        @inlinable
        internal var count: Int { rest.count + 1 }

        @inlinable
        internal subscript(index: Int) -> Int {
            get { index == 0 ? first : rest[index - 1] }
            set {
                if index == 0 { first = newValue } else { rest[index - 1] = newValue }
            }
        }

        /// Adds a boundary on top.
        internal mutating func append(_ boundary: Int) { rest.append(boundary) }
    }
}
