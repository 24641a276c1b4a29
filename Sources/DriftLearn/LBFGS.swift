/// Limited-memory BFGS (Nocedal & Wright, *Numerical Optimization*, algorithms 7.4 and 7.5) with a
/// backtracking line search under the Armijo condition; a correction pair is kept only when it has positive
/// curvature, which keeps the implicit Hessian approximation positive definite.
public struct LBFGS: Sendable {
    /// Why the minimizer stopped.
    public enum Outcome: Sendable, Equatable {
        /// The largest gradient component fell to the tolerance.
        case converged
        /// The objective stopped decreasing (relative change at most ``valueTolerance`` over an iteration).
        case stalled
        /// The iteration limit was reached.
        case iterationLimit
    }

    /// The result of a minimization.
    public struct Result: Sendable {
        /// The minimizer.
        public var point: [Double]
        /// The objective there.
        public var value: Double
        /// Iterations taken.
        public var iterations: Int
        /// Objective evaluations made (line-search trials included).
        public var evaluations: Int
        /// Why it stopped.
        public var outcome: Outcome
    }

    /// Correction pairs kept.
    public var memory = 10
    /// Stop when the largest gradient component is at most this.
    public var gradientTolerance = 1e-6
    /// Stop when an iteration lowers the objective by at most this, relative to max(|f|, 1)
    /// (64 machine epsilons, scikit-learn's setting for scipy's L-BFGS-B).
    public var valueTolerance = 64 * Double.ulpOfOne
    /// Stop after this many iterations.
    public var maximumIterations = 1_000

    /// A minimizer with the defaults (10 pairs, gradient tolerance 1e-6, 1,000 iterations).
    public init() {}

    /// Minimizes a smooth function from `start`. `objective(x, &gradient)` returns f(x) and writes ∇f(x).
    public func minimize(from start: [Double], _ objective: ([Double], inout [Double]) -> Double) -> Result {
        let dimension = start.count
        var point = start
        var gradient = [Double](repeating: 0, count: dimension)
        var value = objective(point, &gradient)
        var evaluations = 1
        var steps: [[Double]] = []
        var changes: [[Double]] = []
        var curvatures: [Double] = []
        var direction = [Double](repeating: 0, count: dimension)
        var trial = [Double](repeating: 0, count: dimension)
        var trialGradient = [Double](repeating: 0, count: dimension)
        var alphas = [Double](repeating: 0, count: memory)
        for iteration in 0..<maximumIterations {
            if Self.largestMagnitude(gradient) <= gradientTolerance {
                return Result(point: point, value: value, iterations: iteration, evaluations: evaluations, outcome: .converged)
            }
            // Two-loop recursion: direction = −H·g.
            for index in 0..<dimension { direction[index] = -gradient[index] }
            for pair in stride(from: steps.count - 1, through: 0, by: -1) {
                let alpha = curvatures[pair] * Self.dot(steps[pair], direction)
                alphas[pair] = alpha
                Self.addScaled(&direction, changes[pair], -alpha)
            }
            if let lastStep = steps.last, let lastChange = changes.last {
                let scale = Self.dot(lastStep, lastChange) / Self.dot(lastChange, lastChange)
                for index in 0..<dimension { direction[index] *= scale }
            }
            for pair in 0..<steps.count {
                let beta = curvatures[pair] * Self.dot(changes[pair], direction)
                Self.addScaled(&direction, steps[pair], alphas[pair] - beta)
            }
            var slope = Self.dot(gradient, direction)
            if slope >= 0 {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                steps.removeAll(); changes.removeAll(); curvatures.removeAll()
                for index in 0..<dimension { direction[index] = -gradient[index] }
                slope = Self.dot(gradient, direction)
            }
            var step = steps.isEmpty ? min(1, 1 / max(Self.largestMagnitude(gradient), 1e-12)) : 1
            var trialValue = Double.infinity
            var accepted = false
            for _ in 0..<60 {
                for index in 0..<dimension { trial[index] = point[index] + step * direction[index] }
                trialValue = objective(trial, &trialGradient)
                evaluations += 1
                if trialValue.isFinite, trialValue <= value + 1e-4 * step * slope {
                    accepted = true
                    break
                }
                step *= 0.5
            }
            guard accepted else {
                return Result(point: point, value: value, iterations: iteration, evaluations: evaluations, outcome: .stalled)
            }
            var stepVector = [Double](repeating: 0, count: dimension)
            var changeVector = [Double](repeating: 0, count: dimension)
            for index in 0..<dimension {
                stepVector[index] = trial[index] - point[index]
                changeVector[index] = trialGradient[index] - gradient[index]
            }
            let curvature = Self.dot(stepVector, changeVector)
            if curvature > 1e-12 * Self.dot(changeVector, changeVector) {
                if steps.count == memory {
                    steps.removeFirst(); changes.removeFirst(); curvatures.removeFirst()
                }
                steps.append(stepVector)
                changes.append(changeVector)
                curvatures.append(1 / curvature)
            }
            let previous = value
            swap(&point, &trial)
            swap(&gradient, &trialGradient)
            value = trialValue
            if abs(previous - value) <= valueTolerance * max(abs(previous), abs(value), 1) {
                return Result(point: point, value: value, iterations: iteration + 1, evaluations: evaluations, outcome: .stalled)
            }
        }
        return Result(point: point, value: value, iterations: maximumIterations, evaluations: evaluations, outcome: .iterationLimit)
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for index in a.indices { sum += a[index] * b[index] }
        return sum
    }

    static func addScaled(_ target: inout [Double], _ source: [Double], _ scale: Double) {
        for index in target.indices { target[index] += scale * source[index] }
    }

    static func largestMagnitude(_ vector: [Double]) -> Double {
        vector.reduce(0) { max($0, abs($1)) }
    }
}
