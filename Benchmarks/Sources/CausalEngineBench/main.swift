// CausalEngineBench: fits structure learners on CSV files and prints one JSON object per
// file: {"file", "method", "seconds", "adjacency"}. Driven by bench/causal_bench.py,
// which generates the data and scores the graphs against the truth.
//
// usage: CausalEngineBench [--method notears|pc] [--lambda1 0.1] [--w-threshold 0.3]
//                          [--alpha 0.01] FILE.csv...
//        CausalEngineBench --eval-bench [REPETITIONS]   (µs per NOTEARS objective evaluation)
import CausalEngine
import Foundation

/// CPU seconds of this process (robust to other load on the machine, unlike wall time).
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var method = "notears", lambda1 = 0.1, wThreshold = 0.3, alpha = 0.01
var ftol: Double?, pgtol: Double?, memory: Int?
var files: [String] = []
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--method": method = args.popFirst() ?? method
    case "--lambda1": lambda1 = Double(args.popFirst() ?? "") ?? lambda1
    case "--w-threshold": wThreshold = Double(args.popFirst() ?? "") ?? wThreshold
    case "--alpha": alpha = Double(args.popFirst() ?? "") ?? alpha
    case "--ftol": ftol = Double(args.popFirst() ?? "")
    case "--pgtol": pgtol = Double(args.popFirst() ?? "")
    case "--memory": memory = Int(args.popFirst() ?? "")
    case "--eval-bench":
        runEvalBench(repetitions: Int(args.popFirst() ?? "") ?? 5)
        exit(0)
    default: files.append(a)
    }
}
if files.isEmpty {
    FileHandle.standardError.write("usage: CausalEngineBench [--method notears|pc] FILE.csv...\n".data(using: .utf8)!)
    exit(2)
}
for file in files {
    do {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let data = try DataSet(csv: text)
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = cpuSeconds()
        let adjacency: Matrix
        var extra = ""
        switch method {
        case "pc":
            let r = try PC(alpha: alpha).fit(data)
            adjacency = r.adjacency
        default:
            var nt = NOTEARS(lambda1: lambda1, wThreshold: wThreshold)
            if let ftol { nt.solver.ftol = ftol }
            if let pgtol { nt.solver.pgtol = pgtol }
            if let memory { nt.solver.memory = memory }
            let r = try nt.fit(data)
            adjacency = r.weights
            extra = ", \"inner_iterations\": \(r.innerIterations), \"outer_iterations\": \(r.outerIterations), \"h\": \(r.acyclicity)"
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = cpuSeconds() - cpuStart
        let rows = adjacency.nested.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",")
        print("{\"file\": \"\(file)\", \"method\": \"\(method)\", \"seconds\": \(seconds), \"cpu_seconds\": \(cpu)\(extra), \"adjacency\": [\(rows)]}")
    } catch {
        print("{\"file\": \"\(file)\", \"error\": \"\(error)\"}")
    }
}
