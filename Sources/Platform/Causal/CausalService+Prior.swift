import CausalEngine

extension CausalService {
    /// Background knowledge for discovery, by column name, as REST (`"prior"`) and the CLI
    /// (`--tiers`, `--require`, `--forbid`, `--max-parents`) take it.
    public struct Prior: Codable, Sendable, Equatable {
        /// An edge `from -> to`.
        public struct Edge: Codable, Sendable, Equatable {
            public var from: String
            public var to: String
            public init(from: String, to: String) { self.from = from; self.to = to }
        }
        /// Edges that must be in the graph.
        public var required: [Edge]
        /// Edges that must not be.
        public var forbidden: [Edge]
        /// Ordered groups of columns: no edge may point from a later group to an earlier one
        /// (e.g. configuration before KPIs). Columns in no group are unconstrained.
        public var tiers: [[String]]
        /// Most parents any node may keep.
        public var maxParents: Int?

        enum CodingKeys: String, CodingKey {
            case required, forbidden, tiers
            case maxParents = "max_parents"
        }

        public init(required: [Edge] = [], forbidden: [Edge] = [], tiers: [[String]] = [], maxParents: Int? = nil) {
            self.required = required; self.forbidden = forbidden; self.tiers = tiers; self.maxParents = maxParents
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            required = try c.decodeIfPresent([Edge].self, forKey: .required) ?? []
            forbidden = try c.decodeIfPresent([Edge].self, forKey: .forbidden) ?? []
            tiers = try c.decodeIfPresent([[String]].self, forKey: .tiers) ?? []
            maxParents = try c.decodeIfPresent(Int.self, forKey: .maxParents)
        }

        /// No constraint at all.
        public var isEmpty: Bool { required.isEmpty && forbidden.isEmpty && tiers.isEmpty && maxParents == nil }

        /// Resolved against the data's columns; an unknown column or a column in two tiers
        /// is an error naming it.
        public func knowledge(names: [String]) throws(CausalError) -> PriorKnowledge {
            var tierOf = [String: Int]()
            for (tier, group) in tiers.enumerated() {
                for name in group {
                    if let earlier = tierOf[name] {
                        throw CausalError(.invalidArgument, "column '\(name)' is in tier \(earlier) and tier \(tier)")
                    }
                    tierOf[name] = tier
                }
            }
            return try PriorKnowledge(names: names, required: required.map { ($0.from, $0.to) },
                                      forbidden: forbidden.map { ($0.from, $0.to) }, tiers: tierOf, maxParents: maxParents)
        }
    }
}
