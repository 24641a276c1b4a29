public import DriftContracts

/// Counts per symbol for the handful of values a window sees per event (predicted classes): a linear scan
/// over at most ``linearLimit`` symbols — no hashing on the hot path — then a dictionary for the rest.
struct SymbolCounts {
    static let linearLimit = 16
    private var symbols: [Symbol] = []
    private var counts: [UInt64] = []
    private var overflow: [Symbol: UInt64] = [:]

    @inline(__always)
    mutating func add(_ symbol: Symbol, _ count: UInt64 = 1) {
        for index in symbols.indices where symbols[index] == symbol {
            counts[index] &+= count
            return
        }
        if symbols.count < Self.linearLimit {
            symbols.append(symbol)
            counts.append(count)
        } else {
            overflow[symbol, default: 0] += count
        }
    }

    /// Every symbol with its count, in symbol order.
    var sorted: [(symbol: Symbol, count: UInt64)] {
        (Array(zip(symbols, counts)) + overflow.map { ($0.key, $0.value) }).sorted { $0.0 < $1.0 }.map { (symbol: $0.0, count: $0.1) }
    }
}
