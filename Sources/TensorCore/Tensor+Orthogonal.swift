extension Tensor {
    /// A `[rows, cols]` (semi-)orthogonal matrix scaled by `gain`, as
    /// `torch.nn.init.orthogonal_`: the rows are orthonormal when rows <= cols, else the
    /// columns. Made by modified Gram-Schmidt (in Double) on a standard normal sample, with
    /// each vector's sign fixed so the result is uniformly distributed. Policy networks in
    /// reinforcement learning (PPO as Stable-Baselines3 sets it up) start from this.
    public static func orthogonal<G: RandomNumberGenerator>(rows: Int, cols: Int, gain: Float = 1,
                                                            using generator: inout G) -> Tensor {
        precondition(rows > 0 && cols > 0, "Tensor.orthogonal: needs a positive shape, got [\(rows), \(cols)]")
        // Orthonormalise `count` vectors of length `length`; transpose at the end when needed.
        let (count, length) = rows <= cols ? (rows, cols) : (cols, rows)
        var v = (0..<(count * length)).map { _ in Double(Tensor.standardNormal(using: &generator)) }
        for i in 0..<count {
            let vi = i * length
            for j in 0..<i {
                let vj = j * length
                var dot = 0.0
                for k in 0..<length { dot += v[vi + k] * v[vj + k] }
                for k in 0..<length { v[vi + k] -= dot * v[vj + k] }
            }
            var norm = 0.0
            for k in 0..<length { norm += v[vi + k] * v[vi + k] }
            let scale = 1 / max(norm.squareRoot(), 1e-12)
            for k in 0..<length { v[vi + k] *= scale }
        }
        return Tensor(shape: [rows, cols]) { out in
            for i in 0..<count {
                for k in 0..<length {
                    let x = Float(v[i * length + k]) * gain
                    if rows <= cols { out[i * cols + k] = x } else { out[k * cols + i] = x }
                }
            }
        }
    }
}
