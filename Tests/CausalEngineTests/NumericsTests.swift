import Foundation
import Testing
@testable import CausalEngine
import StatsKit

@Suite struct NumericsTests {
    /// exp of a rotation generator is the rotation matrix (exact oracle), small and large norms
    /// (the latter exercises scaling and squaring).
    @Test(arguments: [0.001, 0.2, 1.5, 5.0, 20.0, 60.0])
    func exponentialOfRotationGenerator(t: Double) {
        let e = Matrix([[0, t], [-t, 0]]).exponential()
        #expect(close(e[0, 0], cos(t), tol: 1e-12 * max(1, t)))
        #expect(close(e[0, 1], sin(t), tol: 1e-12 * max(1, t)))
        #expect(close(e[1, 0], -sin(t), tol: 1e-12 * max(1, t)))
    }

    /// Against a long Taylor series on random 6×6 matrices of moderate norm.
    @Test func exponentialMatchesTaylorSeries() {
        var rng = SeededGenerator(seed: 2)
        for scale in [0.05, 0.5, 2.0] {
            let a = Matrix(rows: 6, cols: 6, values: (0..<36).map { _ in scale * (rng.nextUniform() - 0.5) })
            var term = Matrix.identity(6), sum = Matrix.identity(6)
            for k in 1..<80 { term = (1 / Double(k)) * (term * a); sum = sum + term }
            let e = a.exponential()
            for i in 0..<36 { #expect(close(e.values[i], sum.values[i], tol: 1e-12 * max(1, abs(sum.values[i])))) }
        }
    }

    @Test func lbfgsbSolvesBoxConstrainedProblems() {
        // ½‖x − c‖² on a box: solution is clip(c).
        let c = [1.5, -2.0, 0.3, 4.0, -0.5]
        let lo = [0.0, -1.0, 0.0, -.infinity, 0.0], hi = [1.0, .infinity, 0.0, 3.0, .infinity]
        let r = BoundedLBFGS().minimize([0, 0, 0, 0, 0], lower: lo, upper: hi) { x, g in
            var f = 0.0
            for i in 0..<5 { g[i] = x[i] - c[i]; f += 0.5 * (x[i] - c[i]) * (x[i] - c[i]) }
            return f
        }
        let expected = [1.0, -1.0, 0.0, 3.0, 0.0]
        for i in 0..<5 { #expect(close(r.x[i], expected[i], tol: 1e-6)) }
        // Rosenbrock with x₀ ≤ 0.5: optimum on the bound at (0.5, 0.25).
        var solver = BoundedLBFGS()
        solver.pgtol = 1e-9
        solver.ftol = 1e-15
        let rb = solver.minimize([-1.2, 1.0], lower: [-.infinity, -.infinity], upper: [0.5, .infinity]) { x, g in
            let a = 1 - x[0], b = x[1] - x[0] * x[0]
            g[0] = -2 * a - 400 * x[0] * b
            g[1] = 200 * b
            return a * a + 100 * b * b
        }
        #expect(close(rb.x[0], 0.5, tol: 1e-6) && close(rb.x[1], 0.25, tol: 1e-5))
        // Unconstrained Rosenbrock reaches (1, 1).
        let un = solver.minimize([-1.2, 1.0], lower: [-.infinity, -.infinity], upper: [.infinity, .infinity]) { x, g in
            let a = 1 - x[0], b = x[1] - x[0] * x[0]
            g[0] = -2 * a - 400 * x[0] * b
            g[1] = 200 * b
            return a * a + 100 * b * b
        }
        #expect(close(un.x[0], 1, tol: 1e-5) && close(un.x[1], 1, tol: 1e-5))
    }

    @Test func choleskySolvesAndMatrixSolveAgree() {
        let a = Matrix([[4, 1, 2], [1, 5, 3], [2, 3, 6]])
        let b = [1.0, 2.0, 3.0]
        var c = a.values, x = b, inverse = [0.0, 0, 0]
        #expect(Cholesky.factor(&c, n: 3, inverseDiagonal: &inverse))
        Cholesky.solve(c, n: 3, inverseDiagonal: inverse, &x)
        let y = a.solve(Matrix(rows: 3, cols: 1, values: b))!
        for i in 0..<3 {
            let ax = (0..<3).reduce(0) { $0 + a[i, $1] * x[$1] }
            #expect(close(ax, b[i], tol: 1e-12))
            #expect(close(x[i], y.values[i], tol: 1e-12))
        }
        // Not positive definite: refused rather than a NaN factor.
        var indefinite = [1.0, 2, 2, 1]
        #expect(!Cholesky.factor(&indefinite, n: 2, inverseDiagonal: &inverse))
    }
}
