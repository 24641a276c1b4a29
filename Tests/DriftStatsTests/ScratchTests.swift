import Testing
@testable import DriftStats
import DriftTestSupport
@Suite struct ScratchTests {
    @Test func errors() {
        for (d, loc) in [("normal12", 0.0), ("lomax1", 0.0), ("normal12", 1e6)] {
            var spec = GoldenGeneratorSpec(distribution: d, count: 100_000, seed: 7); spec.loc = loc
            let v = spec.generate()
            // exact-ish reference via Double-double? use sorted-sum
            let n = Double(v.count)
            var s = 0.0, c = 0.0
            for x in v { let t = s + x; c += abs(s) >= abs(x) ? (s - t) + x : (x - t) + s; s = t }
            let mean = (s + c) / n
            var q = 0.0, qc = 0.0, dsum = 0.0
            for x in v { let dd = x - mean; dsum += dd; let y = dd*dd; let t = q + y; qc += (q - t) + y; q = t }
            let m2 = q + qc - dsum*dsum/n
            let m = Moments(v)
            var b = Moments(); b.update(contentsOf: v)
            print(d, loc, "welford rel", abs(m.variance - m2/n)/(m2/n), "batch rel", abs(b.variance - m2/n)/(m2/n), "mean", abs(m.mean-mean), abs(b.mean-mean))
        }
    }
}
