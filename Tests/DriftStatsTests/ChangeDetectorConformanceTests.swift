import Testing
@testable import DriftStats
import DriftTestSupport

/// The golden detector streams of `detectors.json` (River 0.26.1).
enum DetectorGolden {
    static let streamIDs = Golden.caseIDs("detectors")

    /// The stream of case `id` (inline values, cross-checked against the generator spec).
    static func stream(_ id: String) throws -> [Double] {
        let golden = try Golden.case("detectors", id: id)
        let inputs = try #require(golden["inputs"] as? [String: Any])
        let values = try #require(GoldenJSON.doubles(inputs["values"]))
        let generator = try #require(inputs["generator"] as? [String: Any])
        let spec = try #require(GoldenGeneratorSpec(json: generator))
        #expect(spec.generate().map(\.bitPattern) == values.map(\.bitPattern), "\(id) generator")
        return values
    }

    /// The `expected.<detector>` block of case `id`.
    static func expected(_ id: String, detector: String) throws -> [String: Any] {
        let golden = try Golden.case("detectors", id: id)
        let expected = try #require(golden["expected"] as? [String: Any])
        return try #require(expected[detector] as? [String: Any], "\(id).\(detector)")
    }

    static func indices(_ block: [String: Any]) throws -> [Int] {
        try #require(block["drift_indices"] as? [Any]).compactMap(GoldenJSON.int)
    }

    /// Runs `detector` over `values` and returns the indices after which `driftDetected` was true.
    static func detections<D: ChangeDetector>(_ detector: inout D, _ values: [Double]) -> [Int] {
        var found = [Int]()
        for (index, x) in values.enumerated() {
            detector.update(x)
            if detector.driftDetected { found.append(index) }
        }
        return found
    }
}

/// Every detector of this module behaves as a `ChangeDetector` must.
@Suite struct ChangeDetectorConformanceTests {
    enum Kind: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case pageHinkley, pageHinkleyThreshold10, adwin, adwinClock1, ddm

        var testDescription: String { rawValue }

        func make() throws -> any ChangeDetector {
            switch self {
            case .pageHinkley: try PageHinkley()
            case .pageHinkleyThreshold10: try PageHinkley(threshold: 10)
            case .adwin: try ADWIN()
            case .adwinClock1: try ADWIN(clock: 1)
            case .ddm: try DDM()
            }
        }
    }

    /// A stream on which every kind detects at least once (binary, so DDM's input domain is respected).
    static func stream() throws -> [Double] { try DetectorGolden.stream("bernoulli_abrupt") }

    static func detections(_ detector: inout any ChangeDetector, _ values: [Double]) -> [Int] {
        var found = [Int]()
        for (index, x) in values.enumerated() {
            detector.update(x)
            if detector.driftDetected { found.append(index) }
        }
        return found
    }

    @Test(arguments: Kind.allCases)
    func freshDetectorReportsNoDrift(kind: Kind) throws {
        let detector = try kind.make()
        #expect(!detector.driftDetected)
        if let binary = detector as? any BinaryChangeDetector { #expect(!binary.warningDetected) }
    }

    @Test(arguments: Kind.allCases)
    func detectionFlagClearsOnTheNextUpdate(kind: Kind) throws {
        let values = try Self.stream()
        var detector = try kind.make()
        var detections = 0
        var previous = false
        for x in values {
            detector.update(x)
            if previous { #expect(!detector.driftDetected, "flag must reset on the update after a detection") }
            previous = detector.driftDetected
            if previous { detections += 1 }
        }
        #expect(detections >= 1, "the abrupt stream must trigger \(kind.rawValue)")
    }

    @Test(arguments: Kind.allCases)
    func deterministicAndValueSemantic(kind: Kind) throws {
        let values = try Self.stream()
        var first = try kind.make()
        var second = try kind.make()
        let a = Self.detections(&first, values)
        let b = Self.detections(&second, values)
        #expect(a == b)
        #expect(!a.isEmpty)
        // A copy taken mid-stream continues exactly like the original.
        var original = try kind.make()
        _ = Self.detections(&original, Array(values[0..<1500]))
        var copy = original
        let rest = Array(values[1500...])
        #expect(Self.detections(&original, rest) == Self.detections(&copy, rest))
    }

    @Test(arguments: Kind.allCases)
    func nonFiniteValuesAreIgnored(kind: Kind) throws {
        let values = try Self.stream()
        var clean = try kind.make()
        let expected = Self.detections(&clean, values)
        var noisy = try kind.make()
        var found = [Int]()
        for (index, x) in values.enumerated() {
            if index % 97 == 5 {
                noisy.update(.nan)
                #expect(!noisy.driftDetected)
                noisy.update(index % 2 == 0 ? .infinity : -.infinity)
                #expect(!noisy.driftDetected)
            }
            noisy.update(x)
            if noisy.driftDetected { found.append(index) }
        }
        #expect(found == expected)
    }
}
