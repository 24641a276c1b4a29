/// One categorical feature in one window: counts over the reference's categories (in the profile's order,
/// with its `other` bucket last), the categories the reference never had (at most
/// ``CategoricalPartial/unseenLimit`` by name, the rest in ``unseenOther``), and missing values.
public struct CategoricalPartial: Sendable, Equatable {
    /// Most unseen categories tracked by name per window; beyond, they are only counted.
    public static let unseenLimit = 64

    /// `counts[i]` for the profile's category i; the last entry counts the profile's `other` bucket.
    public var counts: [UInt64]
    /// Unseen categories by name.
    public var unseen: [String: UInt64]
    /// Unseen values beyond ``unseenLimit`` names.
    public var unseenOther: UInt64
    public var missing: UInt64

    /// An empty feature over `referenceCategories` categories (plus the `other` bucket).
    public init(referenceCategories: Int) {
        counts = Array(repeating: 0, count: referenceCategories + 1)
        unseen = [:]
        unseenOther = 0
        missing = 0
    }

    public init(counts: [UInt64], unseen: [String: UInt64], unseenOther: UInt64, missing: UInt64) {
        self.counts = counts
        self.unseen = unseen
        self.unseenOther = unseenOther
        self.missing = missing
    }

    /// Present values (seen and unseen).
    public var count: UInt64 { counts.reduce(unseenTotal, Self.saturatingSum) }
    /// Values of categories the reference did not have.
    public var unseenTotal: UInt64 { unseen.values.reduce(unseenOther, Self.saturatingSum) }

    /// A sum that stops at `UInt64.max`: a partial read from the partials topic may hold any counts.
    static func saturatingSum(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    /// Counts `count` values of the unseen category `name`, within the name limit.
    public mutating func addUnseen(_ name: String, count: UInt64) {
        if let existing = unseen[name] {
            unseen[name] = existing + count
        } else if unseen.count < Self.unseenLimit {
            unseen[name] = count
        } else {
            unseenOther += count
        }
    }

    /// Adds `other`'s counts (same reference categories).
    public mutating func merge(_ other: CategoricalPartial) throws(PartialError) {
        guard counts.count == other.counts.count else { throw .mismatch("categorical feature has \(counts.count) and \(other.counts.count) buckets") }
        for index in counts.indices { counts[index] += other.counts[index] }
        for (name, count) in other.unseen.sorted(by: { $0.key < $1.key }) { addUnseen(name, count: count) }
        unseenOther += other.unseenOther
        missing += other.missing
    }
}

/// Partials that cannot be merged or read.
public enum PartialError: Error, Equatable, CustomStringConvertible {
    case mismatch(String)
    case corrupt(String)

    public var description: String {
        switch self {
        case .mismatch(let detail): "partials do not match: \(detail)"
        case .corrupt(let detail): "corrupt partial: \(detail)"
        }
    }
}
