extension Double {
    /// The number as a label or category is spelled wherever one arrives as a JSON number: integers without a
    /// fraction (`1` for 1.0, exact up to 2⁵³), others in Swift's shortest round-trip form (`0.25`).
    public var canonicalText: String {
        if self == rounded(), Swift.abs(self) < 9_007_199_254_740_992 { return String(Int64(self)) }
        return description
    }
}
