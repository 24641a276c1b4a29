import Testing
@testable import DriftStats
import DriftTestSupport

/// DDM has no golden vectors: it is tested statistically on the golden Bernoulli error streams and on
/// hand-worked small streams.
@Suite struct DDMTests {
    static func run(_ values: [Double], _ detector: inout DDM) -> (drifts: [Int], warnings: [Int]) {
        var drifts = [Int](), warnings = [Int]()
        for (index, x) in values.enumerated() {
            detector.update(x)
            if detector.driftDetected { drifts.append(index) }
            if detector.warningDetected { warnings.append(index) }
            #expect(detector.testOnly_verifyInvariants(), "at \(index)")
        }
        return (drifts, warnings)
    }

    // MARK: Statistical behaviour on the golden Bernoulli streams (1 = error)

    @Test func detectsTheAbruptErrorRateIncreaseWithShortDelay() throws {
        // Error rate 0.1 → 0.5 at index 2000.
        var detector = try DDM()
        let (drifts, warnings) = Self.run(try DetectorGolden.stream("bernoulli_abrupt"), &detector)
        let first = try #require(drifts.first)
        #expect(first >= 2000 && first < 2000 + 200, "first detection at \(first)")
        #expect(drifts.allSatisfy { $0 >= 2000 }, "no false alarm before the change: \(drifts)")
        // The warning zone is entered before the change is confirmed.
        #expect(warnings.contains { $0 >= 2000 && $0 < first })
    }

    @Test func noDetectionOnTheStationaryStream() throws {
        var detector = try DDM()
        let (drifts, _) = Self.run(try DetectorGolden.stream("bernoulli_stationary"), &detector)
        #expect(drifts.isEmpty, "\(drifts)")
    }

    @Test func detectsTheGradualRamp() throws {
        // Error rate ramps 0.1 → 0.5 over 1500..<2500.
        var detector = try DDM()
        let (drifts, _) = Self.run(try DetectorGolden.stream("bernoulli_gradual"), &detector)
        #expect(drifts.contains { $0 >= 1500 && $0 < 2800 }, "\(drifts)")
    }

    @Test func boolAndDoubleInputsAgree() throws {
        let values = try DetectorGolden.stream("bernoulli_abrupt")
        var byDouble = try DDM()
        var byBool = try DDM()
        for x in values {
            byDouble.update(x)
            byBool.update(x == 1)
            #expect(byDouble == byBool)
        }
    }

    // MARK: Hand-worked streams

    @Test func errorAfterPerfectStartIsAChange() throws {
        var detector = try DDM(warmStart: 2)
        // n = 1, 2 (warm start): no statistics recorded. n = 3: p = s = 0 → p_min = s_min = 0.
        for x in [false, false, false] { detector.update(x) }
        #expect(detector.minimumRate == 0 && detector.minimumDeviation == 0 && !detector.driftDetected)
        // n = 4, error: p = 1/4, s = √(¼·¾/4) ≈ 0.2165 → p + s > 0 + 3·0 → change (and no warning).
        detector.update(true)
        #expect(detector.errorRate == 0.25 && detector.driftDetected && !detector.warningDetected)
        // The next update starts from scratch.
        detector.update(true)
        #expect(detector.count == 1 && detector.errorRate == 1 && !detector.driftDetected)
        #expect(detector.minimumSum == .infinity)
    }

    @Test func warningWithoutChange() throws {
        // warmStart 0, stream 1, 0, 0, 1, 1, 1, 1, … (all ones afterwards):
        //  n=1: p=1,   s=0       → min (1, 0)
        //  n=2: p=1/2, s=0.3536  → p+s=0.8536 ≤ 1 → min (0.5, 0.3536)
        //  n=3: p=1/3, s=0.2722  → p+s=0.6055 → min (1/3, 0.2722); warning level 0.8777, change level 1.1498
        //  n=4: 0.7500, n=5: 0.8191, n=6: 0.8591 (below 0.8777) — n=7: p=5/7, s=0.1707 → 0.8850 → warning
        //  afterwards p+s < 1 < 1.1498: the warning persists and no change is ever signalled.
        var detector = try DDM(warmStart: 0)
        let stream = [true, false, false] + [Bool](repeating: true, count: 40)
        for (index, x) in stream.enumerated() {
            detector.update(x)
            #expect(detector.warningDetected == (index >= 6), "warning at \(index)")
            #expect(!detector.driftDetected)
        }
        #expect(isClose(detector.minimumRate, 1.0 / 3.0, rel: 1e-15))
        #expect(isClose(detector.minimumDeviation, (2.0 / 27.0).squareRoot(), rel: 1e-15))
    }

    @Test func warmStartSuppressesEverything() throws {
        var detector = try DDM(warmStart: 5)
        for x in [false, false, true, true, true] {
            detector.update(x)
            #expect(!detector.driftDetected && !detector.warningDetected && detector.minimumSum == .infinity)
        }
        detector.update(true)  // n = 6 > 5: first recorded minimum, nothing above it yet
        #expect(detector.minimumSum < .infinity && !detector.driftDetected)
    }

    @Test func invalidParametersThrow() {
        #expect(throws: ChangeDetectorParameterError.self) { try DDM(warmStart: -1) }
        #expect(throws: ChangeDetectorParameterError.self) { try DDM(warningThreshold: 0) }
        #expect(throws: ChangeDetectorParameterError.self) { try DDM(driftThreshold: .infinity) }
        #expect(throws: ChangeDetectorParameterError.self) { try DDM(warningThreshold: 3, driftThreshold: 2) }
        let defaults = try? DDM()
        #expect(defaults?.warmStart == 30 && defaults?.warningThreshold == 2 && defaults?.driftThreshold == 3)
    }
}
