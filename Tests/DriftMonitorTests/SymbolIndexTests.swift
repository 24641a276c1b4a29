import DriftContracts
import Testing

@testable import DriftMonitor

/// The direct-addressed symbol map behind stage 1's feature and category look-ups.
@Suite struct SymbolIndexTests {
    @Test func mapsItsSymbolsAndNothingElse() {
        let index = SymbolIndex([(Symbol(id: 12), 0), (Symbol(id: 9), 1), (.overflow, 2), (Symbol(id: 15), 3)])
        #expect(index[Symbol(id: 12)] == 0)
        #expect(index[Symbol(id: 9)] == 1)
        #expect(index[Symbol(id: 15)] == 3)
        for absent in [0, 8, 10, 11, 13, 14, 16, 1_000] { #expect(index[Symbol(id: UInt32(absent))] == nil, "id \(absent)") }
        #expect(index[.overflow] == nil, "overflow stands for many strings: never a match")
        let empty = SymbolIndex([])
        #expect(empty[Symbol(id: 0)] == nil)
    }
}
