import Foundation
import Testing
@testable import CausalEngine
import StatsKit

@Suite struct DAGTests {
    @Test func cycleIsRejectedWithItsPath() {
        do {
            _ = try DAG(nodes: ["a", "b", "c"], edges: [("a", "b"), ("b", "c"), ("c", "a")])
            Issue.record("cycle accepted")
        } catch {
            #expect(error.code == .cycle)
            #expect(error.message.contains("a -> b -> c -> a") || error.message.contains("b -> c -> a -> b") || error.message.contains("c -> a -> b -> c"))
        }
        #expect(throws: CausalError.self) { try DAG(nodes: ["a"], edges: [("a", "zz")]) }
        #expect(DAG.hasCycle(Matrix([[0, 1], [1, 0]])))
        #expect(!DAG.hasCycle(Matrix([[0, 1], [0, 0]])))
    }

    /// Random DAGs: topological order respects every edge; ancestors/descendants equal the
    /// transitive closure computed by Floyd–Warshall.
    @Test func orderAndClosureMatchBruteForce() throws {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<20 {
            let d = 8
            let perm = Array(0..<d).shuffled(using: &rng)
            var edges: [DAG.Edge] = []
            for a in 0..<d { for b in (a + 1)..<d where rng.nextUniform() < 0.3 { edges.append(.init(from: perm[a], to: perm[b])) } }
            let g = try DAG(nodes: (0..<d).map { "n\($0)" }, edges: edges)
            let order = g.topologicalOrder
            #expect(order.count == d)
            let pos = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
            for e in edges { #expect(pos[e.from]! < pos[e.to]!) }
            var reach = [[Bool]](repeating: [Bool](repeating: false, count: d), count: d)
            for e in edges { reach[e.from][e.to] = true }
            for k in 0..<d { for i in 0..<d { for j in 0..<d where reach[i][k] && reach[k][j] { reach[i][j] = true } } }
            for v in 0..<d {
                #expect(g.descendants(of: v) == Set((0..<d).filter { reach[v][$0] }))
                #expect(g.ancestors(of: v) == Set((0..<d).filter { reach[$0][v] }))
            }
        }
    }

    @Test func dSeparationOnTextbookGraphs() throws {
        let chain = try DAG(nodes: ["A", "B", "C"], edges: [("A", "B"), ("B", "C")])
        #expect(try !chain.isDSeparated(["A"], ["C"]))
        #expect(try chain.isDSeparated(["A"], ["C"], given: ["B"]))
        let fork = try DAG(nodes: ["A", "B", "C"], edges: [("B", "A"), ("B", "C")])
        #expect(try !fork.isDSeparated(["A"], ["C"]))
        #expect(try fork.isDSeparated(["A"], ["C"], given: ["B"]))
        let collider = try DAG(nodes: ["A", "B", "C", "D"], edges: [("A", "B"), ("C", "B"), ("B", "D")])
        #expect(try collider.isDSeparated(["A"], ["C"]))
        #expect(try !collider.isDSeparated(["A"], ["C"], given: ["B"]))
        #expect(try !collider.isDSeparated(["A"], ["C"], given: ["D"]))   // descendant of a collider opens it
        // Pearl's sprinkler network.
        let s = try DAG(nodes: ["Season", "Sprinkler", "Rain", "Wet", "Slippery"],
                        edges: [("Season", "Sprinkler"), ("Season", "Rain"), ("Sprinkler", "Wet"), ("Rain", "Wet"), ("Wet", "Slippery")])
        #expect(try s.isDSeparated(["Sprinkler"], ["Rain"], given: ["Season"]))
        #expect(try !s.isDSeparated(["Sprinkler"], ["Rain"], given: ["Season", "Wet"]))
        #expect(try !s.isDSeparated(["Sprinkler"], ["Rain"], given: ["Season", "Slippery"]))
        #expect(try s.isDSeparated(["Season"], ["Slippery"], given: ["Wet"]))
        #expect(try !s.isDSeparated(["Season"], ["Slippery"]))
    }

    /// Oracle: d-separation ⇔ separation in the moralised ancestral graph (Lauritzen 1990).
    @Test func dSeparationMatchesMoralGraphCriterion() throws {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<15 {
            let d = 7
            var edges: [DAG.Edge] = []
            for a in 0..<d { for b in (a + 1)..<d where rng.nextUniform() < 0.35 { edges.append(.init(from: a, to: b)) } }
            let g = try DAG(nodes: (0..<d).map { "n\($0)" }, edges: edges)
            for x in 0..<d { for y in 0..<d where y != x {
                for zmask in 0..<(1 << d) where zmask & (1 << x) == 0 && zmask & (1 << y) == 0 && zmask.nonzeroBitCount <= 2 {
                    let z = Set((0..<d).filter { zmask & (1 << $0) != 0 })
                    #expect(g.isDSeparated([x], [y], given: z) == moralSeparated(g, x, y, z))
                }
            } }
        }
    }

    func moralSeparated(_ g: DAG, _ x: Int, _ y: Int, _ z: Set<Int>) -> Bool {
        var keep = Set([x, y]).union(z)
        keep.formUnion(g.ancestors(of: keep))
        var adj = [Int: Set<Int>]()
        for v in keep {
            let pa = g.parents(of: v).filter { keep.contains($0) }
            for p in pa { adj[v, default: []].insert(p); adj[p, default: []].insert(v) }
            for a in pa { for b in pa where a != b { adj[a, default: []].insert(b) } }
        }
        var seen: Set<Int> = [x], stack = [x]
        while let v = stack.popLast() {
            for w in adj[v, default: []] where !z.contains(w) && seen.insert(w).inserted { stack.append(w) }
        }
        return !seen.contains(y)
    }

    @Test func backdoorSets() throws {
        // Confounded: Z → X, Z → Y, X → Y.
        let g = try DAG(nodes: ["Z", "X", "Y"], edges: [("Z", "X"), ("Z", "Y"), ("X", "Y")])
        #expect(!g.isValidBackdoorSet(treatment: 1, outcome: 2, adjustment: []))
        #expect(g.isValidBackdoorSet(treatment: 1, outcome: 2, adjustment: [0]))
        #expect(g.backdoorAdjustmentSet(treatment: 1, outcome: 2) == [0])
        // M-bias: X ← A → M ← B → Y, X → Y. {} valid, {M} opens the collider, {M, A} valid.
        let m = try DAG(nodes: ["X", "A", "M", "B", "Y"], edges: [("A", "X"), ("A", "M"), ("B", "M"), ("B", "Y"), ("X", "Y")])
        #expect(m.isValidBackdoorSet(treatment: 0, outcome: 4, adjustment: []))
        #expect(!m.isValidBackdoorSet(treatment: 0, outcome: 4, adjustment: [2]))
        #expect(m.isValidBackdoorSet(treatment: 0, outcome: 4, adjustment: [2, 1]))
        // A mediator (descendant of X) is never allowed.
        let med = try DAG(nodes: ["X", "M", "Y"], edges: [("X", "M"), ("M", "Y")])
        #expect(!med.isValidBackdoorSet(treatment: 0, outcome: 2, adjustment: [1]))
        let sets = m.backdoorAdjustmentSets(treatment: 0, outcome: 4, maxSize: 2)
        #expect(sets.contains([]) && sets.contains([1, 2]) && !sets.contains([2]))
    }

    @Test func exportsJSONDotSVG() throws {
        let g = try DAG(nodes: ["load", "thr\"put", "util"], edges: [.init(from: 0, to: 1, weight: 0.8), .init(from: 1, to: 2, weight: -1.25)])
        let back = try JSONDecoder().decode(DAG.self, from: try g.jsonData())
        #expect(back == g)
        #expect(g.dot.contains("\"load\" -> \"thr\\\"put\" [label=\"0.800\"]"))
        let svg = g.svg
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<line").count - 1 == 2)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3)
        #expect(svg.contains("thr&quot;put") && svg.contains("-1.25"))
    }
}
