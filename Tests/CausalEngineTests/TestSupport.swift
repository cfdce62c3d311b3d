import CausalEngine
import StatsKit

/// Samples n rows from the linear SEM X = XW + E, E ~ N(0, noiseSD²), nodes in index
/// order assumed topological when `w` is strictly upper triangular (otherwise a
/// topological order is computed).
func sampleLinearSEM(_ w: [[Double]], n: Int, seed: UInt64, noiseSD: Double = 1, intercepts: [Double]? = nil) -> DataSet {
    let d = w.count
    var rng = SeededGenerator(seed: seed)
    let dag = try! DAG(nodes: (0..<d).map { "x\($0)" }, adjacency: Matrix(w))
    let order = dag.topologicalOrder
    var cols = [[Double]](repeating: [Double](repeating: 0, count: n), count: d)
    for i in 0..<n {
        for j in order {
            var v = (intercepts?[j] ?? 0) + noiseSD * rng.nextGaussian()
            for p in 0..<d where w[p][j] != 0 { v += w[p][j] * cols[p][i] }
            cols[j][i] = v
        }
    }
    return try! DataSet(names: (0..<d).map { "x\($0)" }, columns: cols)
}

/// Structural Hamming distance between two adjacency matrices (nonzero = edge): extra,
/// missing and reversed edges each count 1.
func shd(_ a: Matrix, _ b: Matrix) -> Int {
    let d = a.rows
    var count = 0
    for i in 0..<d {
        for j in (i + 1)..<max(i + 1, d) {
            let ea = (a[i, j] != 0, a[j, i] != 0), eb = (b[i, j] != 0, b[j, i] != 0)
            if ea != eb { count += 1 }
        }
    }
    return count
}

func close(_ a: Double, _ b: Double, tol: Double) -> Bool { abs(a - b) <= tol }
