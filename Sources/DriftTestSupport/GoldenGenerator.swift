import DriftStats

/// Regenerates the samples of `../shared/golden` (copied into the test fixtures) bit for bit.
///
/// The generator is described in the golden README ("Generator"): one `SplitMix64` per sample,
/// seeded with `spec.seed`, drawing consecutively; every arithmetic step a single IEEE-754
/// double operation in the order written, with no fused multiply-add.
public struct GoldenGeneratorSpec: Sendable, Equatable {
    /// One of `uniform`, `normal12`, `lomax1`, `discrete`, `bernoulli`, `categorical`.
    public var distribution: String
    public var count: Int
    public var seed: UInt64
    public var loc: Double = 0.0
    public var scale: Double = 1.0
    /// `discrete`: the number of values K.
    public var k: UInt64 = 0
    /// `categorical`: the weights.
    public var weights: [Double] = []
    /// Bernoulli `p` (when no segments) .
    public var p: Double = 0.5
    public var segments: [Segment] = []

    /// A half-open index range whose parameters replace the defaults.
    public struct Segment: Sendable, Equatable {
        public var start: Int
        public var end: Int
        public var loc: Double?
        public var scale: Double?
        public var p0: Double?
        public var p1: Double?
        public init(start: Int, end: Int, loc: Double? = nil, scale: Double? = nil, p0: Double? = nil, p1: Double? = nil) {
            self.start = start; self.end = end; self.loc = loc; self.scale = scale; self.p0 = p0; self.p1 = p1
        }
    }

    public init(distribution: String, count: Int, seed: UInt64) {
        self.distribution = distribution
        self.count = count
        self.seed = seed
    }

    /// Parses a generator object as decoded by `JSONSerialization` (`{"dist", "n", "seed", ...}`).
    public init?(json: [String: Any]) {
        guard let dist = json["dist"] as? String,
              let n = GoldenJSON.int(json["n"]),
              let seed = GoldenJSON.uint64(json["seed"]) else { return nil }
        self.init(distribution: dist, count: n, seed: seed)
        if let v = json["loc"] { loc = GoldenJSON.double(v) ?? 0 }
        if let v = json["scale"] { scale = GoldenJSON.double(v) ?? 1 }
        if let v = GoldenJSON.uint64(json["K"]) { k = v }
        if let v = json["p"] { p = GoldenJSON.double(v) ?? 0.5 }
        if let w = json["weights"] as? [Any] { weights = w.compactMap { GoldenJSON.double($0) } }
        if let segs = json["segments"] as? [[String: Any]] {
            segments = segs.map { s in
                Segment(
                    start: GoldenJSON.int(s["start"]) ?? 0, end: GoldenJSON.int(s["end"]) ?? 0,
                    loc: s["loc"].flatMap(GoldenJSON.double), scale: s["scale"].flatMap(GoldenJSON.double),
                    p0: s["p0"].flatMap(GoldenJSON.double), p1: s["p1"].flatMap(GoldenJSON.double))
            }
        }
    }

    /// The generated values (categorical: the index as a Double).
    public func generate() -> [Double] {
        var rng = SplitMix64(seed: seed)
        var out = [Double]()
        out.reserveCapacity(count)
        var segmentIndex = 0
        for i in 0..<count {
            while segmentIndex < segments.count, i >= segments[segmentIndex].end { segmentIndex += 1 }
            let segment: Segment? =
                (segmentIndex < segments.count && i >= segments[segmentIndex].start) ? segments[segmentIndex] : nil
            let loc = segment?.loc ?? self.loc
            let scale = segment?.scale ?? self.scale
            switch distribution {
            case "uniform":
                out.append(loc + (scale * rng.nextUniform()))
            case "normal12":
                var s = rng.nextUniform()
                for _ in 1..<12 { s = s + rng.nextUniform() }
                out.append(loc + (scale * (s - 6.0)))
            case "lomax1":
                let u = rng.nextUniform()
                out.append(loc + (scale * (1.0 / (1.0 - u) - 1.0)))
            case "discrete":
                let z = rng.next()
                let y = Double(((z >> 32) &* k) >> 32)
                out.append(loc + (scale * y))
            case "bernoulli":
                let u = rng.nextUniform()
                var p = self.p
                if let seg = segment, let p0 = seg.p0 {
                    let p1 = seg.p1 ?? p0
                    let d = p1 - p0
                    let f = (Double(i) - Double(seg.start)) / Double(seg.end - seg.start)
                    p = p0 + d * f
                }
                out.append(u < p ? 1.0 : 0.0)
            case "categorical":
                let u = rng.nextUniform()
                var c = 0.0
                var index = weights.count - 1
                for (j, w) in weights.enumerated() {
                    c = j == 0 ? w : c + w
                    if u < c { index = j; break }
                }
                out.append(Double(index))
            default:
                return []
            }
        }
        return out
    }
}

/// Helpers to read values out of `JSONSerialization` output of the golden files.
public enum GoldenJSON {
    /// A double from a number or from the strings `"Infinity"`, `"-Infinity"`, `"NaN"`.
    public static func double(_ value: Any?) -> Double? {
        switch value {
        case let d as Double: return d
        case let i as Int: return Double(i)
        case let s as String:
            switch s {
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            case "NaN": return .nan
            default: return Double(s)
            }
        default:
            if let n = value as? any BinaryInteger { return Double(n) }
            return nil
        }
    }

    public static func int(_ value: Any?) -> Int? {
        switch value {
        case let i as Int: return i
        case let d as Double: return d == d.rounded() ? Int(exactly: d) : nil
        case let s as String: return Int(s)
        default: return nil
        }
    }

    public static func uint64(_ value: Any?) -> UInt64? {
        switch value {
        case let i as Int: return UInt64(exactly: i)
        case let s as String: return UInt64(s)
        case let d as Double: return UInt64(exactly: d)
        default: return nil
        }
    }

    public static func doubles(_ value: Any?) -> [Double]? {
        guard let array = value as? [Any] else { return nil }
        var out = [Double]()
        out.reserveCapacity(array.count)
        for element in array {
            guard let d = double(element) else { return nil }
            out.append(d)
        }
        return out
    }

    /// A golden sample: `{"values": [...]}` inline or `{"generator": {...}}` regenerated.
    public static func sample(_ value: Any?) -> [Double]? {
        guard let object = value as? [String: Any] else { return doubles(value) }
        if let values = object["values"] { return doubles(values) }
        if let gen = object["generator"] as? [String: Any], let spec = GoldenGeneratorSpec(json: gen) {
            return spec.generate()
        }
        return nil
    }
}
