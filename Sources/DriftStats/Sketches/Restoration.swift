extension Moments {
    /// A summary restored from its published figures (a reference profile's JSON): count, missing, mean,
    /// population standard deviation, minimum and maximum. Merging into it stays exact up to the rounding
    /// of `standardDeviation² · count`.
    public init(count: UInt64, missing: UInt64, mean: Double, standardDeviation: Double, minimum: Double, maximum: Double) {
        self.init()
        guard count > 0 else {
            storedMissing = missing
            return
        }
        storedCount = count
        storedMissing = missing
        storedMean = mean
        sumOfSquaredDeviations = standardDeviation * standardDeviation * Double(count)
        storedMinimum = minimum
        storedMaximum = maximum
    }
}

extension FixedEdgeHistogram {
    /// A histogram restored from its edges and per-bin counts (`counts.count == innerEdges.count + 1`).
    public init(innerEdges: [Double], counts: [UInt64], missing: UInt64 = 0) throws(HistogramError) {
        try self.init(innerEdges: innerEdges)
        guard counts.count == binCount else { throw .invalidEdges("\(counts.count) counts for \(binCount) bins") }
        storedCounts = counts
        storedTotal = counts.reduce(0, &+)
        storedMissingCount = missing
    }
}
