/// When and for which events the monitor asks for labels (active learning): a window in which fewer than
/// ``minimumLabelledShare`` of the events got a label publishes label requests for at most ``perWindow`` of its
/// unlabelled predictions (per source partition), the least certain first.
public struct LabelRequestPolicy: Sendable, Equatable {
    /// How uncertainty is measured.
    public enum Uncertainty: String, Sendable, CaseIterable {
        /// 1 − the top-class probability (least confident first).
        case confidence
        /// The prediction's entropy, −Σ p log p (highest first).
        case entropy
    }

    /// Candidates kept per window and partition, as a multiple of ``perWindow``: labels that arrive for some
    /// of them before the window closes leave the others to request.
    public static let candidatePoolFactor = 4

    public var minimumLabelledShare = 0.1
    public var perWindow = 20
    public var uncertainty = Uncertainty.confidence

    public init() {}

    /// The uncertainty of a prediction with these class probabilities (higher: less certain); `nil` without them.
    public func uncertainty(of probabilities: [Double]) -> Double? {
        guard let top = probabilities.max() else { return nil }
        switch uncertainty {
        case .confidence:
            return 1 - top
        case .entropy:
            var entropy = 0.0
            for p in probabilities where p > 0 { entropy -= p * log(p) }
            return entropy
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
