/// Why a sketch could not be created or combined.
///
/// Thrown by the validating initialisers and by `merge` of the sketches in `DriftStats`.
/// Problems with *serialized bytes* are reported as `BinaryFormatError` instead.
public enum SketchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The accuracy parameter `k` is outside its valid range
    /// (`KLLSketch.minimumK ... KLLSketch.maximumK`, i.e. 8 ... 65 535).
    case invalidK(Int)
    /// Merging would make the stream count exceed `UInt64.max`.
    case countOverflow

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .invalidK(let k):
            return "invalid k \(k): must be in \(KLLSketch.minimumK)...\(KLLSketch.maximumK)"
        case .countOverflow:
            return "merged stream count would exceed UInt64.max"
        }
    }
}
