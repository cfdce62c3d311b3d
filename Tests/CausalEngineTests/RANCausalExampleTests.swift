import Foundation
import Testing
import CausalEngine
import RadioSim

/// Issue 7's RAN example: data from the radio simulator (configuration -> load -> throughput
/// -> utility) whose true graph is known from the simulator's equations
/// (`RadioCausalSamples.trueEdges`); discovery must recover exactly that graph.
@Suite struct RANCausalExampleTests {
    static let names = RadioCausalSamples.columns

    /// The simulator's data as a DataSet (standardised columns, the standard design).
    static func data(seed: UInt64, samples: Int = 2000) throws -> DataSet {
        let (columns, rows) = try RadioCausalSamples.generate(samples: samples, seed: seed)
        return try DataSet(names: columns, columns: columns.indices.map { j in rows.map { $0[j] } })
    }

    /// The true edges as index pairs.
    static var truth: Set<PriorKnowledge.Pair> {
        Set(RadioCausalSamples.trueEdges.map {
            PriorKnowledge.Pair(names.firstIndex(of: $0.from)!, names.firstIndex(of: $0.to)!)
        })
    }

    /// PC's oriented edges.
    static func directedEdges(_ r: PC.Result) -> Set<PriorKnowledge.Pair> {
        Set((0..<r.count).flatMap { i in (0..<r.count).filter { r.directed[i][$0] }.map { PriorKnowledge.Pair(i, $0) } })
    }

    /// NOTEARS' edges (nonzero weights).
    static func directedEdges(_ w: Matrix) -> Set<PriorKnowledge.Pair> {
        Set((0..<w.rows).flatMap { i in (0..<w.cols).filter { w[i, $0] != 0 }.map { PriorKnowledge.Pair(i, $0) } })
    }

    static func describe(_ edges: Set<PriorKnowledge.Pair>) -> String {
        edges.map { "\(names[$0.from])->\(names[$0.to])" }.sorted().joined(separator: ", ")
    }

    @Test func trueGraphIsAWellFormedDAGOverTheColumns() throws {
        let dag = try DAG(nodes: Self.names, edges: RadioCausalSamples.trueEdges.map { ($0.from, $0.to) })
        #expect(dag.edges.count == 7)
        // The chain: configuration -> load -> throughput -> utility.
        let load = try dag.index(of: "log_load"), tput = try dag.index(of: "log_throughput")
        let util = try dag.index(of: "utility"), cio = try dag.index(of: "cell_offset")
        #expect(dag.hasEdge(cio, load) && dag.hasEdge(load, tput) && dag.hasEdge(tput, util))
        // Tiers agree with the edges (no edge from a later tier to an earlier one).
        for e in RadioCausalSamples.trueEdges {
            #expect(RadioCausalSamples.tiers[e.from]! < RadioCausalSamples.tiers[e.to]!, "\(e)")
        }
    }

    /// The rows obey the simulator's equations (an oracle independent of discovery): on raw
    /// columns, least squares of ln rate on its parents gives ln rate = ln bandwidth - ln load
    /// + ln(10)/10 per dB of power + (offset term < 0), and the non-parent ln(active UEs) adds
    /// nothing once ln load is known.
    @Test func rawRowsFollowTheRateEquation() throws {
        var design = RadioCausalSamples.Design.standard
        design.standardize = false
        let (columns, rows) = try RadioCausalSamples.generate(samples: 4000, seed: 11, design: design)
        let x = ["log_bandwidth", "tx_power", "cell_offset", "log_load", "log_active_ues"].map { columns.firstIndex(of: $0)! }
        let y = columns.firstIndex(of: "log_throughput")!
        // Normal equations [X 1]ᵀ[X 1] b = [X 1]ᵀ y.
        let k = x.count + 1
        var a = Matrix(rows: k, cols: k), rhs = Matrix(rows: k, cols: 1)
        for r in rows {
            let v = x.map { r[$0] } + [1]
            for i in 0..<k { rhs[i, 0] += v[i] * r[y]; for j in 0..<k { a[i, j] += v[i] * v[j] } }
        }
        let b = try #require(a.solve(rhs))
        #expect(abs(b[0, 0] - 1) < 0.08, "bandwidth coefficient \(b[0, 0])")
        #expect(abs(b[1, 0] - log(10) / 10) < 0.02, "power coefficient \(b[1, 0])")
        #expect(b[2, 0] < -0.05, "offset coefficient \(b[2, 0])")
        #expect(abs(b[3, 0] + 1) < 0.08, "load coefficient \(b[3, 0])")
        #expect(abs(b[4, 0]) < 0.08, "active-UE coefficient given load \(b[4, 0])")
        // Loads are counts >= 1 (the probe is always served by the target).
        let load = columns.firstIndex(of: "log_load")!
        #expect(rows.allSatisfy { $0[load] >= 0 && abs(exp($0[load]) - exp($0[load]).rounded()) < 1e-9 })
    }

