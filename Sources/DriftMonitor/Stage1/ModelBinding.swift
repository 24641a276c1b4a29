public import DriftContracts
import DriftStats

/// A reference profile bound to a decoder's ``SymbolTable``: the lookups that turn a decoded event into
/// per-feature slots without comparing a single string on the hot path. A class, so that the events and open
/// windows that use it share it instead of copying its arrays; a window keeps the binding it was opened with,
/// so a profile replaced meanwhile cannot change the layout under it.
public final class ModelBinding: Sendable {
    /// Where a feature's values go.
    public enum Slot: Sendable, Equatable {
        case numeric(Int)
        case categorical(Int)
    }

    public let profile: ReferenceProfile
    /// Per feature (profile order): its slot.
    public let slots: [Slot]
    /// Feature name symbol → feature index (profile order).
    let featureBySymbol: SymbolIndex
    /// Per categorical slot: category symbol → index in the profile's categories.
    let categories: [SymbolIndex]
    /// Per numeric slot: the profile histogram's inner edges.
    let numericEdges: [[Double]]
    /// Per numeric slot: the reference's observed range (all numbers when it had no values).
    let numericRanges: [ClosedRange<Double>]
    /// Per categorical slot: the profile's categories, in its order.
    let categoryNames: [[String]]
    /// Binary models: the positive class for the ROC-AUC (the second of the two classes in sorted order, as
    /// scikit-learn and the profile builder take it).
    public let positiveClassName: String?
    let positiveClass: Symbol?

    /// Binds `profile`, interning its names in `symbols`.
    public init(profile: ReferenceProfile, symbols: inout SymbolTable) {
        self.profile = profile
        var slots: [Slot] = []
        var features: [(symbol: Symbol, index: Int)] = []
        var categories: [SymbolIndex] = []
        var numericEdges: [[Double]] = []
        var numericRanges: [ClosedRange<Double>] = []
        var categoryNames: [[String]] = []
        for (index, feature) in profile.features.enumerated() {
            features.append((symbols.intern(feature.name), index))
            switch feature.summary {
            case .numeric(let summary):
                slots.append(.numeric(numericEdges.count))
                numericEdges.append(summary.histogram.innerEdges)
                numericRanges.append(feature.numericRange ?? -Double.infinity...Double.infinity)
            case .categorical(let summary):
                slots.append(.categorical(categories.count))
                categories.append(SymbolIndex(summary.counts.enumerated().map { (symbols.intern($1.value), $0) }))
                categoryNames.append(summary.counts.map(\.value))
            }
        }
        self.slots = slots
        self.featureBySymbol = SymbolIndex(features)
        self.categories = categories
        self.numericEdges = numericEdges
        self.numericRanges = numericRanges
        self.categoryNames = categoryNames
        let classes = (profile.prediction?.classes.map(\.value) ?? []).sorted()
        positiveClassName = classes.count == 2 ? classes[1] : nil
        positiveClass = positiveClassName.map { symbols.intern($0) }
    }

    /// Resolves `event`'s features into `resolved` (reused between events).
    public func resolve(_ event: InferenceEvent, into resolved: inout ResolvedFeatures) {
        resolved.reset(numeric: numericEdges.count, categorical: categories.count)
        for (name, value) in zip(event.featureNames, event.featureValues) {
            guard let index = featureBySymbol[name] else {
                resolved.unexpected += 1
                continue
            }
            switch (slots[index], value) {
            case (.numeric(let slot), .number(let number)):
                resolved.numbers[slot] = number
            case (.categorical(let slot), .category(let category)):
                if let position = categories[slot][category] {
                    resolved.categories[slot] = Int32(position)
                } else {
                    resolved.categories[slot] = ResolvedFeatures.unseen
                    resolved.unseenSymbols[slot] = category
                }
            case (.categorical(let slot), .number(let number)):
                // A number where a category was expected: an unseen category spelled as the number.
                resolved.categories[slot] = ResolvedFeatures.unseenNumber
                resolved.unseenNumbers[slot] = number
            case (.numeric, .category):
                resolved.typeMismatches += 1
            case (_, .missing):
                break
            }
        }
    }
}

/// One event's feature values by slot: numbers (NaN when missing) and category positions.
public struct ResolvedFeatures: Sendable {
    static let missing: Int32 = -1
    static let unseen: Int32 = -2
    static let unseenNumber: Int32 = -3

    public internal(set) var numbers: [Double] = []
    /// Profile category index, or ``missing`` / ``unseen`` / ``unseenNumber``.
    var categories: [Int32] = []
    var unseenSymbols: [Symbol] = []
    var unseenNumbers: [Double] = []
    /// Features the profile does not have.
    public internal(set) var unexpected = 0
    /// Numeric features that carried a category.
    public internal(set) var typeMismatches = 0

    public init() {}

    mutating func reset(numeric: Int, categorical: Int) {
        if numbers.count != numeric {
            numbers = Array(repeating: .nan, count: numeric)
        } else {
            for index in numbers.indices { numbers[index] = .nan }
        }
        if categories.count != categorical {
            categories = Array(repeating: Self.missing, count: categorical)
            unseenSymbols = Array(repeating: .overflow, count: categorical)
            unseenNumbers = Array(repeating: 0, count: categorical)
        } else {
            for index in categories.indices { categories[index] = Self.missing }
        }
        unexpected = 0
        typeMismatches = 0
    }
}
