extension Scenario {
    /// A generated scenario: cells on a hexagonal grid (one omnidirectional cell per site),
    /// `rings` rings around a centre site (1 + 3 rings (rings + 1) cells: 7, 19, 37, 61, 91, ...),
    /// sites `interSiteDistance` metres apart, the map the grid's bounding box plus `margin`
    /// on each side (default half the inter-site distance).
    ///
    /// Site (q, r) in axial coordinates lies at x = d (q + r / 2), y = d (sqrt(3) / 2) r.
    public static func hexGrid(rings: Int, interSiteDistance: Double = 100, ueCount: Int,
                               margin: Double? = nil, station: StationConfig = StationConfig(x: 0, y: 0),
                               ue: UEConfig = UEConfig(), episodeLength: Int = 100, seed: Int = 0,
                               name: String? = nil) throws(RadioSimError) -> Scenario {
        guard rings >= 0, rings <= 50 else {
            throw RadioSimError(.invalidScenario, field: "hex_grid.rings", "must be in 0...50, got \(rings)")
        }
        guard interSiteDistance.isFinite, interSiteDistance > 0 else {
            throw RadioSimError(.invalidScenario, field: "hex_grid.inter_site_distance",
                                "must be a finite number > 0, got \(interSiteDistance)")
        }
        let pad = margin ?? interSiteDistance / 2
        guard pad.isFinite, pad >= 0 else {
            throw RadioSimError(.invalidScenario, field: "hex_grid.margin", "must be a finite number >= 0, got \(pad)")
        }
        var points: [(Double, Double)] = []
        let root3over2 = 0.866_025_403_784_438_6
        for r in -rings...rings {
            for q in -rings...rings where abs(q + r) <= rings {
                points.append((interSiteDistance * (Double(q) + Double(r) / 2),
                               interSiteDistance * root3over2 * Double(r)))
            }
        }
        let minX = points.map(\.0).min()!, maxX = points.map(\.0).max()!
        let minY = points.map(\.1).min()!, maxY = points.map(\.1).max()!
        let stations = points.map { p -> StationConfig in
            var s = station
            s.x = p.0 - minX + pad
            s.y = p.1 - minY + pad
            return s
        }
        let scenario = Scenario(name: name ?? "hex\(rings)-\(stations.count)cells-\(ueCount)ues",
                                width: maxX - minX + 2 * pad, height: maxY - minY + 2 * pad,
                                stations: stations, ueCount: ueCount, ue: ue,
                                episodeLength: episodeLength, seed: seed)
        try scenario.validate()
        return scenario
    }
}
