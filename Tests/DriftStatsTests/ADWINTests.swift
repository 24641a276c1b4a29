import Testing
@testable import DriftStats
import DriftTestSupport

@Suite struct ADWINTests {
    // MARK: Golden (River 0.26.1 ADWIN, Rust core)

    @Test(arguments: DetectorGolden.streamIDs)
    func matchesRiverOnGoldenStreams(streamID: String) throws {
        let values = try DetectorGolden.stream(streamID)
        for (name, clock) in [("ADWIN_default", 32), ("ADWIN_clock1", 1)] {
            let block = try DetectorGolden.expected(streamID, detector: name)
            let params = try #require(block["params"] as? [String: Any])
            #expect(GoldenJSON.int(params["clock"]) == clock)
            #expect(GoldenJSON.double(params["delta"]) == 0.002)
            #expect(GoldenJSON.int(params["max_buckets"]) == 5)
            #expect(GoldenJSON.int(params["min_window_length"]) == 5)
            #expect(GoldenJSON.int(params["grace_period"]) == 10)

            var detector = try ADWIN(clock: clock)
            var found = [Int]()
            var atDetection = [(width: Int, estimation: Double)]()
            for (index, x) in values.enumerated() {
                detector.update(x)
                if detector.driftDetected {
                    found.append(index)
                    atDetection.append((detector.width, detector.estimation))
                }
                #expect(detector.testOnly_verifyInvariants(), "\(streamID) \(name) at \(index)")
            }
            // Tolerance: exact indices and widths; estimation/variance relative 1e-9 (README: exact algorithms).
            #expect(found == (try DetectorGolden.indices(block)), "\(streamID) \(name)")
            let expectedAt = try #require(block["at_detection"] as? [[String: Any]])
            #expect(expectedAt.count == atDetection.count)
            for (got, want) in zip(atDetection, expectedAt) {
                #expect(got.width == GoldenJSON.int(want["width_after"]), "\(streamID) \(name) width")
                let estimation = try #require(GoldenJSON.double(want["estimation_after"]))
                #expect(isClose(got.estimation, estimation, rel: 1e-9), "\(streamID) \(name) estimation")
            }
            #expect(detector.width == GoldenJSON.int(block["final_width"]), "\(streamID) \(name) final width")
            let finalEstimation = try #require(GoldenJSON.double(block["final_estimation"]))
            let finalVariance = try #require(GoldenJSON.double(block["final_variance"]))
            #expect(isClose(detector.estimation, finalEstimation, rel: 1e-9), "\(streamID) \(name)")
            #expect(isClose(detector.variance, finalVariance, rel: 1e-9), "\(streamID) \(name)")
        }
    }

    /// The window is always the newest `width` values since the last reset, so its sum and sum of squared
    /// deviations can be recomputed directly — after insertions, merges and cuts alike.
    @Test func windowStatisticsEqualDirectRecomputation() throws {
        let values = try DetectorGolden.stream("normal12_mean_shift")
        var detector = try ADWIN(clock: 1)
        var sinceReset = [Double]()
        var pendingReset = false
        var checked = 0
        for (index, x) in values.enumerated() {
            if pendingReset { sinceReset.removeAll() }
            sinceReset.append(x)
            detector.update(x)
            pendingReset = detector.driftDetected
            if detector.driftDetected || index % 250 == 0 || index == values.count - 1 {
                let window = sinceReset.suffix(detector.width)
                let mean = window.reduce(0, +) / Double(window.count)
                let squares = window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                // Tolerance: relative 1e-9 (streaming updates vs. a direct two-pass sum).
                #expect(isClose(detector.estimation, mean, rel: 1e-9, abs: 1e-12), "at \(index)")
                #expect(isClose(detector.variance, squares, rel: 1e-9), "at \(index)")
                checked += 1
            }
        }
        #expect(checked > 12)
    }

    // MARK: Hand-worked

    @Test func insertionStatistics() throws {
        var detector = try ADWIN()
        #expect(detector.width == 0 && detector.estimation == 0 && !detector.driftDetected)
        detector.update(1)
        #expect(detector.width == 1 && detector.total == 1 && detector.variance == 0 && detector.estimation == 1)
        for x in [2.0, 3, 4, 5] { detector.update(x) }
        // V = 0.5 + 1.5 + 3 + 5 = 10 = Σ(x − 3)², exactly (incremental formula on small integers).
        #expect(detector.width == 5 && detector.total == 15 && detector.variance == 10)
        #expect(detector.varianceInWindow == 2)
    }