    /// The non-edge tx_power -/-> log_load and the edge cell_offset -> log_load, checked on the
    /// simulator itself: one UE on every integer position of the map (positions are integer-
    /// truncated, so these are all the places a UE can be), one attach step; the set the target
    /// serves is the same at 32, 38 and 44 dBm and grows with the offset.
    @Test func targetAreaDependsOnOffsetButNotOnPower() throws {
        let base = try Scenario.hexGrid(rings: 1, interSiteDistance: RadioCausalSamples.Design.standard.interSiteDistance, ueCount: 1)
        let cx = base.width / 2, cy = base.height / 2
        let target = base.stations.indices.min {
            hypot(base.stations[$0].x - cx, base.stations[$0].y - cy) < hypot(base.stations[$1].x - cx, base.stations[$1].y - cy)
        }!
        var xs: [Double] = [], ys: [Double] = []
        for x in 0..<Int(base.width.rounded(.up)) { for y in 0..<Int(base.height.rounded(.up)) { xs.append(Double(x)); ys.append(Double(y)) } }
        func served(power: Double, offset: Double) throws -> [Bool] {
            var scenario = base
            scenario.ueCount = xs.count
            for s in scenario.stations.indices { scenario.stations[s].txPower = power }
            var offsets = Array(repeating: 0.0, count: scenario.stations.count)
            offsets[target] = offset
            var sim = try RadioSimulator(scenario: scenario, options: OperatorOptions(
                singleConnectivity: true, handover: A3Parameters(autoAttach: true), cellOffsets: offsets))
            sim.place(x: xs, y: ys)
            sim.applyActions(Array(repeating: 0, count: xs.count))
            return sim.serving.map { $0 == target }
        }
        var previous = 0
        for offset in [0.0, 2.5, 5, 8] {
            let low = try served(power: 32, offset: offset)
            #expect(try served(power: 38, offset: offset) == low, "offset \(offset) dB")
            #expect(try served(power: 44, offset: offset) == low, "offset \(offset) dB")
            let area = low.filter { $0 }.count
            #expect(area > previous, "offset \(offset) dB: area \(area) m² after \(previous)")
            previous = area
        }
        // Below the design's power range the target's area becomes range-limited and power
        // would move the load (why the design keeps power >= 32 dBm).
        #expect(try served(power: 24, offset: 8) != served(power: 32, offset: 8))
    }

    /// PC (Fisher-z, alpha 0.01) with no prior knowledge finds every edge and orients every one:
    /// the v-structures at load and throughput plus Meek's R1 for throughput -> utility.
    @Test(arguments: [0, 1, 2, 3, 4] as [UInt64])
    func pcRecoversTheTrueGraphWithoutPrior(seed: UInt64) throws {
        let result = try PC(alpha: 0.01).fit(try Self.data(seed: seed))
        let undirected = (0..<result.count).flatMap { i in (0..<result.count).filter { result.undirected[i][$0] } }
        #expect(undirected.isEmpty, "seed \(seed): undirected edges left")
        let found = Self.directedEdges(result)
        #expect(found == Self.truth, "seed \(seed): missing [\(Self.describe(Self.truth.subtracting(found)))] extra [\(Self.describe(found.subtracting(Self.truth)))]")
    }

