/// Named numeric columns of equal length: the input of discovery and SCM fitting.
public struct DataSet: Sendable, Hashable {
    /// Column names, unique, in the caller's order (the node order of learned graphs).
    public let names: [String]
    /// Columns of values, `columns[j][i]` = row i of column j.
    public let columns: [[Double]]

    /// - Throws: `CausalError` `.invalidData` for ragged or empty columns or duplicate
    ///   names, `.missingValue` for a NaN / infinite value (naming the column and row).
    public init(names: [String], columns: [[Double]]) throws(CausalError) {
        guard names.count == columns.count else {
            throw CausalError(.invalidData, "\(names.count) names for \(columns.count) columns")
        }
        guard Set(names).count == names.count else { throw CausalError(.invalidData, "column names must be unique: \(names)") }
        let n = columns.first?.count ?? 0
        for (name, c) in zip(names, columns) {
            guard c.count == n else { throw CausalError(.invalidData, "column '\(name)' has \(c.count) rows, expected \(n)") }
            if let bad = c.firstIndex(where: { !$0.isFinite }) {
                throw CausalError(.missingValue, "column '\(name)' has a missing or non-finite value at row \(bad + 1)")
            }
        }
        self.names = names
        self.columns = columns
    }

    public var rowCount: Int { columns.first?.count ?? 0 }
    public var columnCount: Int { columns.count }

    /// Index of a column by name.
    public func index(of name: String) throws(CausalError) -> Int {
        guard let i = names.firstIndex(of: name) else { throw CausalError(.unknownNode, "unknown column '\(name)'; columns are \(names)") }
        return i
    }

    /// Row-major n×d matrix.
    public var matrix: Matrix {
        let n = rowCount, d = columnCount
        var m = Matrix(rows: n, cols: d)
        for j in 0..<d { for i in 0..<n { m.values[i * d + j] = columns[j][i] } }
        return m
    }

    /// Column means.
    public var means: [Double] { columns.map { $0.reduce(0, +) / Double(max($0.count, 1)) } }

    /// Sample covariance with divisor n (the NOTEARS least-squares scaling), d×d. O(n·d²).
    public var covariance: Matrix {
        let d = columnCount, n = rowCount
        let mu = means
        let centered = (0..<d).map { j in columns[j].map { $0 - mu[j] } }
        var c = Matrix(rows: d, cols: d)
        for a in 0..<d {
            for b in a..<d {
                var s = 0.0
                centered[a].withUnsafeBufferPointer { pa in
                    centered[b].withUnsafeBufferPointer { pb in
                        for i in 0..<n { s += pa[i] * pb[i] }
                    }
                }
                c[a, b] = s / Double(n)
                c[b, a] = c[a, b]
            }
        }
        return c
    }

    /// Pearson correlation matrix, d×d.
    public var correlation: Matrix {
        var c = covariance
        let d = columnCount
        let sd = (0..<d).map { c[$0, $0].squareRoot() }
        for a in 0..<d { for b in 0..<d { c[a, b] = (sd[a] > 0 && sd[b] > 0) ? c[a, b] / (sd[a] * sd[b]) : (a == b ? 1 : 0) } }
        return c
    }

    /// Rows selected by index (with repetition, for bootstrap resamples).
    public func rows(_ idx: [Int]) -> DataSet {
        // Cannot fail: same names, equal lengths, values already validated.
        try! DataSet(names: names, columns: columns.map { c in idx.map { c[$0] } })
    }
}
