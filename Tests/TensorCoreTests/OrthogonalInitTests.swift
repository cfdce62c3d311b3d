import Testing
import TensorCore

@Suite("Orthogonal initialisation")
struct OrthogonalInitTests {
    /// W·Wᵀ = gain²·I for wide matrices and Wᵀ·W = gain²·I for tall ones.
    @Test(arguments: [(3, 7), (7, 3), (5, 5), (1, 4), (64, 35)])
    func rowsOrColumnsAreOrthonormal(shape: (Int, Int)) {
        var g = SeededGenerator(seed: 3)
        let (rows, cols) = shape
        let w = Tensor.orthogonal(rows: rows, cols: cols, gain: 2, using: &g)
        #expect(w.shape == [rows, cols])
        let (n, length) = rows <= cols ? (rows, cols) : (cols, rows)
        func entry(_ i: Int, _ k: Int) -> Float { rows <= cols ? w[i, k] : w[k, i] }
        for i in 0..<n {
            for j in 0..<n {
                var dot: Float = 0
                for k in 0..<length { dot += entry(i, k) * entry(j, k) }
                #expect(abs(dot - (i == j ? 4 : 0)) < 1e-4, "vectors \(i), \(j) of a \(rows)x\(cols) matrix: \(dot)")
            }
        }
    }

    @Test func seededAndVaried() {
        var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 1), c = SeededGenerator(seed: 2)
        let x = Tensor.orthogonal(rows: 4, cols: 6, using: &a)
        #expect(x == Tensor.orthogonal(rows: 4, cols: 6, using: &b))
        #expect(x != Tensor.orthogonal(rows: 4, cols: 6, using: &c))
    }
}