    /// PC with the prior "configuration before KPIs" (two tiers) gives the same graph.
    @Test(arguments: [5, 6, 7] as [UInt64])
    func pcWithConfigurationTiersRecoversTheTrueGraph(seed: UInt64) throws {
        let prior = try PriorKnowledge(names: Self.names, tiers: RadioCausalSamples.configurationFirstTiers)
        let found = Self.directedEdges(try PC(alpha: 0.01, prior: prior).fit(try Self.data(seed: seed)))
        #expect(found == Self.truth, "seed \(seed): missing [\(Self.describe(Self.truth.subtracting(found)))] extra [\(Self.describe(found.subtracting(Self.truth)))]")
    }

    /// NOTEARS needs the tiers (on standardised columns its least-squares score cannot orient
    /// the KPIs or separate the configuration by itself) and a threshold below the weakest
    /// standardised coefficient (offset -> throughput is about -0.13): lambda1 0.05, w 0.05.
    @Test(arguments: [0, 1, 2] as [UInt64])
    func notearsWithConfigurationTiersRecoversTheTrueGraph(seed: UInt64) throws {
        let prior = try PriorKnowledge(names: Self.names, tiers: RadioCausalSamples.configurationFirstTiers)
        let result = try NOTEARS(lambda1: 0.05, wThreshold: 0.05, prior: prior).fit(try Self.data(seed: seed))
        let found = Self.directedEdges(result.weights)
        #expect(found == Self.truth, "seed \(seed): missing [\(Self.describe(Self.truth.subtracting(found)))] extra [\(Self.describe(found.subtracting(Self.truth)))]")
        // Signs follow the physics: more load or offset, less throughput; more bandwidth or power, more.
        func w(_ a: String, _ b: String) -> Double { result.weights[Self.names.firstIndex(of: a)!, Self.names.firstIndex(of: b)!] }
        #expect(w("log_load", "log_throughput") < 0 && w("cell_offset", "log_throughput") < 0)
        #expect(w("log_bandwidth", "log_throughput") > 0 && w("tx_power", "log_throughput") > 0)
        #expect(w("cell_offset", "log_load") > 0 && w("log_throughput", "utility") > 0)
    }

    @Test func generatorIsDeterministicPerSeed() throws {
        let a = try RadioCausalSamples.generate(samples: 300, seed: 42)
        let b = try RadioCausalSamples.generate(samples: 300, seed: 42)
        let c = try RadioCausalSamples.generate(samples: 300, seed: 43)
        #expect(a.columns == RadioCausalSamples.columns && a.rows.count == 300)
        #expect(a.rows == b.rows)
        #expect(a.rows != c.rows)
        // Standardised: every column has mean 0 and variance 1.
        for j in a.columns.indices {
            let col = a.rows.map { $0[j] }
            let mean = col.reduce(0, +) / 300
            let variance = col.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 300
            #expect(abs(mean) < 1e-9 && abs(variance - 1) < 1e-9, "column \(a.columns[j])")
        }
    }

    @Test func generatorRejectsBadArguments() {
        func field(_ samples: Int, _ change: (inout RadioCausalSamples.Design) -> Void) -> String? {
            var design = RadioCausalSamples.Design.standard
            change(&design)
            do {
                _ = try RadioCausalSamples.generate(samples: samples, seed: 0, design: design)
                return nil
            } catch {
                #expect(error.code == .invalidScenario)
                #expect(!error.message.isEmpty)
                return error.field
            }
        }
        #expect(field(1) { _ in } == "samples")
        #expect(field(-5) { _ in } == "samples")
        #expect(field(10) { $0.bandwidthsMHz = [] } == "design.bandwidths_mhz")
        #expect(field(10) { $0.bandwidthsMHz = [5, -1] } == "design.bandwidths_mhz")
        #expect(field(10) { $0.txPowerRange = 30...Double.infinity } == "design.tx_power_range")
        #expect(field(10) { $0.activeUERange = 0...10 } == "design.active_ue_range")
        #expect(field(10) { $0.demandMedian = 0 } == "design.demand_median")
        #expect(field(10) { $0.utilityLower = 5; $0.utilityUpper = 5 } == "design.utility_upper")
        #expect(field(10) { $0.interSiteDistance = .nan } == "design.inter_site_distance")
        // A target that serves no point: far too little power for any position to reach it.
        #expect(field(10) { $0.txPowerRange = -200 ... -199 } == "design")
    }
}
