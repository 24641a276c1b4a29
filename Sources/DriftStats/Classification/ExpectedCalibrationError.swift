/// Expected calibration error (ECE) of a classifier's confidences (Naeini et al. 2015; Guo et al. 2017).
///
/// Confidences in [0, 1] are grouped into `B` equal-width bins and the per-bin gap between accuracy and
/// mean confidence is averaged, weighted by the bin's share of samples:
///
///     ECE = Σ_b (n_b / n) · |acc_b − conf_b|,   acc_b = (1/n_b)·Σ_{i∈b} correctᵢ,  conf_b = (1/n_b)·Σ_{i∈b} cᵢ
///
/// Empty bins contribute nothing. ECE is 0 for a perfectly calibrated predictor and at most 1.
///
/// **Binning convention** (there is no single standard): left-closed bins — bin b covers
/// [b/B, (b+1)/B) and the last bin also includes 1.0; the index is computed as `min(Int(c · B), B − 1)`
/// (so an edge is decided by the rounded product c·B). Guo et al.'s reference code uses right-closed
/// bins (b/B, (b+1)/B] instead, which differs only for confidences exactly on an inner edge.
///
/// Cost: O(n + B) time, O(B) temporary memory.
public enum ExpectedCalibrationError {
    /// The ECE of `confidences` (the predicted probability of the predicted class) given whether each
    /// prediction was `correct`, using `bins` equal-width bins.
    ///
    /// Returns NaN for an empty input, arrays of different lengths, or a confidence that is NaN or
    /// outside [0, 1].
    ///
    /// - Precondition: `bins >= 1` (a programming error otherwise).
    ///
    /// Example:
    /// ```swift
    /// // two samples in bin [0.9, 1.0]: mean confidence 0.95, accuracy 0.5 → ECE 0.45
    /// ExpectedCalibrationError.compute(confidences: [0.9, 1.0], correct: [true, false]) // 0.45
    /// ```
    public static func compute(confidences: [Double], correct: [Bool], bins: Int = 10) -> Double {
        precondition(bins >= 1, "ExpectedCalibrationError needs at least one bin")
        guard !confidences.isEmpty, confidences.count == correct.count else { return .nan }
        var counts = [Int](repeating: 0, count: bins)
        var confidenceSums = [Double](repeating: 0, count: bins)
        var correctCounts = [Int](repeating: 0, count: bins)
        let binCount = Double(bins)
        for index in confidences.indices {
            let confidence = confidences[index]
            guard confidence >= 0, confidence <= 1 else { return .nan }  // also rejects NaN
            let bin = Swift.min(Int(confidence * binCount), bins - 1)
            counts[bin] += 1
            confidenceSums[bin] += confidence
            if correct[index] { correctCounts[bin] += 1 }
        }
        // Σ_b (n_b/n)·|acc_b − conf_b| = (1/n)·Σ_b |correct_b − Σconf_b|
        var total = 0.0
        for bin in 0..<bins where counts[bin] > 0 {
            total += Swift.abs(Double(correctCounts[bin]) - confidenceSums[bin])
        }
        return total / Double(confidences.count)
    }

    /// The top-label ECE of class-probability rows: the confidence of row i is its largest entry and the
    /// prediction (the first column holding it) is correct when it equals `labels[i]`.
    ///
    /// Returns NaN for the cases of `compute(confidences:correct:bins:)` and for an empty row or a
    /// row count different from the label count.
    public static func compute(probabilities: [[Double]], labels: [Int], bins: Int = 10) -> Double {
        guard probabilities.count == labels.count else { return .nan }
        var confidences = [Double]()
        var correct = [Bool]()
        confidences.reserveCapacity(labels.count)
        correct.reserveCapacity(labels.count)
        for (row, label) in zip(probabilities, labels) {
            guard var best = row.first else { return .nan }
            var predicted = 0
            for column in row.indices.dropFirst() where row[column] > best {
                best = row[column]
                predicted = column
            }
            confidences.append(best)
            correct.append(predicted == label)
        }
        return compute(confidences: confidences, correct: correct, bins: bins)
    }
}
