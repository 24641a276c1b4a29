/// An interned string: a small integer standing for one string of one ``SymbolTable``.
public struct Symbol: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The index of the string in its table.
    public let id: UInt32

    public init(id: UInt32) { self.id = id }

    /// Stands for any string the table refused because it was full: a value it cannot tell apart.
    public static let overflow = Symbol(id: UInt32.max)

    public static func < (lhs: Symbol, rhs: Symbol) -> Bool { lhs.id < rhs.id }
    public var description: String { self == .overflow ? "#overflow" : "#\(id)" }
}

/// Interns byte strings as ``Symbol``s: feature names, category values, model ids, class labels.
///
/// Look-ups hash the bytes in place (no `String` is made for a string already seen), so decoding an event
/// whose names and categories are known allocates nothing for them. The table holds at most ``capacity``
/// strings; once full, new strings map to ``Symbol/overflow``, so hostile input with endless distinct
/// values cannot grow memory without bound. One table belongs to one worker (it is not thread-safe).
public struct SymbolTable {
    /// The most strings the table holds.
    public let capacity: Int
    /// Every string's bytes back to back, for look-ups. The same bytes are in `strings`, but comparing
    /// against them there (`withUTF8` on each candidate) made decoding 20 % slower (207 → 249 ms per
    /// 100,000 events in `Decode_driftwatch_100k`), so the table keeps both.
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int32] = []
    private var strings: [String] = []
    private var slots: [UInt32]  // symbol id + 1; 0 = empty
    private var mask: Int

    /// An empty table that holds up to `capacity` strings.
    public init(capacity: Int = 1 << 20) {
        self.capacity = capacity
        slots = [UInt32](repeating: 0, count: 64)
        mask = 63
    }

    /// The number of strings interned.
    public var count: Int { strings.count }

    /// The string of `symbol` (`"#overflow"` for ``Symbol/overflow``).
    public func string(_ symbol: Symbol) -> String {
        symbol == .overflow ? "#overflow" : strings[Int(symbol.id)]
    }

    /// The symbol of `string`, interning it when new (``Symbol/overflow`` when the table is full).
    public mutating func intern(_ string: String) -> Symbol {
        var copy = string
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The symbol of `string` if it was interned.
    public func lookup(_ string: String) -> Symbol? {
        var copy = string
        return copy.withUTF8 { lookup(UnsafeRawBufferPointer($0)) }
    }

    /// The symbol of these UTF-8 bytes, interning them when new (``Symbol/overflow`` when full).
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Symbol {
        let hash = Self.hash(bytes)
        var index = hash & mask
        while true {
            let slot = slots[index]
            if slot == 0 { break }
            if equals(Int(slot - 1), bytes) { return Symbol(id: slot - 1) }
            index = (index + 1) & mask
        }
        guard strings.count < capacity else { return .overflow }
        let id = UInt32(strings.count)
        starts.append(arena.count)
        lengths.append(Int32(bytes.count))
        arena.append(contentsOf: bytes)
        strings.append(String(decoding: bytes, as: UTF8.self))
        slots[index] = id + 1
        if strings.count * 2 > slots.count { grow() }
        return Symbol(id: id)
    }

    /// The symbol of these UTF-8 bytes if they were interned.
    public func lookup(_ bytes: UnsafeRawBufferPointer) -> Symbol? {
        var index = Self.hash(bytes) & mask
        while true {
            let slot = slots[index]
            if slot == 0 { return nil }
            if equals(Int(slot - 1), bytes) { return Symbol(id: slot - 1) }
            index = (index + 1) & mask
        }
    }

    private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard Int(lengths[id]) == bytes.count else { return false }
        let start = starts[id]
        return arena.withUnsafeBytes { stored in
            bytes.count == 0 || memcmp(stored.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
        for id in 0..<strings.count {
            let hash = arena.withUnsafeBytes { stored in
                Self.hash(UnsafeRawBufferPointer(rebasing: stored[starts[id]..<starts[id] + Int(lengths[id])]))
            }
            var index = hash & mask
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = UInt32(id + 1)
        }
    }

    /// FNV-1a over the bytes, finished with a multiplicative mix so that the low bits spread.
    @inline(__always) static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
