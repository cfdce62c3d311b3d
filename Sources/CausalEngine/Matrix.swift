/// A dense row-major matrix of Doubles, sized for causal graphs (d ≤ a few hundred).
/// Plain Swift loops (products accumulate over k in order, with explicit SIMD from `VectorKernels`);
/// only the exponential's products go through BLAS (`DenseProduct`), where they dominate NOTEARS.
public struct Matrix: Sendable, Hashable, Codable {
    public let rows: Int
    public let cols: Int
    /// Row-major storage: element (i, j) is `values[i * cols + j]`.
    public var values: [Double]

    public init(rows: Int, cols: Int, repeating v: Double = 0) {
        self.rows = rows
        self.cols = cols
        self.values = [Double](repeating: v, count: rows * cols)
    }

    public init(rows: Int, cols: Int, values: [Double]) {
        precondition(values.count == rows * cols, "Matrix needs rows*cols values")
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    /// From nested rows (all of the same length).
    public init(_ nested: [[Double]]) {
        rows = nested.count
        cols = nested.first?.count ?? 0
        values = nested.flatMap { $0 }
        precondition(values.count == rows * cols, "ragged rows")
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.values[i * n + i] = 1 }
        return m
    }

    @inlinable public subscript(i: Int, j: Int) -> Double {
        get { values[i * cols + j] }
        set { values[i * cols + j] = newValue }
    }

    /// Nested rows, for JSON output.
    public var nested: [[Double]] { (0..<rows).map { Array(values[($0 * cols)..<($0 * cols + cols)]) } }

    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { t.values[j * rows + i] = values[i * cols + j] } }
        return t
    }

    public var trace: Double { (0..<min(rows, cols)).reduce(0) { $0 + values[$1 * cols + $1] } }

    /// Max absolute row sum (the matrix 1-norm of the transpose; used for scaling).
    public var normInf: Double {
        var best = 0.0
        for i in 0..<rows {
            var s = 0.0
            for j in 0..<cols { s += abs(values[i * cols + j]) }
            best = max(best, s)
        }
        return best
    }

    /// Matrix product, O(n·k·m), row by row (`VectorKernels.productRow`: column bands held in
    /// registers); every element accumulates `a[i,p]·b[p,j]` over p in order from 0,
    /// skipping a[i,p] = 0.
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.cols == b.rows, "shape mismatch \(a.rows)x\(a.cols) * \(b.rows)x\(b.cols)")
        let n = a.rows, k = a.cols, m = b.cols
        return a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                Matrix(rows: n, cols: m) { c0 in
                    for i in 0..<n { VectorKernels.productRow(k, pa.baseAddress! + i &* k, pb.baseAddress!, m, c0 + i &* m, m) }
                }
            }
        }
    }

    /// A rows × cols matrix whose every element `fill` writes (no zero fill first).
    init(rows: Int, cols: Int, filling fill: (UnsafeMutablePointer<Double>) -> Void) {
        self.rows = rows
        self.cols = cols
        values = [Double](unsafeUninitializedCapacity: rows * cols) { buffer, initialized in
            if let base = buffer.baseAddress { fill(base) }
            initialized = rows * cols
        }
    }

    public static func + (a: Matrix, b: Matrix) -> Matrix { a.combined(with: b, +, +) }

    public static func - (a: Matrix, b: Matrix) -> Matrix { a.combined(with: b, -, -) }

    public static func * (s: Double, a: Matrix) -> Matrix {
        var c = a
        c.values.withUnsafeMutableBufferPointer { VectorKernels.scale($0.count, s, $0.baseAddress!) }
        return c
    }

    /// Element-wise (Hadamard) product.
    public func hadamard(_ b: Matrix) -> Matrix { combined(with: b, *, *) }

    /// `self ⊕ b` element-wise.
    @inline(__always)
    private func combined(with b: Matrix, _ op: (SIMD4<Double>, SIMD4<Double>) -> SIMD4<Double>,
                          _ scalar: (Double, Double) -> Double) -> Matrix {
        precondition(values.count == b.values.count, "shape mismatch \(rows)x\(cols) vs \(b.rows)x\(b.cols)")
        var c = self
        b.values.withUnsafeBufferPointer { pb in
            c.values.withUnsafeMutableBufferPointer { pc in
                VectorKernels.combine(pc.count, pb.baseAddress!, pc.baseAddress!, op, scalar)
            }
        }
        return c
    }

    /// Solves A X = B by Gaussian elimination with partial pivoting; nil if A is singular.
    public func solve(_ b: Matrix) -> Matrix? {
        precondition(rows == cols && b.rows == rows)
        let n = rows, m = b.cols
        var a = values, x = b.values
        let singular = a.withUnsafeMutableBufferPointer { pa in
            x.withUnsafeMutableBufferPointer { px in
                Matrix.eliminate(pa.baseAddress!, n: n, px.baseAddress!, m: m)
            }
        }
        if singular { return nil }
        return Matrix(rows: n, cols: m, values: x)
    }

    /// Gaussian elimination with partial pivoting and back substitution, in place: `a` (n×n)
    /// is destroyed, `x` (n×m) goes from B to the solution. Returns true when A is singular.
    static func eliminate(_ a: UnsafeMutablePointer<Double>, n: Int, _ x: UnsafeMutablePointer<Double>, m: Int) -> Bool {
        for col in 0..<n {
            var piv = col
            for r in (col + 1)..<max(col + 1, n) where abs(a[r &* n &+ col]) > abs(a[piv &* n &+ col]) { piv = r }
            if abs(a[piv &* n &+ col]) < 1e-300 { return true }
            if piv != col {
                for j in 0..<n { swap(&a[col &* n &+ j], &a[piv &* n &+ j]) }
                for j in 0..<m { swap(&x[col &* m &+ j], &x[piv &* m &+ j]) }
            }
            let d = a[col &* n &+ col]
            for r in (col + 1)..<max(col + 1, n) {
                let f = a[r &* n &+ col] / d
                if f == 0 { continue }
                VectorKernels.axpy(n &- col, -f, a + (col &* n &+ col), a + (r &* n &+ col))
                VectorKernels.axpy(m, -f, x + col &* m, x + r &* m)
            }
        }
        // Back substitution, all right-hand sides at once: x[col, j] −= a[col, k]·x[k, j] for
        // k ascending, then ÷ a[col, col] (the per-element order of a scalar loop over k).
        for col in stride(from: n - 1, through: 0, by: -1) {
            let d = a[col &* n &+ col]
            for k in (col + 1)..<max(col + 1, n) { VectorKernels.axpy(m, -a[col &* n &+ k], x + k &* m, x + col &* m) }
            for j in 0..<m { x[col &* m &+ j] /= d }
        }
        return false
    }
}
