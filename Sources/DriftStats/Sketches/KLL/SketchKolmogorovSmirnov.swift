#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Two-sample Kolmogorov–Smirnov test between two KLL sketches, after Apache DataSketches'
/// `kolmogorov_smirnov` (`kolmogorov_smirnov_impl.hpp`).
///
/// * Statistic: `D = max_x |F̂_a(x) − F̂_b(x)|`, the sketch CDFs (inclusive ranks) evaluated at every
///   retained item of both sketches — the supremum of the difference of the two step functions.
///   Since each `F̂` is within `ε` of its exact ECDF (≈ 99 % confidence each),
///   `|D − D_exact| ≤ ε_a + ε_b`.
/// * Threshold: `c(α) · sqrt((n₁ + n₂) / (n₁ · n₂))` with `c(α) = sqrt(−½ · ln(α / 2))` — the
///   asymptotic two-sample KS critical value for sample sizes `n₁`, `n₂`.
/// * `epsilon = ε_a + ε_b`, the single-rank `normalizedRankError(pmf: false)` of each sketch (as in
///   DataSketches, reported even in exact mode).
/// * `rejectsNull ⇔ D > threshold + epsilon` (conservative: only differences that cannot be
///   explained by sampling *and* sketch error count).
///
/// DataSketches computes the critical value from the *retained item counts* instead of the stream
/// counts; `test(_:_:alpha:sampleSize:)` offers that convention as `.retainedItems`.
public enum SketchKolmogorovSmirnov {
    /// The outcome of the sketch KS test.
    public struct Result: Sendable, Equatable {
        /// `D = max |F̂_a − F̂_b|` over the retained items (NaN if a sketch is empty).
        public var statistic: Double
        /// `ε_a + ε_b`: the sketch error that `statistic` may carry.
        public var epsilon: Double
        /// `c(α) · sqrt((n₁ + n₂) / (n₁ n₂))`.
        public var threshold: Double
        /// `statistic > threshold + epsilon` (false when a sketch is empty).
        public var rejectsNull: Bool

        /// Creates a result from its parts (the test itself is `SketchKolmogorovSmirnov.test`).
        public init(statistic: Double, epsilon: Double, threshold: Double, rejectsNull: Bool) {
            self.statistic = statistic
            self.epsilon = epsilon
            self.threshold = threshold
            self.rejectsNull = rejectsNull
        }
    }

    /// Which sizes enter the critical value `c(α) · sqrt((n₁ + n₂) / (n₁ n₂))`.
    public enum SampleSize: Sendable, Equatable {
        /// The stream counts `n₁ = a.count`, `n₂ = b.count` (the classical test; default).
        case streamCounts
        /// The retained item counts (Apache DataSketches' choice; far more conservative).
        case retainedItems
    }

    /// `c(α) = sqrt(−½ · ln(α / 2))`, the asymptotic two-sided KS coefficient.
    public static func coefficient(alpha: Double) -> Double {
        (-0.5 * log(0.5 * alpha)).squareRoot()
    }

    /// The KS statistic between two sketches: `max |F̂_a(x) − F̂_b(x)|` over the union of retained
    /// items (NaN if either is empty).
    ///
    /// - Complexity: O(R log R) for R retained items in total.
    public static func statistic(_ a: KLLSketch, _ b: KLLSketch) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return .nan }
        return statistic(a.sortedView(), b.sortedView())
    }

    /// The KS statistic between two sorted views (NaN if either is empty).
    public static func statistic(_ viewA: KLLSortedView, _ viewB: KLLSortedView) -> Double {
        guard viewA.totalWeight > 0, viewB.totalWeight > 0 else { return .nan }
        let itemsA = viewA.items, itemsB = viewB.items
        let weightsA = viewA.cumulativeWeights, weightsB = viewB.cumulativeWeights
        let totalA = Double(viewA.totalWeight), totalB = Double(viewB.totalWeight)
        var i = 0
        var j = 0
        var d = 0.0
        while i < itemsA.count || j < itemsB.count {
            // The next distinct value of the union; step both CDFs past it.
            let x: Double
            if i == itemsA.count { x = itemsB[j] } else if j == itemsB.count { x = itemsA[i] } else {
                x = Swift.min(itemsA[i], itemsB[j])
            }
            while i < itemsA.count, itemsA[i] <= x { i += 1 }
            while j < itemsB.count, itemsB[j] <= x { j += 1 }
            let cdfA = i == 0 ? 0 : Double(weightsA[i - 1]) / totalA
            let cdfB = j == 0 ? 0 : Double(weightsB[j - 1]) / totalB
            d = Swift.max(d, Swift.abs(cdfA - cdfB))
        }
        return d
    }

    /// Tests whether the streams summarised by `a` and `b` come from the same distribution at
    /// significance `alpha` (see the type documentation). With an empty sketch the statistic is NaN
    /// and the null is not rejected.
    ///
    /// - Complexity: O(R log R) for R retained items in total.
    public static func test(_ a: KLLSketch, _ b: KLLSketch, alpha: Double = 0.05) -> Result {
        test(a, b, alpha: alpha, sampleSize: .streamCounts)
    }

    /// `test(_:_:alpha:)` with a choice of the sizes in the critical value.
    public static func test(_ a: KLLSketch, _ b: KLLSketch, alpha: Double, sampleSize: SampleSize) -> Result {
        let epsilon = a.normalizedRankError(pmf: false) + b.normalizedRankError(pmf: false)
        let n1: Double, n2: Double
        switch sampleSize {
        case .streamCounts:
            n1 = Double(a.count)
            n2 = Double(b.count)
        case .retainedItems:
            n1 = Double(a.retainedCount)
            n2 = Double(b.retainedCount)
        }
        let threshold = coefficient(alpha: alpha) * ((n1 + n2) / (n1 * n2)).squareRoot()
        let d = statistic(a, b)
        return Result(statistic: d, epsilon: epsilon, threshold: threshold, rejectsNull: d > threshold + epsilon)
    }
}
