extension Matrix {
    /// Matrix exponential by scaling and squaring with a [13/13] Padé approximant
    /// (Higham 2005, "The scaling and squaring method for the matrix exponential revisited";
    /// the algorithm `scipy.linalg.expm` used before 1.9). Lower-degree approximants (3, 5, 7, 9) are
    /// used when the 1-norm is small enough. O(n³) per multiplication, ~6–10 + s products.
    ///
    /// A convenience over `ExponentialWorkspace`, which callers taking many exponentials of
    /// one size keep instead, to allocate nothing per call.
    public func exponential() -> Matrix {
        precondition(rows == cols, "exponential needs a square matrix")
        let n = rows
        if n == 0 { return self }
        let workspace = ExponentialWorkspace(n: n)
        return values.withUnsafeBufferPointer { a in
            Matrix(rows: n, cols: n) { workspace.exponential(a.baseAddress!, into: $0) }
        }
    }
}
