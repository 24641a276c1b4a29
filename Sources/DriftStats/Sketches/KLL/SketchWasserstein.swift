/// The 1-Wasserstein (earth mover's) distance between the distributions summarised by two KLL
/// sketches.
///
/// `W₁ = ∫ |F̂_a(x) − F̂_b(x)| dx`, the sketch CDFs being step functions that change only at retained
/// items, so the integral is the finite sum over consecutive distinct retained items `x_i < x_(i+1)`
/// of the union: `Σ |F̂_a(x_i) − F̂_b(x_i)| · (x_(i+1) − x_i)` (outside that range both CDFs are 0 or
/// both 1). In exact mode this is `scipy.stats.wasserstein_distance` of the raw samples.
///
/// Error bound: each `F̂` is within `ε` of its exact ECDF for every `x` (≈ 99 % confidence), and
/// both CDFs are exact outside `[min, max]` of the union, so
/// `|W₁ − W₁_exact| ≤ (ε_a + ε_b) · (max − min)`, reported as `errorBound` (ε = single-rank
/// `normalizedRankError`).
public enum SketchWasserstein {
    /// The approximate distance with its error bound.
    public struct Result: Sendable, Equatable {
        /// `∫ |F̂_a − F̂_b| dx` (NaN if a sketch is empty).
        public var distance: Double
        /// `(ε_a + ε_b) · (max − min of both streams)` (NaN if a sketch is empty).
        public var errorBound: Double

        /// Creates a result from its parts (computed by `SketchWasserstein.distance`).
        public init(distance: Double, errorBound: Double) {
            self.distance = distance
            self.errorBound = errorBound
        }
    }

    /// The distance between two sketches and its error bound.
    ///
    /// - Complexity: O(R log R) for R retained items in total.
    public static func distance(_ a: KLLSketch, _ b: KLLSketch) -> Result {
        guard !a.isEmpty, !b.isEmpty else { return Result(distance: .nan, errorBound: .nan) }
        let viewA = a.sortedView(), viewB = b.sortedView()
        let itemsA = viewA.items, itemsB = viewB.items
        let weightsA = viewA.cumulativeWeights, weightsB = viewB.cumulativeWeights
        let totalA = Double(viewA.totalWeight), totalB = Double(viewB.totalWeight)
        var i = 0
        var j = 0
        var area = 0.0
        var previous = 0.0
        var gap = 0.0
        var started = false
        while i < itemsA.count || j < itemsB.count {
            let x: Double
            if i == itemsA.count { x = itemsB[j] } else if j == itemsB.count { x = itemsA[i] } else {
                x = Swift.min(itemsA[i], itemsB[j])
            }
            if started { area += gap * (x - previous) }
            while i < itemsA.count, itemsA[i] <= x { i += 1 }
            while j < itemsB.count, itemsB[j] <= x { j += 1 }
            let cdfA = i == 0 ? 0 : Double(weightsA[i - 1]) / totalA
            let cdfB = j == 0 ? 0 : Double(weightsB[j - 1]) / totalB
            gap = Swift.abs(cdfA - cdfB)
            previous = x
            started = true
        }
        let epsilon = a.normalizedRankError(pmf: false) + b.normalizedRankError(pmf: false)
        let range = Swift.max(a.maximum, b.maximum) - Swift.min(a.minimum, b.minimum)
        return Result(distance: area, errorBound: epsilon * range)
    }
}
