#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPython's `random.Random(seed)` generator — MT19937 (Matsumoto & Nishimura 1998) seeded by
/// `init_by_array` with the seed's 32-bit words — and the parts of `random.Random` that River's KSWIN
/// uses (`getrandbits`, `_randbelow`, `sample`), reproduced bit for bit so that KSWIN's detections
/// match River's.
///
/// Invariants:
/// 1. `state.count == 624`;
/// 2. `0 ≤ index ≤ 624` (624: the next draw regenerates the block).
///
/// Example:
/// ```swift
/// var rng = MersenneTwister(seed: 42)
/// rng.nextUInt32()                          // 2746317213, as random.Random(42).getrandbits(32)
/// rng.sample(populationSize: 70, count: 30) // as random.Random(42).sample(range(70), 30) after that draw
/// ```
///
/// Reference: M. Matsumoto, T. Nishimura, "Mersenne Twister: a 623-dimensionally equidistributed
/// uniform pseudo-random number generator", ACM TOMACS 8 (1998); CPython `Modules/_randommodule.c`
/// and `Lib/random.py`.
public struct MersenneTwister: Sendable, Equatable {
    static let n = 624
    static let m = 397
    static let matrixA: UInt32 = 0x9908_B0DF
    static let upperMask: UInt32 = 0x8000_0000
    static let lowerMask: UInt32 = 0x7FFF_FFFF

    /// The 624-word state.
    var state: [UInt32]
    /// The next word of `state` to temper.
    var index: Int

    /// `random.Random(seed)` for a non-negative integer seed: `init_by_array` of the seed's 32-bit
    /// words, least significant first (`[0]` for seed 0).
    ///
    /// - Cost: O(624); one 2.5 KB allocation.
    public init(seed: UInt64) {
        var key: [UInt32] = [UInt32(truncatingIfNeeded: seed)]
        if seed >> 32 != 0 { key.append(UInt32(truncatingIfNeeded: seed >> 32)) }
        self.init(key: key)
    }

    /// MT19937 seeded by `init_by_array(key)`.
    public init(key: [UInt32]) {
        let n = Self.n
        var mt = [UInt32](repeating: 0, count: n)
        mt[0] = 19_650_218
        for i in 1..<n {
            mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
        let keyLength = Swift.max(key.count, 1)
        var i = 1
        var j = 0
        var k = Swift.max(n, keyLength)
        while k > 0 {
            let word = j < key.count ? key[j] : 0
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_664_525)) &+ word &+ UInt32(j)
            i += 1
            j += 1
            if i >= n {
                mt[0] = mt[n - 1]
                i = 1
            }
            if j >= keyLength { j = 0 }
            k -= 1
        }
        k = n - 1
        while k > 0 {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n {
                mt[0] = mt[n - 1]
                i = 1
            }
            k -= 1
        }
        mt[0] = 0x8000_0000
        self.state = mt
        self.index = n
    }

    /// The next 32 random bits (`genrand_uint32`; `random.getrandbits(32)`). Amortized O(1).
    public mutating func nextUInt32() -> UInt32 {
        if index >= Self.n { regenerate() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// The next block of 624 words.
    mutating func regenerate() {
        let n = Self.n
        let m = Self.m
        state.withUnsafeMutableBufferPointer { mt in
            @inline(__always) func twist(_ kk: Int, _ next: Int, _ far: Int) {
                let y = (mt[kk] & Self.upperMask) | (mt[next] & Self.lowerMask)
                mt[kk] = mt[far] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : Self.matrixA)
            }
            for kk in 0..<(n - m) { twist(kk, kk + 1, kk + m) }
            for kk in (n - m)..<(n - 1) { twist(kk, kk + 1, kk + m - n) }
            twist(n - 1, 0, m - 1)
        }
        index = 0
    }

    /// `random.getrandbits(k)` for `0 ≤ k ≤ 32`: the top k bits of one 32-bit draw.
    public mutating func randomBits(_ k: Int) -> UInt32 {
        precondition(k >= 0 && k <= 32, "k must be in 0...32")
        if k == 0 { return 0 }
        return nextUInt32() >> UInt32(32 - k)
    }

    /// `random._randbelow(n)`: a uniform integer in `0..<n` by rejection of `bit_length(n)`-bit draws.
    ///
    /// - Precondition: `1 ≤ n ≤ 2³²`.
    public mutating func below(_ n: Int) -> Int {
        precondition(n >= 1 && n <= 1 << 32, "n must be in 1...2^32")
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = Int(randomBits(k))
        while r >= n { r = Int(randomBits(k)) }
        return r
    }

    /// `random.sample(range(populationSize), count)`: `count` distinct integers in selection order.
    ///
    /// CPython's algorithm choice is reproduced: a partial Fisher–Yates over a pool when
    /// `populationSize ≤ 21 + 4^⌈log₄(3·count)⌉` (for count > 5; 21 otherwise), else repeated
    /// `_randbelow` with rejection of repeats.
    ///
    /// - Precondition: `0 ≤ count ≤ populationSize`.
    /// - Cost: O(populationSize + count) draws/operations; allocates the result and a pool.
    public mutating func sample(populationSize: Int, count: Int) -> [Int] {
        var result = [Int]()
        var scratch = [Int]()
        sample(populationSize: populationSize, count: count, into: &result, scratch: &scratch)
        return result
    }

    /// `sample(populationSize:count:)` writing into reusable buffers (no allocation once they have
    /// grown to `count` and `populationSize` elements).
    public mutating func sample(populationSize n: Int, count k: Int, into result: inout [Int], scratch: inout [Int]) {
        precondition(k >= 0 && k <= n, "sample larger than population")
        result.removeAll(keepingCapacity: true)
        var setSize = 21
        if k > 5 {
            let exponent = (log(Double(k * 3)) / log(4.0)).rounded(.up)
            setSize += Int(pow(4.0, exponent))
        }
        scratch.removeAll(keepingCapacity: true)
        if n <= setSize {
            // pool = list(population); result[i] = pool[j]; pool[j] = pool[n − i − 1]
            for value in 0..<n { scratch.append(value) }
            for i in 0..<k {
                let j = below(n - i)
                result.append(scratch[j])
                scratch[j] = scratch[n - i - 1]
            }
        } else {
            // selected = set(): redraw while j is already selected (scratch as a membership bitmap).
            for _ in 0..<n { scratch.append(0) }
            for _ in 0..<k {
                var j = below(n)
                while scratch[j] != 0 { j = below(n) }
                scratch[j] = 1
                result.append(j)
            }
        }
    }

    internal func testOnly_verifyInvariants() -> Bool {
        state.count == Self.n && index >= 0 && index <= Self.n
    }
}
