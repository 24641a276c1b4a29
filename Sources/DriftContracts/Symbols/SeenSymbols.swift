/// Which symbols a payload has used so far in one role (feature names, class names, segment names), to find
/// duplicates in O(1) without clearing anything between payloads: each symbol keeps the number of the last
/// payload it appeared in.
struct SeenSymbols {
    private var stamps: [UInt32] = []
    private var payload: UInt32 = 1

    /// Starts a new payload: every symbol counts as unseen again.
    mutating func nextPayload() {
        payload &+= 1
        if payload == 0 {  // wrapped: forget every stamp rather than confuse old ones with new
            for index in stamps.indices { stamps[index] = 0 }
            payload = 1
        }
    }

    /// Records `symbol`; false if it was already used in this payload. ``Symbol/overflow`` stands for many
    /// strings, so it is never a duplicate.
    mutating func insert(_ symbol: Symbol) -> Bool {
        guard symbol != .overflow else { return true }
        let id = Int(symbol.id)
        if id >= stamps.count { stamps.append(contentsOf: repeatElement(0, count: max(id + 1 - stamps.count, stamps.count))) }
        guard stamps[id] != payload else { return false }
        stamps[id] = payload
        return true
    }

    /// Whether `symbol` was recorded in this payload.
    func contains(_ symbol: Symbol) -> Bool {
        let id = Int(symbol.id)
        return symbol != .overflow && id < stamps.count && stamps[id] == payload
    }
}
