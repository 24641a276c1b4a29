/// 1-Wasserstein (earth mover's) distance between one-dimensional empirical distributions,
/// `∫ |F_u(x) − F_v(x)| dx`, exactly as `scipy.stats.wasserstein_distance`.
public enum Wasserstein {
    /// W1 between two **sorted** samples (unit weights), in one O(n_u + n_v) merge pass, no allocation.
    ///
    /// Between consecutive pooled values `x_k < x_(k+1)` the integrand is `|i/n_u − j/n_v|` with i, j the
    /// numbers of u and v values ≤ x_k (scipy's `searchsorted(..., 'right') / n`). Compensated summation.
    /// Returns NaN if either sample is empty. Inputs must be ascending and NaN-free (caller's duty).
    public static func distance(sortedU: [Double], sortedV: [Double]) -> Double {
        let nu = sortedU.count, nv = sortedV.count
        guard nu > 0, nv > 0 else { return .nan }
        let dnu = Double(nu), dnv = Double(nv)
        return sortedU.withUnsafeBufferPointer { u in
            sortedV.withUnsafeBufferPointer { v in
                var i = 0, j = 0
                var sum = CompensatedSum()
                // current pooled value
                var x: Double
                if u[0] <= v[0] { x = u[0]; i = 1 } else { x = v[0]; j = 1 }
                while i < nu || j < nv {
                    let next: Double
                    let takeU: Bool
                    if i < nu && (j >= nv || u[i] <= v[j]) { next = u[i]; takeU = true } else { next = v[j]; takeU = false }
                    let delta = next - x
                    if delta != 0 {
                        sum.add(Swift.abs(Double(i) / dnu - Double(j) / dnv) * delta)
                    }
                    if takeU { i += 1 } else { j += 1 }
                    x = next
                }
                return sum.value
            }
        }
    }

    /// Weighted W1 (scipy `wasserstein_distance(u_values, v_values, u_weights, v_weights)`).
    ///
    /// Values need not be sorted (sorted internally, O(n log n)); each CDF is the cumulative weight of values
    /// ≤ x divided by the total weight. Weights must be non-negative with positive total; NaN otherwise.
    public static func distance(uValues: [Double], uWeights: [Double], vValues: [Double], vWeights: [Double]) -> Double {
        precondition(uValues.count == uWeights.count && vValues.count == vWeights.count, "values/weights length mismatch")
        guard !uValues.isEmpty, !vValues.isEmpty else { return .nan }
        let uOrder = uValues.indices.sorted { uValues[$0] < uValues[$1] || (uValues[$0] == uValues[$1] && $0 < $1) }
        let vOrder = vValues.indices.sorted { vValues[$0] < vValues[$1] || (vValues[$0] == vValues[$1] && $0 < $1) }
        let us = uOrder.map { uValues[$0] }, vs = vOrder.map { vValues[$0] }
        // cumulative weights (sequential like numpy cumsum)
        var uCum = [Double](repeating: 0, count: us.count + 1)
        for k in 0..<us.count { uCum[k + 1] = uCum[k] + uWeights[uOrder[k]] }
        var vCum = [Double](repeating: 0, count: vs.count + 1)
        for k in 0..<vs.count { vCum[k + 1] = vCum[k] + vWeights[vOrder[k]] }
        let uTotal = uCum[us.count], vTotal = vCum[vs.count]
        guard uTotal > 0, vTotal > 0 else { return .nan }
        let nu = us.count, nv = vs.count
        var i = 0, j = 0
        var x: Double
        if us[0] <= vs[0] { x = us[0]; i = 1 } else { x = vs[0]; j = 1 }
        var sum = CompensatedSum()
        while i < nu || j < nv {
            let next: Double
            let takeU: Bool
            if i < nu && (j >= nv || us[i] <= vs[j]) { next = us[i]; takeU = true } else { next = vs[j]; takeU = false }
            let delta = next - x
            if delta != 0 {
                sum.add(Swift.abs(uCum[i] / uTotal - vCum[j] / vTotal) * delta)
            }
            if takeU { i += 1 } else { j += 1 }
            x = next
        }
        return sum.value
    }

    /// Evidently 0.7.23 "Wasserstein distance (normed)": `W1 / max(std_ddof0(reference), 0.001)`.
    /// Both inputs sorted ascending. Cost: O(n_ref + n_cur).
    public static func normed(sortedReference: [Double], sortedCurrent: [Double]) -> Double {
        let w = distance(sortedU: sortedReference, sortedV: sortedCurrent)
        return w / Swift.max(populationStandardDeviation(sortedReference), 0.001)
    }

    /// `np.std(x)` (ddof 0): `sqrt(Σ (x − mean)² / n)`, two passes with compensated sums. NaN if empty.
    public static func populationStandardDeviation(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        let n = Double(x.count)
        var s = CompensatedSum()
        for v in x { s.add(v) }
        let mean = s.value / n
        var ss = CompensatedSum()
        for v in x { let d = v - mean; ss.add(d * d) }
        return (ss.value / n).squareRoot()
    }
}
