import DriftStats

/// Covariate shift as a classification problem: a logistic regression learns to tell the reference sample's
/// rows (class 0) from the window's (class 1); its ROC-AUC on rows it did not see is 0.5 when the two are
/// alike and rises towards 1 as they part — across features jointly, which per-feature tests cannot see.
///
/// Numeric features are standardised by the reference's mean and deviation (missing → 0 plus a missing
/// indicator), categorical ones one-hot over the reference's most frequent categories plus one bucket for
/// the rest. The larger side is subsampled to the smaller; 70 % of each trains (L2-regularised, full-batch
/// gradient descent), 30 % is held out. Deterministic for a given seed.
struct DomainClassifier {
    static let minimumRows = 50
    static let maximumCategories = 20
    var iterations = 300
    var learningRate = 0.5
    var l2 = 1e-3

    /// The held-out ROC-AUC, or nil when either side has fewer than ``minimumRows`` rows.
    func heldOutAUC(profile: ReferenceProfile, reference: [[RowSample.Value]], window: [[RowSample.Value]], seed: UInt64) -> Double? {
        let size = min(reference.count, window.count)
        guard size >= Self.minimumRows else { return nil }
        var generator = SplitMix64(seed: seed)
        let encoder = Encoder(profile: profile)
        let left = reference.shuffled(using: &generator).prefix(size).map(encoder.encode)
        let right = window.shuffled(using: &generator).prefix(size).map(encoder.encode)
        let cut = size * 7 / 10
        let train = Array(left.prefix(cut)) + Array(right.prefix(cut))
        let labels = Array(repeating: 0.0, count: cut) + Array(repeating: 1.0, count: cut)
        let weights = fit(train, labels)
        let test = Array(left.dropFirst(cut)) + Array(right.dropFirst(cut))
        let truth = Array(repeating: false, count: size - cut) + Array(repeating: true, count: size - cut)
        let scores = test.map { dot(weights, $0) }
        return ROCAUC.binary(scores: scores, labels: truth)
    }

    private func fit(_ rows: [[Double]], _ labels: [Double]) -> [Double] {
        guard let width = rows.first?.count else { return [] }
        var weights = Array(repeating: 0.0, count: width)
        let n = Double(rows.count)
        var gradient = Array(repeating: 0.0, count: width)
        for _ in 0..<iterations {
            for index in gradient.indices { gradient[index] = l2 * weights[index] }
            for (row, label) in zip(rows, labels) {
                let error = 1 / (1 + exp(-dot(weights, row))) - label
                for index in row.indices where row[index] != 0 { gradient[index] += error * row[index] / n }
            }
            for index in weights.indices { weights[index] -= learningRate * gradient[index] }
        }
        return weights
    }

    private func dot(_ weights: [Double], _ row: [Double]) -> Double {
        var sum = 0.0
        for index in row.indices { sum += weights[index] * row[index] }
        return sum
    }

    /// Turns sampled rows into numeric vectors (the last entry is the intercept's 1).
    struct Encoder {
        enum Column {
            case numeric(mean: Double, scale: Double)
            case categorical(positions: [String: Int])
        }
        let columns: [Column]

        init(profile: ReferenceProfile) {
            columns = profile.features.map { feature in
                switch feature.summary {
                case .numeric(let summary):
                    let deviation = summary.moments.standardDeviation
                    let mean = summary.moments.mean
                    return .numeric(mean: mean.isFinite ? mean : 0, scale: deviation.isFinite && deviation > 0 ? deviation : 1)
                case .categorical(let summary):
                    let kept = summary.counts.prefix(DomainClassifier.maximumCategories).map(\.value)
                    return .categorical(positions: Dictionary(kept.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first }))
                }
            }
        }

        func encode(_ row: [RowSample.Value]) -> [Double] {
            var vector: [Double] = []
            for (column, value) in zip(columns, row) {
                switch column {
                case .numeric(let mean, let scale):
                    if case .number(let number) = value {
                        vector.append(max(-10, min(10, (number - mean) / scale)))
                        vector.append(0)
                    } else {
                        vector.append(0)
                        vector.append(1)
                    }
                case .categorical(let positions):
                    var onehot = Array(repeating: 0.0, count: positions.count + 2)
                    switch value {
                    case .string(let text): onehot[positions[text] ?? positions.count] = 1
                    case .number: onehot[positions.count] = 1
                    case .missing: onehot[positions.count + 1] = 1
                    }
                    vector += onehot
                }
            }
            vector.append(1)
            return vector
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
