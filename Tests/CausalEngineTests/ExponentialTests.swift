import Foundation
import Testing
@testable import CausalEngine
import StatsKit

@Suite struct ExponentialTests {
    /// aᵢⱼ = c·sin(1 + 3i + 7j): dense, both signs, 1-norm ≈ 7.55c (the scipy cases pick c
    /// so that every degree 3–13 and scalings s = 3 and 6 are taken).
    static func smooth(_ n: Int, _ c: Double) -> Matrix {
        Matrix(rows: n, cols: n, values: (0..<(n * n)).map { c * sin(1 + 3 * Double($0 / n) + 7 * Double($0 % n)) })
    }

    /// W∘W for a DAG-like W (edges i → j, j > i, with weights up to 2, 1e-3 noise elsewhere),
    /// as NOTEARS sees late in a fit: Padé 13 with scaling.
    static func hadamardOfDAG(_ n: Int) -> Matrix {
        var w = Matrix(rows: n, cols: n)
        for i in 0..<n {
            for j in 0..<n {
                w[i, j] = j > i && (i + 2 * j) % 3 == 0 ? 2 * sin(1 + Double(i + 2 * j)) : 1e-3 * sin(Double(3 * i + j))
            }
        }
        return w.hadamard(w)
    }

    /// Agrees with `scipy.linalg.expm` to double precision (normwise) on every Padé path.
    @Test(arguments: 0..<scipyReference.count)
    func exponentialMatchesScipy(caseIndex: Int) {
        let (name, input, expected) = Self.scipyReference[caseIndex]
        let e = input.exponential()
        let scale = expected.map(abs).max()!
        let error = zip(e.values, expected).map { abs($0 - $1) }.max()!
        #expect(error <= 1e-13 * scale, "\(name): max error \(error / scale) relative to max |expm|")
    }

    /// The blocked elimination of the Padé quotient solves (v − u) X = v + u like the plain
    /// Gaussian elimination of `Matrix.solve`, for sizes below, at and across block edges.
    @Test(arguments: [1, 3, 4, 5, 8, 10, 13, 20, 23])
    func quotientMatchesPlainElimination(n: Int) {
        var rng = SeededGenerator(seed: UInt64(n))
        let u = Matrix(rows: n, cols: n, values: (0..<(n * n)).map { _ in rng.nextUniform() - 0.5 })
        var v = Matrix(rows: n, cols: n, values: (0..<(n * n)).map { _ in rng.nextUniform() - 0.5 })
        for i in 0..<n { v[i, i] += 1 }   // row pivoting still happens, the system stays well conditioned
        let expected = (v - u).solve(v + u)!
        let workspace = ExponentialWorkspace(n: n)
        var x = Matrix(rows: n, cols: n)
        u.values.withUnsafeBufferPointer { pu in
            v.values.withUnsafeBufferPointer { pv in
                x.values.withUnsafeMutableBufferPointer { workspace.quotient(u: pu.baseAddress!, v: pv.baseAddress!, into: $0.baseAddress!) }
            }
        }
        for k in 0..<(n * n) { #expect(abs(x.values[k] - expected.values[k]) <= 1e-12 * max(1, abs(expected.values[k]))) }
    }

    /// One workspace reused across sizes of input norm (all degrees, then scaling) gives what a
    /// fresh one gives: no state leaks between calls.
    @Test func workspaceReuseIsStateless() {
        let workspace = ExponentialWorkspace(n: 8)
        var out = [Double](repeating: 0, count: 64)
        for (_, input, _) in Self.scipyReference where input.rows == 8 {
            input.values.withUnsafeBufferPointer { a in out.withUnsafeMutableBufferPointer { workspace.exponential(a.baseAddress!, into: $0.baseAddress!) } }
            #expect(out == input.exponential().values)
        }
    }

    @Test func nonFiniteArgumentGivesNaNNotATrap() {
        // A line search overshooting on extreme data can hand the exponential inf or NaN.
        for bad in [Double.infinity, .nan] {
            let e = Matrix([[0, bad], [0.5, 0]]).exponential()
            let allNaN = e.values.allSatisfy { $0.isNaN }
            #expect(allNaN)
        }
    }
}
