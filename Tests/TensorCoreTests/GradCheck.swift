import Testing
@testable import TensorCore

/// Finite-difference gradient checker: compares the tape's gradient of
/// `L = Σ f(x) ⊙ R` (R fixed random weights) with central differences accumulated in Double.
struct GradCase: Sendable, CustomStringConvertible {
    let name: String
    let inputs: [Tensor]
    let eps: Float
    let f: @Sendable ([Variable]) -> Variable
    var description: String { name }

    init(_ name: String, _ inputs: [Tensor], eps: Float = 1e-2, _ f: @escaping @Sendable ([Variable]) -> Variable) {
        self.name = name; self.inputs = inputs; self.eps = eps; self.f = f
    }
}

func weightedSum(_ y: Tensor, _ r: Tensor) -> Double {
    var s = 0.0
    for i in 0..<y.count { s += Double(y.scalars[i]) * Double(r.scalars[i]) }
    return s
}

/// Returns the worst `|analytic − numeric| / (atol + rtol·|numeric|)`; ≤ 1 passes.
func gradCheck(_ c: GradCase, atol: Double = 5e-3, rtol: Double = 2e-2) -> (worst: Double, detail: String) {
    var g = SeededGenerator(seed: 99)
    let tape = Tape()
    let vars = c.inputs.map { tape.variable($0) }
    let out = c.f(vars)
    let r = Tensor.randomNormal(out.shape, using: &g)
    let loss = (out * tape.constant(r)).sum()
    tape.backward(loss)
    var worst = 0.0
    var detail = ""
    for (k, x) in c.inputs.enumerated() {
        let analytic = tape.gradient(of: vars[k]) ?? Tensor.zeros(like: x)
        #expect(analytic.shape == x.shape, "\(c.name): gradient shape \(analytic.shape) vs input \(x.shape)")
        for i in 0..<x.count {
            func eval(_ delta: Float) -> Double {
                var xs = c.inputs
                xs[k].scalars[i] += delta
                return weightedSum(c.f(xs.map { Variable($0) }).value, r)
            }
            let numeric = (eval(c.eps) - eval(-c.eps)) / (2 * Double(c.eps))
            let a = Double(analytic.scalars[i])
            let score = abs(a - numeric) / (atol + rtol * abs(numeric))
            if score > worst { worst = score; detail = "input \(k) element \(i): analytic \(a), numeric \(numeric)" }
        }
    }
    return (worst, detail)
}

/// Random tensor helper with a fixed per-call seed.
func rnd(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var g = SeededGenerator(seed: seed)
    return Tensor.randomUniform(shape, low: low, high: high, using: &g)
}

/// Random values bounded away from 0 (for kinks such as ReLU and |x|).
func rndAwayFromZero(_ shape: [Int], seed: UInt64) -> Tensor {
    rnd(shape, seed: seed).map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }
}
