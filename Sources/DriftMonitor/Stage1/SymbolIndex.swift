import DriftContracts

/// Symbol → small index by direct addressing: symbols are dense positions in their table, so a profile's
/// names map through an array covering their id range — no hashing per event. ``Symbol/overflow`` and
/// symbols outside the range are absent.
struct SymbolIndex: Sendable {
    private let base: Int
    /// `index + 1` per symbol id from `base`; 0: absent.
    private let entries: [Int32]

    init(_ pairs: [(symbol: Symbol, index: Int)]) {
        let ids = pairs.filter { $0.symbol != .overflow }.map { Int($0.symbol.id) }
        base = ids.min() ?? 0
        var entries = [Int32](repeating: 0, count: (ids.max() ?? base - 1) - base + 1)
        for (symbol, index) in pairs where symbol != .overflow && entries[Int(symbol.id) - base] == 0 {
            entries[Int(symbol.id) - base] = Int32(index + 1)
        }
        self.entries = entries
    }

    @inline(__always)
    subscript(symbol: Symbol) -> Int? {
        let offset = Int(symbol.id) &- base
        guard offset >= 0, offset < entries.count else { return nil }
        let stored = Int(entries[offset])
        return stored == 0 ? nil : stored - 1
    }
}
