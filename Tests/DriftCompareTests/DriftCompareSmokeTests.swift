import Testing
@testable import DriftCompare

@Suite struct DriftCompareSmokeTests {
    @Test func moduleLoads() {
        #expect(String(describing: DriftCompare.self) == "DriftCompare")
    }
}
