/// Interns byte strings to dense integer codes (0, 1, 2, … in order of first appearance) and counts
/// them, without creating a `String` per value.
///
/// Open addressing with linear probing over a power-of-two table of codes; the distinct values'
/// bytes live in one arena. Invariants: 1. `table.count` is a power of two and at least twice the
/// number of codes. 2. `offsets.count == counts.count + 1` and `offsets` is ascending.
/// 3. every code appears in `table` exactly once. Cost: amortized O(length) per value (FNV-1a hash,
/// one `memcmp` on a hit).
struct CategoryInterner {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    private var hashes: [UInt64] = []
    private(set) var counts: [Int] = []
    private var table: [Int32]
    private var mask: Int

    init() {
        table = Array(repeating: -1, count: 64)
        mask = 63
    }

    var count: Int { counts.count }

    /// Adds one occurrence of the value `p[0..<n]` and returns its code.
    @discardableResult
    mutating func add(_ p: UnsafePointer<UInt8>, count n: Int) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for k in 0..<n {
            hash = (hash ^ UInt64(p[k])) &* 0x0000_0100_0000_01B3
        }
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while true {
            let code = Int(table[slot])
            if code < 0 { break }
            if hashes[code] == hash {
                let start = offsets[code]
                if offsets[code + 1] - start == n
                    && arena.withUnsafeBufferPointer({ memcmpEqual($0.baseAddress.map { $0 + start }, p, n) })
                {
                    counts[code] += 1
                    return code
                }
            }
            slot = (slot + 1) & mask
        }
        let code = counts.count
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(arena.count)
        hashes.append(hash)
        counts.append(1)
        table[slot] = Int32(code)
        if counts.count * 2 > table.count { grow() }
        return code
    }

    mutating func add(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBufferPointer { buffer in
            // An empty array may have no base address; any valid pointer works for n == 0.
            if let base = buffer.baseAddress {
                add(base, count: buffer.count)
            } else {
                withUnsafePointer(to: UInt8(0)) { add($0, count: 0) }
            }
        }
    }

    private mutating func grow() {
        let size = table.count * 2
        table = Array(repeating: -1, count: size)
        mask = size - 1
        for (code, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(code)
        }
    }

    /// The distinct values in code order, as strings (invalid UTF-8 is repaired with U+FFFD).
    var values: [String] {
        (0..<counts.count).map { String(decoding: arena[offsets[$0]..<offsets[$0 + 1]], as: UTF8.self) }
    }

    func testOnly_verifyInvariants() -> Bool {
        guard table.count.nonzeroBitCount == 1, table.count >= 2 * counts.count,
            offsets.count == counts.count + 1, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 })
        else { return false }
        let present = table.filter { $0 >= 0 }.map(Int.init).sorted()
        return present == Array(0..<counts.count)
    }
}
