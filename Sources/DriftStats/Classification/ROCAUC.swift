/// Area under the ROC curve, binary and one-vs-rest multiclass, matching scikit-learn 1.9's
/// `roc_auc_score` (`multi_class='ovr'` for the multiclass form).
///
/// Binary AUC is the trapezoidal area under the curve of (false-positive rate, true-positive rate)
/// traced by lowering the threshold through the distinct scores. Tied scores move both rates at once,
/// so a tied positive/negative pair receives ½ credit — the area equals the Mann–Whitney statistic
///
///     AUC = (1 / (P·N)) · Σ over positive/negative pairs of [s⁺ > s⁻] + ½·[s⁺ = s⁻].
///
/// It is computed exactly by one sort and one sweep over groups of equal scores:
/// `2·area = Σ_groups fp_g · (2·tp_before + tp_g)`, divided by `2·P·N` at the end (integers below 2⁵³
/// are exact, so the only rounding is the final division).
///
/// Cost: O(n log n) time and O(n) temporary memory per binary AUC; O(K·n log n) for one-vs-rest.
public enum ROCAUC {
    /// How the per-class one-vs-rest AUCs are combined.
    public enum Average: Sendable, Equatable {
        /// The unweighted mean over classes.
        case macro
        /// The mean weighted by each class's number of true samples (its prevalence).
        case weighted
    }

    /// The binary ROC AUC of `scores` (higher = more likely positive) against `labels` (true = positive).
    ///
    /// Returns nil where scikit-learn raises: different array lengths, an empty input, a NaN score,
    /// or only one class present in `labels`.
    ///
    /// Example:
    /// ```swift
    /// ROCAUC.binary(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true]) // 0.75
    /// ```
    public static func binary(scores: [Double], labels: [Bool]) -> Double? {
        guard scores.count == labels.count, !scores.isEmpty else { return nil }
        var pairs = [(score: Double, positive: Bool)]()
        pairs.reserveCapacity(scores.count)
        for index in scores.indices {
            let score = scores[index]
            guard !score.isNaN else { return nil }
            pairs.append((score, labels[index]))
        }
        return areaUnderCurve(sortingInPlace: &pairs)
    }

    /// The one-vs-rest multiclass ROC AUC: for each class c the binary AUC of `probabilities[i][c]`
    /// against `labels[i] == c`, combined by `average` (scikit-learn
    /// `roc_auc_score(y, P, multi_class='ovr', average=…, labels=range(classCount))`).
    ///
    /// Returns nil where scikit-learn raises: `classCount < 2`, an empty input, a row count different
    /// from the label count, a row without exactly `classCount` entries, a label outside
    /// `0..<classCount`, a NaN probability, a row whose sum is not 1 within numpy's `allclose`
    /// tolerance (|1 − Σ| ≤ 1e-8 + 1e-5·|Σ|), or a class absent from `labels` (its AUC is undefined).
    public static func oneVsRest(
        probabilities: [[Double]], labels: [Int], classCount: Int, average: Average
    ) -> Double? {
        guard classCount >= 2, !labels.isEmpty, probabilities.count == labels.count else { return nil }
        var support = [Int](repeating: 0, count: classCount)
        for (row, label) in zip(probabilities, labels) {
            guard label >= 0, label < classCount, row.count == classCount else { return nil }
            var sum = 0.0
            for value in row {
                guard !value.isNaN else { return nil }
                sum += value
            }
            guard Swift.abs(1 - sum) <= 1e-8 + 1e-5 * Swift.abs(sum) else { return nil }
            support[label] += 1
        }
        guard support.allSatisfy({ $0 > 0 && $0 < labels.count }) else { return nil }

        var pairs = [(score: Double, positive: Bool)]()
        pairs.reserveCapacity(labels.count)
        var weightedSum = 0.0
        var plainSum = 0.0
        for classIndex in 0..<classCount {
            pairs.removeAll(keepingCapacity: true)
            for (row, label) in zip(probabilities, labels) {
                pairs.append((row[classIndex], label == classIndex))
            }
            guard let auc = areaUnderCurve(sortingInPlace: &pairs) else { return nil }
            plainSum += auc
            weightedSum += auc * Double(support[classIndex])
        }
        switch average {
        case .macro: return plainSum / Double(classCount)
        case .weighted: return weightedSum / Double(labels.count)
        }
    }

    /// Sorts `pairs` by descending score and sweeps the groups of equal scores (no NaN allowed).
    static func areaUnderCurve(sortingInPlace pairs: inout [(score: Double, positive: Bool)]) -> Double? {
        pairs.sort { $0.score > $1.score }
        var truePositives = 0.0
        var falsePositives = 0.0
        var twiceArea = 0.0
        pairs.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                let score = buffer[start].score
                var groupPositives = 0.0
                var groupNegatives = 0.0
                var end = start
                while end < buffer.count, buffer[end].score == score {
                    if buffer[end].positive { groupPositives += 1 } else { groupNegatives += 1 }
                    end += 1
                }
                twiceArea += groupNegatives * (2 * truePositives + groupPositives)
                truePositives += groupPositives
                falsePositives += groupNegatives
                start = end
            }
        }
        guard truePositives > 0, falsePositives > 0 else { return nil }
        return twiceArea / (2 * truePositives * falsePositives)
    }
}
