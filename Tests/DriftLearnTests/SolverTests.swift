@testable import DriftLearn
import DriftStats
import Testing

@Suite("L-BFGS and the logistic objective")
struct SolverTests {
    @Test func minimizesRosenbrockToItsKnownMinimum() {
        var solver = LBFGS()
        solver.gradientTolerance = 1e-9
        let result = solver.minimize(from: [-1.2, 1]) { x, gradient in
            let a = 1 - x[0], b = x[1] - x[0] * x[0]
            gradient[0] = -2 * a - 400 * x[0] * b
            gradient[1] = 200 * b
            return a * a + 100 * b * b
        }
        #expect(result.outcome != .iterationLimit)
        #expect(abs(result.point[0] - 1) < 1e-5 && abs(result.point[1] - 1) < 1e-5, "\(result.point)")
        #expect(result.iterations < 100)
    }

    @Test func minimizesAnIllConditionedQuadratic() {
        let scales = (0..<50).map { Double(1 + $0 * $0) }  // condition number 2,402
        let result = LBFGS().minimize(from: [Double](repeating: 1, count: 50)) { x, gradient in
            var value = 0.0
            for index in x.indices {
                value += 0.5 * scales[index] * (x[index] - Double(index)) * (x[index] - Double(index))
                gradient[index] = scales[index] * (x[index] - Double(index))
            }
            return value
        }
        #expect(result.outcome != .iterationLimit)
        for index in 0..<50 { #expect(abs(result.point[index] - Double(index)) < 1e-5) }
    }

    /// The analytic gradient of the penalized cross-entropy equals central finite differences, for the
    /// binary (one vector) and the multinomial form, with class weights.
    @Test(arguments: [2, 3])
    func objectiveGradientMatchesFiniteDifferences(classCount: Int) throws {
        var generator = SplitMix64(seed: 7)
        var rows = SparseRows(width: 4)
        var labels: [Int] = []
        for row in 0..<40 {
            rows.appendRow([(0, Double.random(in: -2...2, using: &generator)), (1 + row % 3, 1), (3, Double.random(in: -1...1, using: &generator))])
            labels.append(row % classCount)
        }
        let weights = labels.map { 0.5 + Double($0) }
        let objective = SoftmaxObjective(rows: rows, labels: labels, weights: weights, classCount: classCount, penalty: 0.3)
        let count = (classCount == 2 ? 1 : classCount) * 5
        let point = (0..<count).map { _ in Double.random(in: -1...1, using: &generator) }
        var gradient = [Double](repeating: 0, count: count)
        _ = objective.evaluate(point, &gradient)
        var scratch = gradient
        for index in 0..<count {
            var plus = point, minus = point
            plus[index] += 1e-6
            minus[index] -= 1e-6
            let numeric = (objective.evaluate(plus, &scratch) - objective.evaluate(minus, &scratch)) / 2e-6
            #expect(abs(numeric - gradient[index]) < 1e-6, "component \(index): \(numeric) vs \(gradient[index])")
        }
    }

    @Test func separatesLinearlySeparableClassesAndWeightsClasses() throws {
        var rows = SparseRows(width: 1)
        var labels: [Int] = []
        for index in 0..<200 {
            let x = Double(index - 100) / 10
            rows.appendRow([(0, x)])
            labels.append(x > 0.5 ? 1 : 0)
        }
        let model = try LogisticRegression().fit(rows, labels: labels, classCount: 2)
        let predicted = model.predict(rows)
        let accuracy = Double(zip(predicted, labels).filter { $0 == $1 }.count) / 200
        #expect(accuracy > 0.97)
        #expect(model.converged)
        // Up-weighting class 1 moves the boundary towards class 0: more rows are predicted 1.
        var weighted = LogisticRegression()
        weighted.classWeight = .explicit([1, 20])
        let shifted = try weighted.fit(rows, labels: labels, classCount: 2).predict(rows)
        #expect(shifted.filter { $0 == 1 }.count > predicted.filter { $0 == 1 }.count)
    }

    @Test func refusesUnusableInput() {
        var rows = SparseRows(width: 1)
        rows.appendRow([(0, 1.0)])
        #expect(throws: LearnError.self) { try LogisticRegression().fit(rows, labels: [0, 1], classCount: 2) }
        #expect(throws: LearnError.self) { try LogisticRegression().fit(rows, labels: [0], classCount: 1) }
        #expect(throws: LearnError.self) { try LogisticRegression().fit(rows, labels: [5], classCount: 2) }
    }
}
