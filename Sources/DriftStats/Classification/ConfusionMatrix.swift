/// A K×K confusion matrix of a classifier over the labels `0..<labelCount`: rows are the true label,
/// columns the predicted label (scikit-learn's `confusion_matrix(y_true, y_pred, labels=range(K))`).
///
/// The matrix is a mergeable summary: counts recorded on shards and merged equal the counts recorded
/// on the whole stream, so it can be kept per time window or per worker and combined later.
/// `ClassificationReport(confusion:)` turns it into accuracy, precision, recall, F1 and support.
///
/// Pairs with a label outside `0..<labelCount` are not counted in the matrix; they are tallied in
/// `outOfRangeCount` instead (recording never traps on data).
///
/// Invariants (checked by `testOnly_verifyInvariants()`):
/// 1. `storage.count == labelCount * labelCount` and `labelCount >= 1`.
/// 2. `total` equals the sum of every cell of the matrix.
///
/// Cost: `record` is O(1) with no allocation; `merge` is O(K²); memory is K² `UInt64`s.
public struct ConfusionMatrix: Sendable, Equatable {
    /// The number of labels K; valid labels are `0..<labelCount`.
    public let labelCount: Int
    /// Row-major K×K cells: `storage[t * K + p]` counts samples with true label t predicted as p.
    @usableFromInline var storage: [UInt64]
    /// The number of samples counted in the matrix (the sum of all cells).
    public private(set) var total: UInt64
    /// The number of `record` calls whose true or predicted label was outside `0..<labelCount`
    /// (not counted in the matrix).
    public private(set) var outOfRangeCount: UInt64

    /// An empty matrix over the labels `0..<labelCount`.
    ///
    /// - Precondition: `labelCount >= 1` (a programming error otherwise).
    public init(labelCount: Int) {
        precondition(labelCount >= 1, "ConfusionMatrix needs at least one label")
        self.labelCount = labelCount
        self.storage = [UInt64](repeating: 0, count: labelCount * labelCount)
        self.total = 0
        self.outOfRangeCount = 0
    }

    /// A matrix built from aligned arrays of true and predicted labels.
    ///
    /// Pairs beyond the shorter array are ignored. Cost: O(n + K²).
    public init(trueLabels: [Int], predicted: [Int], labelCount: Int) {
        self.init(labelCount: labelCount)
        for (t, p) in zip(trueLabels, predicted) { record(trueLabel: t, predicted: p) }
    }

    /// Counts one sample with true label `trueLabel` predicted as `predicted`.
    ///
    /// A label outside `0..<labelCount` increments `outOfRangeCount` instead. O(1), no allocation.
    public mutating func record(trueLabel: Int, predicted: Int) {
        record(trueLabel: trueLabel, predicted: predicted, count: 1)
    }

    /// Counts `count` samples with true label `trueLabel` predicted as `predicted` (saturating at `UInt64.max`).
    public mutating func record(trueLabel: Int, predicted: Int, count: UInt64) {
        guard trueLabel >= 0, trueLabel < labelCount, predicted >= 0, predicted < labelCount else {
            outOfRangeCount = Self.saturatingAdd(outOfRangeCount, count)
            return
        }
        let index = trueLabel * labelCount + predicted
        storage[index] = Self.saturatingAdd(storage[index], count)
        total = Self.saturatingAdd(total, count)
    }

    /// Adds the counts of `other`, which must have the same `labelCount`. O(K²).
    ///
    /// - Throws: `ConfusionMatrixError.incompatibleLabelCount` when the label counts differ
    ///   (the matrix is then unchanged).
    public mutating func merge(_ other: ConfusionMatrix) throws(ConfusionMatrixError) {
        guard other.labelCount == labelCount else {
            throw .incompatibleLabelCount(labelCount, other.labelCount)
        }
        for i in storage.indices {
            storage[i] = Self.saturatingAdd(storage[i], other.storage[i])
        }
        total = Self.saturatingAdd(total, other.total)
        outOfRangeCount = Self.saturatingAdd(outOfRangeCount, other.outOfRangeCount)
    }

    /// The number of samples with true label `trueLabel` predicted as `predicted`
    /// (0 for labels outside `0..<labelCount`).
    @inlinable
    public func count(trueLabel: Int, predicted: Int) -> UInt64 {
        guard trueLabel >= 0, trueLabel < labelCount, predicted >= 0, predicted < labelCount else { return 0 }
        return storage[trueLabel * labelCount + predicted]
    }

    /// The matrix as rows (true label) of columns (predicted label). Allocates K + 1 arrays.
    public var counts: [[UInt64]] {
        (0..<labelCount).map { row in Array(storage[(row * labelCount)..<((row + 1) * labelCount)]) }
    }

    /// The number of correctly classified samples (the trace).
    public var correctCount: UInt64 {
        var sum: UInt64 = 0
        for label in 0..<labelCount { sum = Self.saturatingAdd(sum, storage[label * labelCount + label]) }
        return sum
    }

    @usableFromInline
    static func saturatingAdd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    internal func testOnly_verifyInvariants() -> Bool {
        guard labelCount >= 1, storage.count == labelCount * labelCount else { return false }
        var sum: UInt64 = 0
        for cell in storage {
            let (next, overflow) = sum.addingReportingOverflow(cell)
            if overflow { return total == .max }
            sum = next
        }
        return sum == total
    }
}