    @Test func exponentialHistogramMergesLikeRiver() throws {
        var detector = try ADWIN()
        for x in 1...6 { detector.update(Double(x)) }
        // The 6th bucket of row 0 merges its two oldest: row 0 = [3, 4, 5, 6], row 1 = [{1,2}].
        #expect(detector.buckets.sizes == [4, 1])
        #expect(detector.buckets.totals[6] == 3 && detector.buckets.variances[6] == 0.5)
        for x in 7...16 { detector.update(Double(x)) }
        // Row 1 overflowed at 16 values: row 0 = 13…16, row 1 = {5,6} {7,8} {9,10} {11,12},
        // row 2 = {1,2,3,4} with variance 0.5 + 0.5 + 2·½·(1.5 − 3.5)² = 5 = Σ(x − 2.5)².
        #expect(detector.buckets.sizes == [4, 4, 1])
        let slots = detector.buckets.slotsPerRow
        #expect(Array(detector.buckets.totals[0..<4]) == [13, 14, 15, 16])
        #expect(Array(detector.buckets.totals[slots..<(slots + 4)]) == [11, 15, 19, 23])
        #expect(Array(detector.buckets.variances[slots..<(slots + 4)]) == [0.5, 0.5, 0.5, 0.5])
        #expect(detector.buckets.totals[2 * slots] == 10 && detector.buckets.variances[2 * slots] == 5)
        #expect(detector.width == 16 && detector.testOnly_verifyInvariants())
    }

    @Test func detectsALargeShiftAndResetsLazily() throws {
        var detector = try ADWIN(delta: 0.01, clock: 32)
        for _ in 0..<200 { detector.update(0) }
        #expect(!detector.driftDetected)
        var detectedAt: Int?
        for i in 0..<200 {
            detector.update(100)
            if detector.driftDetected { detectedAt = i; break }
        }
        let at = try #require(detectedAt)
        // Checks happen every 32 updates: the first after the shift is update 224 (i = 23).
        #expect(at == 23)
        #expect(detector.width < 224 && detector.testOnly_verifyInvariants())
        detector.update(100)
        #expect(!detector.driftDetected && detector.width == 1 && detector.estimation == 100)
    }

    @Test func gracePeriodAndClockGateTheChecks() throws {
        // clock 1, grace 10: even a wildly alternating stream cannot be cut while width <= 10.
        var detector = try ADWIN(delta: 0.5, clock: 1, minWindowLength: 1, gracePeriod: 10)
        for i in 0..<10 {
            detector.update(i < 5 ? 0 : 1e6)
            #expect(!detector.driftDetected)
        }
        detector.update(1e6)
        // Width 11 > grace: the split after the bucket {0, 0, 0, 0} now passes the test (|Δμ| ≈ 8.6e5 > ε ≈ 6.6e5).
        #expect(detector.driftDetected)
        // clock 32: detections only on the 32nd, 64th, … update since the last reset.
        for streamID in DetectorGolden.streamIDs {
            var clocked = try ADWIN(clock: 32)
            var ticks = 0
            for x in try DetectorGolden.stream(streamID) {
                if clocked.driftDetected { ticks = 0 }
                ticks += 1
                clocked.update(x)
                if clocked.driftDetected { #expect(ticks % 32 == 0, "\(streamID)") }
            }
        }
    }

    @Test func invalidParametersThrow() {
        #expect(throws: ChangeDetectorParameterError.self) { try ADWIN(delta: 0) }
        #expect(throws: ChangeDetectorParameterError.self) { try ADWIN(delta: 1) }
        #expect(throws: ChangeDetectorParameterError.self) { try ADWIN(delta: .nan) }
        #expect(throws: ChangeDetectorParameterError.self) { try ADWIN(clock: 0) }
        #expect(throws: ChangeDetectorParameterError.self) { try ADWIN(maxBuckets: 1) }
        #expect(throws: ChangeDetectorParameterError.self) { try ADWIN(minWindowLength: 0) }
        #expect(throws: ChangeDetectorParameterError.self) { try ADWIN(gracePeriod: -1) }
    }
}
