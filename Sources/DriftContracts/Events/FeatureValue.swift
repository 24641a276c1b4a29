/// One feature's value in an event: a number, a category (interned), or missing (`null` or absent).
public enum FeatureValue: Sendable, Equatable {
    case number(Double)
    case category(Symbol)
    case missing
}

/// A ground-truth or predicted label: a class (interned; numbers and booleans become their JSON spelling)
/// or, for regression, a number.
public enum LabelValue: Sendable, Equatable {
    case category(Symbol)
    case number(Double)
}
