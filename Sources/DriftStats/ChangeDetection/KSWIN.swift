/// KSWIN, the Kolmogorov–Smirnov windowing drift detector, reproducing River 0.26.1's
/// `drift.KSWIN` update by update (with a fixed seed).
///
/// Parameters (River's names and defaults, except that the seed is required and defaults to 42):
/// * `alpha` (0.005) — the KS test's significance level, in [0, 1];
/// * `windowSize` (100) — the sliding window Ψ of the most recent values;
/// * `statSize` (30) — r, the size of both compared samples (`windowSize ≥ 2·statSize`);
/// * `seed` (42) — seeds CPython's `random.Random(seed)` (Mersenne Twister), re-seeded on every reset;
/// * `initialWindow` — values to pre-fill the window with (River's `window`; the last `windowSize` kept).
///
/// Math: once the window is full, every update draws `statSize` positions without replacement from the
/// oldest `windowSize − statSize` values (`random.sample(range(windowSize − statSize), statSize)`)
/// and compares them with the `statSize` most recent values by the two-sample KS test
/// (`ks_2samp(sampled, recent)`, method auto — exact for these sizes). A change is detected iff
/// `p ≤ alpha` and `D > 0.1`; the window is then cut to the `statSize` most recent values, and — River's
/// semantics — the *next* update starts by resetting the detector (empty window, RNG re-seeded).
///
/// Invariants:
/// 1. `storage.count == windowSize` and `0 ≤ head < windowSize`;
/// 2. `0 ≤ count ≤ windowSize`;
/// 3. the scratch buffers hold `statSize` values each;
/// 4. `driftDetected` implies `count == statSize` (the window was cut to the recent values).
///
/// Cost: O(windowSize) per update once the window is full (a sample of `statSize` positions, two sorts
/// of `statSize` values, one exact KS p-value in O(statSize)); no allocation per update.
///
/// Example:
/// ```swift
/// var detector = try KSWIN()
/// for (i, x) in stream.enumerated() {
///     detector.update(x)
///     if detector.driftDetected { print("change at \(i)") }
/// }
/// ```
///
/// References: C. Raab, M. Heusinger, F.-M. Schleif, "Reactive Soft Prototype Computing for Concept
/// Drift Streams", Neurocomputing 416 (2020); River `river/drift/kswin.py` (0.26.1).
public struct KSWIN: ChangeDetector {
    /// Invalid parameters.
    public enum ParameterError: Error, Equatable, Sendable {
        /// `alpha` must be in [0, 1].
        case invalidAlpha(Double)
        /// `statSize` must be at least 1.
        case invalidStatSize(Int)
        /// `windowSize` must be at least `2·statSize` (the sampled positions are drawn from the oldest
        /// `windowSize − statSize` values).
        case windowTooSmall(windowSize: Int, statSize: Int)
    }

    /// The KS test's significance level.
    public let alpha: Double
    /// The number of most recent values kept.
    public let windowSize: Int
    /// The size of the two compared samples.
    public let statSize: Int
    /// The seed of the sampling generator (re-used on every reset).
    public let seed: UInt64

    /// Whether the last `update` detected a change.
    public private(set) var driftDetected = false
    /// The p-value of the last test (0 before the first one, as River).
    public private(set) var pValue = 0.0
    /// The KS statistic of the last test (0 before the first one).
    public private(set) var statistic = 0.0
    /// Updates since the last reset (River's `n`).
    public private(set) var updateCount = 0

    var storage: [Double]
    var head = 0
    var count = 0
    var rng: MersenneTwister
    var sampled: [Double]
    var recent: [Double]
    var positions: [Int] = []
    var pool: [Int] = []

    /// Creates a detector; throws for invalid parameters.
    ///
    /// - Cost: O(windowSize + 624).
    public init(
        alpha: Double = 0.005, windowSize: Int = 100, statSize: Int = 30, seed: UInt64 = 42,
        initialWindow: [Double] = []
    ) throws(ParameterError) {
        guard alpha >= 0, alpha <= 1 else { throw .invalidAlpha(alpha) }
        guard statSize >= 1 else { throw .invalidStatSize(statSize) }
        guard windowSize >= 2 * statSize else { throw .windowTooSmall(windowSize: windowSize, statSize: statSize) }
        self.alpha = alpha
        self.windowSize = windowSize
        self.statSize = statSize
        self.seed = seed
        self.storage = [Double](repeating: 0, count: windowSize)
        self.rng = MersenneTwister(seed: seed)
        self.sampled = [Double](repeating: 0, count: statSize)
        self.recent = [Double](repeating: 0, count: statSize)
        positions.reserveCapacity(statSize)
        pool.reserveCapacity(windowSize)
        for x in initialWindow { append(x) }
    }

    /// The window's values, oldest first.
    public var window: [Double] { (0..<count).map { element($0) } }

    /// Feeds one value (see the type's documentation for the test). O(windowSize) once the window
    /// is full; no allocation.
    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        updateCount += 1
        append(x)
        guard count >= windowSize else {
            driftDetected = false
            return
        }
        let oldest = windowSize - statSize
        rng.sample(populationSize: oldest, count: statSize, into: &positions, scratch: &pool)
        for s in 0..<statSize {
            sampled[s] = element(positions[s])
            recent[s] = element(oldest + s)
        }
        sampled.sort()
        recent.sort()
        let result = KolmogorovSmirnov.twoSample(sortedA: sampled, sortedB: recent)
        pValue = result.pValue
        statistic = result.statistic
        if pValue <= alpha && statistic > 0.1 {
            driftDetected = true
            // River: window = deque(most_recent, maxlen=window_size) — keep the last statSize values.
            head += oldest
            if head >= windowSize { head -= windowSize }
            count = statSize
        } else {
            driftDetected = false
        }
    }

    /// River's `_reset`: empty window, RNG re-seeded, counters cleared.
    mutating func reset() {
        driftDetected = false
        pValue = 0
        statistic = 0
        updateCount = 0
        head = 0
        count = 0
        rng = MersenneTwister(seed: seed)
    }

    @inline(__always)
    func element(_ r: Int) -> Double {
        var index = head + r
        if index >= windowSize { index -= windowSize }
        return storage[index]
    }

    /// Appends to the bounded window, dropping the oldest value when full.
    mutating func append(_ x: Double) {
        if count < windowSize {
            var index = head + count
            if index >= windowSize { index -= windowSize }
            storage[index] = x
            count += 1
        } else {
            storage[head] = x
            head += 1
            if head == windowSize { head = 0 }
        }
    }

    internal func testOnly_verifyInvariants() -> Bool {
        storage.count == windowSize && head >= 0 && head < windowSize
            && count >= 0 && count <= windowSize
            && sampled.count == statSize && recent.count == statSize
            && (!driftDetected || count == statSize)
            && rng.testOnly_verifyInvariants()
    }
}
