import DriftStats

/// Stratified k-fold splits: each class's rows, shuffled with a seeded generator, are dealt round-robin to
/// the folds, so every fold keeps the class proportions (within one row per class).
public struct StratifiedKFold: Sendable, Equatable {
    /// The number of folds.
    public let folds: Int
    /// The shuffling seed (same seed, same labels: same folds).
    public let seed: UInt64

    /// `folds` folds (at least 2) shuffled with `seed`.
    public init(folds: Int = 5, seed: UInt64 = 42) throws(LearnError) {
        guard folds >= 2 else { throw .invalidInput("cross-validation needs at least 2 folds, got \(folds)") }
        self.folds = folds
        self.seed = seed
    }

    /// The (training rows, validation rows) of each fold, rows in increasing order.
    public func splits(labels: [Int]) -> [(training: [Int], validation: [Int])] {
        var generator = SplitMix64(seed: seed)
        var byClass: [Int: [Int]] = [:]
        for (row, label) in labels.enumerated() { byClass[label, default: []].append(row) }
        var assignment = [Int](repeating: 0, count: labels.count)
        var next = 0
        for label in byClass.keys.sorted() {
            var rows = byClass[label] ?? []
            rows.shuffle(using: &generator)
            for row in rows {
                assignment[row] = next
                next = (next + 1) % folds
            }
        }
        return (0..<folds).map { fold in
            (training: labels.indices.filter { assignment[$0] != fold }, validation: labels.indices.filter { assignment[$0] == fold })
        }
    }
}
