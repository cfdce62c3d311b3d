import Foundation

extension DAG: Codable {
    private struct NamedEdge: Codable { var from: String; var to: String; var weight: Double? }
    private enum Keys: String, CodingKey { case nodes, edges }

    /// JSON form: `{"nodes": [...], "edges": [{"from": "a", "to": "b", "weight": 0.8}]}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(nodes, forKey: .nodes)
        try c.encode(edges.map { NamedEdge(from: nodes[$0.from], to: nodes[$0.to], weight: $0.weight) }, forKey: .edges)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let nodes = try c.decode([String].self, forKey: .nodes)
        var list: [Edge] = []
        for e in try c.decode([NamedEdge].self, forKey: .edges) {
            guard let i = nodes.firstIndex(of: e.from), let j = nodes.firstIndex(of: e.to) else {
                throw CausalError(.unknownNode, "edge \(e.from) -> \(e.to) names a node that is not listed")
            }
            list.append(Edge(from: i, to: j, weight: e.weight))
        }
        try self.init(nodes: nodes, edges: list)
    }

    /// Pretty, key-sorted JSON.
    public func jsonData() throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try enc.encode(self)
    }

    /// Graphviz DOT text; weighted edges carry a `label` with three decimals.
    public var dot: String {
        var s = "digraph G {\n  rankdir=LR;\n"
        for n in nodes { s += "  \(DAG.dotQuote(n));\n" }
        for e in edges {
            s += "  \(DAG.dotQuote(nodes[e.from])) -> \(DAG.dotQuote(nodes[e.to]))"
            if let w = e.weight { s += " [label=\"\(String(format: "%.3f", w))\"]" }
            s += ";\n"
        }
        return s + "}\n"
    }

    static func dotQuote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A standalone SVG drawing: nodes in columns by longest-path depth (sources left),
    /// straight arrows, weights as labels (red negative, blue positive).
    public var svg: String {
        let order = topologicalOrder
        var depth = [Int](repeating: 0, count: count)
        for v in order { for c in children(of: v) { depth[c] = max(depth[c], depth[v] + 1) } }
        var slot = [Int](repeating: 0, count: count)
        var perLayer = [Int: Int]()
        for v in 0..<count { slot[v] = perLayer[depth[v], default: 0]; perLayer[depth[v], default: 0] += 1 }
        let colW = 180.0, rowH = 90.0, r = 28.0
        let width = Double((depth.max() ?? 0) + 1) * colW + 40
        let height = Double(perLayer.values.max() ?? 1) * rowH + 40
        func pos(_ v: Int) -> (Double, Double) { (Double(depth[v]) * colW + 20 + colW / 2, Double(slot[v]) * rowH + 20 + rowH / 2) }
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
        <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#444"/></marker></defs>

        """
        for e in edges {
            let (x1, y1) = pos(e.from), (x2, y2) = pos(e.to)
            let dx = x2 - x1, dy = y2 - y1, len = max(1, (dx * dx + dy * dy).squareRoot())
            let (sx, sy) = (x1 + dx / len * r, y1 + dy / len * r), (ex, ey) = (x2 - dx / len * r, y2 - dy / len * r)
            let color = (e.weight ?? 1) < 0 ? "#c0392b" : "#2c3e80"
            s += "<line x1=\"\(f(sx))\" y1=\"\(f(sy))\" x2=\"\(f(ex))\" y2=\"\(f(ey))\" stroke=\"\(color)\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n"
            if let w = e.weight {
                s += "<text x=\"\(f((sx + ex) / 2))\" y=\"\(f((sy + ey) / 2 - 4))\" fill=\"\(color)\" text-anchor=\"middle\">\(String(format: "%.2f", w))</text>\n"
            }
        }
        for v in 0..<count {
            let (x, y) = pos(v)
            s += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(r))\" fill=\"#eef\" stroke=\"#333\"/>\n"
            s += "<text x=\"\(f(x))\" y=\"\(f(y + 4))\" text-anchor=\"middle\">\(DAG.xmlEscape(nodes[v]))</text>\n"
        }
        return s + "</svg>\n"
    }

    private func f(_ x: Double) -> String { String(format: "%.1f", x) }

    static func xmlEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
