// GFLOP/s of the bf16 GEMM (PackedBFloat16Matrix) against OpenBLAS cblas_sgemm on the
// MiniLM/BERT Linear shapes: A [M, K] fp32 times a PyTorch Linear weight [N, K] (transposed).
// Both sides run single-threaded (BLAS.setThreadCount(1)) and 2-way split over M (over N
// when M is small), the split TensorCore uses. Best of `runs` samples; each sample repeats the
// product until it lasts at least ~20 ms. Usage: BF16GEMMBench [runs] [threads, e.g. 1,2] [M values, e.g. 128,1216,4096]
import Dispatch
import Foundation
import TensorCore

let runs = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20 : 20
/// Thread counts to measure: "1", "2" or both (default).
let threadCounts = CommandLine.arguments.count > 2 ? CommandLine.arguments[2].split(separator: ",").compactMap { Int($0) } : [1, 2]
/// Row counts M (the BERT batch × sequence sizes by default).
let rowCounts = CommandLine.arguments.count > 3 ? CommandLine.arguments[3].split(separator: ",").compactMap { Int($0) } : [128, 1216, 4096]
BLAS.setThreadCount(1)

struct Pointers: @unchecked Sendable {
    let a: UnsafePointer<Float>, w: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
}

/// Best GFLOP/s of `peer` and `ours` over `runs` samples each, alternating so both see the
/// same machine load (the 2 cores are shared); a sample repeats a product for >= ~5 ms.
func measure(flops: Double, _ peer: () -> Void, _ ours: () -> Void) -> (peer: Double, ours: Double) {
    func repetitions(_ body: () -> Void) -> Int {
        body()
        var reps = 1
        while true {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<reps { body() }
            if Double(DispatchTime.now().uptimeNanoseconds - t0) > 5e6 { return reps }
            reps *= 2
        }
    }
    func sample(_ reps: Int, _ body: () -> Void) -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<reps { body() }
        return flops * Double(reps) / Double(DispatchTime.now().uptimeNanoseconds - t0)
    }
    let peerReps = repetitions(peer), oursReps = repetitions(ours)
    var best = (peer: 0.0, ours: 0.0)
    for _ in 0..<runs {
        best.peer = max(best.peer, sample(peerReps, peer))
        best.ours = max(best.ours, sample(oursReps, ours))
    }
    return best
}

func sgemm(_ p: Pointers, m: Int, n: Int, k: Int, threads: Int) {
    if threads == 1 {
        BLAS.sgemmCall(false, true, m, n, k, 1, p.a, k, p.w, k, 0, p.c, n)
        return
    }
    let splitRows = m >= 8 * threads
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        let extent = splitRows ? m : n
        let lo = extent * t / threads, hi = extent * (t + 1) / threads
        if splitRows {
            BLAS.sgemmCall(false, true, hi - lo, n, k, 1, p.a + lo * k, k, p.w, k, 0, p.c + lo * n, n)
        } else {
            BLAS.sgemmCall(false, true, m, hi - lo, k, 1, p.a, k, p.w + lo * k, k, 0, p.c + lo, n)
        }
    }
}

print("bf16 GEMM vs OpenBLAS sgemm (GFLOP/s, best of \(runs)); kernel available: \(PackedBFloat16Matrix.isAvailable)")
print("    M     K     N |" + threadCounts.map { " sgemm\($0)t  bf16 \($0)t  ratio |" }.joined() + " max rel err")
var generator = SeededGenerator(seed: 42)
var minRatio = [Double](repeating: .infinity, count: 8)
for m in rowCounts {
    for (k, n) in [(384, 384), (384, 1152), (384, 1536), (1536, 384)] {
        let a = (0..<(m * k)).map { _ in Float.random(in: -1...1, using: &generator) }
        let w = (0..<(n * k)).map { _ in Float.random(in: -0.1...0.1, using: &generator) }
        var ref = [Float](repeating: 0, count: m * n)
        var out = [Float](repeating: 0, count: m * n)
        let packed = PackedBFloat16Matrix(weights: w, rows: k, columns: n, transposed: true)
        let flops = 2.0 * Double(m * n * k)
        a.withUnsafeBufferPointer { ab in
            w.withUnsafeBufferPointer { wb in
                ref.withUnsafeMutableBufferPointer { rb in
                    out.withUnsafeMutableBufferPointer { ob in
                        let sp = Pointers(a: ab.baseAddress!, w: wb.baseAddress!, c: rb.baseAddress!)
                        let c = ob.baseAddress!
                        var line = String(format: "%5d %5d %5d |", m, k, n)
                        for threads in threadCounts {
                            let (blas, ours) = measure(flops: flops) {
                                sgemm(sp, m: m, n: n, k: k, threads: threads)
                            } _: {
                                packed.multiply(sp.a, rows: m, lda: k, into: c, ldc: n, bias: nil, accumulate: false,
                                                portable: false, threads: threads)
                            }
                            minRatio[threads - 1] = min(minRatio[threads - 1], ours / blas)
                            line += String(format: " %7.1f  %7.1f  %5.2f |", blas, ours, ours / blas)
                        }
                        var err: Float = 0
                        let scale = rb.map { abs($0) }.max() ?? 1
                        for i in 0..<(m * n) { err = max(err, abs(rb[i] - ob[i])) }
                        line += String(format: " %.1e", err / scale)
                        print(line)
                    }
                }
            }
        }
    }
}
for threads in threadCounts { print(String(format: "minimum ratio, %d thread(s): %.2f", threads, minRatio[threads - 1])) }
