import Testing
@testable import DriftStats
import DriftTestSupport

@Suite struct PageHinkleyTests {
    // MARK: Golden (River 0.26.1 PageHinkley)

    @Test(arguments: DetectorGolden.streamIDs)
    func detectionIndicesMatchRiverExactly(streamID: String) throws {
        let values = try DetectorGolden.stream(streamID)
        for (name, threshold) in [("PageHinkley_default", 50.0), ("PageHinkley_t10", 10.0)] {
            let block = try DetectorGolden.expected(streamID, detector: name)
            let params = try #require(block["params"] as? [String: Any])
            #expect(GoldenJSON.double(params["threshold"]) == threshold)
            #expect(GoldenJSON.int(params["min_instances"]) == 30)
            #expect(GoldenJSON.double(params["delta"]) == 0.005)
            #expect(GoldenJSON.double(params["alpha"]) == 0.9999)
            #expect(params["mode"] as? String == "both")
            var detector = try PageHinkley(threshold: threshold)
            var found = [Int]()
            for (index, x) in values.enumerated() {
                detector.update(x)
                if detector.driftDetected { found.append(index) }
                #expect(detector.testOnly_verifyInvariants())
            }
            // Tolerance: exact indices (same arithmetic in the same order as River).
            #expect(found == (try DetectorGolden.indices(block)), "\(streamID) \(name)")
            #expect(found.count == GoldenJSON.int(block["n_detections"]))
        }
    }

    @Test func defaultsAreRiversDefaults() throws {
        let detector = try PageHinkley()
        #expect(detector.minInstances == 30 && detector.delta == 0.005 && detector.threshold == 50)
        #expect(detector.alpha == 0.9999 && detector.mode == .both)
        #expect(detector.minIncrease == .infinity && detector.maxDecrease == -1)
        #expect(detector.increaseStatistic.isNaN && detector.decreaseStatistic.isNaN)
    }

    // MARK: Hand-worked streams (minInstances 1, δ = 0, α = 1, λ = 1)

    @Test func handWorkedIncrease() throws {
        var detector = try PageHinkley(minInstances: 1, delta: 0, threshold: 1, alpha: 1)
        // x = 0, 0: mean 0, deviations 0 → S⁺ = m⁺ = 0.
        detector.update(0)
        detector.update(0)
        #expect(!detector.driftDetected && detector.sumIncrease == 0 && detector.minIncrease == 0)
        // x = 3: mean = 0 + (1/3)·3 = 1, deviation 2 → S⁺ = 2, S⁺ − m⁺ = 2 > 1 → change.
        detector.update(3)
        #expect(detector.mean == 1 && detector.sumIncrease == 2 && detector.increaseStatistic == 2)
        #expect(detector.driftDetected)
        // Mode .down ignores the increase.
        var down = try PageHinkley(minInstances: 1, delta: 0, threshold: 1, alpha: 1, mode: .down)
        for x in [0.0, 0, 3] { down.update(x) }
        #expect(!down.driftDetected)
        // The next update starts from scratch (lazy reset).
        detector.update(10)
        #expect(detector.count == 1 && detector.mean == 10 && !detector.driftDetected)
        #expect(detector.testOnly_verifyInvariants())
    }

    @Test func handWorkedDecrease() throws {
        var detector = try PageHinkley(minInstances: 1, delta: 0, threshold: 1, alpha: 1, mode: .down)
        // x = 3, 3: S⁻ = 0, M⁻ = max(−1, 0) = 0.  x = 0: mean 2, deviation −2 → S⁻ = −2, M⁻ − S⁻ = 2 > 1.
        for x in [3.0, 3] { detector.update(x) }
        #expect(detector.maxDecrease == 0 && !detector.driftDetected)
        detector.update(0)
        #expect(detector.sumDecrease == -2 && detector.decreaseStatistic == 2 && detector.driftDetected)
        var up = try PageHinkley(minInstances: 1, delta: 0, threshold: 1, alpha: 1, mode: .up)
        for x in [3.0, 3, 0] { up.update(x) }
        #expect(!up.driftDetected)
    }

    @Test func deltaAlphaAndMinInstancesEnterAsDocumented() throws {
        // δ = 0.5, α = 0.5: x = 1 → mean 1, dev 0, S⁺ = 0.5·0 + 0 − 0.5 = −0.5, S⁻ = 0.5.
        // x = 5 → mean 3, dev 2, S⁺ = 0.5·(−0.5) + 2 − 0.5 = 1.25 (m⁺ = −0.5, stat 1.75),
        //          S⁻ = 0.5·0.5 + 2 + 0.5 = 2.75 (M⁻ = 2.75).
        var detector = try PageHinkley(minInstances: 3, delta: 0.5, threshold: 1.5, alpha: 0.5)
        detector.update(1)
        #expect(detector.sumIncrease == -0.5 && detector.sumDecrease == 0.5)
        detector.update(5)
        #expect(detector.sumIncrease == 1.25 && detector.increaseStatistic == 1.75)
        #expect(detector.sumDecrease == 2.75 && detector.maxDecrease == 2.75)
        // 1.75 > 1.5 but only 2 < minInstances = 3 values were seen.
        #expect(!detector.driftDetected)
    }

    @Test func invalidParametersThrow() {
        #expect(throws: ChangeDetectorParameterError.self) { try PageHinkley(minInstances: 0) }
        #expect(throws: ChangeDetectorParameterError.self) { try PageHinkley(delta: -0.1) }
        #expect(throws: ChangeDetectorParameterError.self) { try PageHinkley(delta: .nan) }
        #expect(throws: ChangeDetectorParameterError.self) { try PageHinkley(threshold: 0) }
        #expect(throws: ChangeDetectorParameterError.self) { try PageHinkley(threshold: .infinity) }
        #expect(throws: ChangeDetectorParameterError.self) { try PageHinkley(alpha: 0) }
        #expect(throws: ChangeDetectorParameterError.self) { try PageHinkley(alpha: 1.5) }
        #expect(throws: ChangeDetectorParameterError.self) { try PageHinkley(alpha: .nan) }
        #expect((try? PageHinkley(alpha: 1)) != nil)
    }
}
