import Foundation

/// The four parts of a step (see `RadioSimulator`), each O(U N).
extension RadioSimulator {
    mutating func dropOutOfRange() {
        let n = stationCount, thr = scenario.ue.snrThreshold
        for u in 0..<ueCount {
            for s in 0..<n where connected[u * n + s] && !(snr[u * n + s] > thr) {
                connected[u * n + s] = false
                load[s] -= 1
                if serving[u] == s {
                    // A failure, not a handover: the next serving cell starts afresh.
                    counters.radioLinkFailures[s] += 1
                    serving[u] = -1
                }
            }
        }
    }

    /// Toggles the link (UE u, station s); connecting needs the SNR above the threshold.
    mutating func toggle(ue u: Int, station s: Int) {
        let n = stationCount
        let i = u * n + s
        if connected[i] {
            connected[i] = false
            load[s] -= 1
        } else if snr[i] > scenario.ue.snrThreshold {
            if options.singleConnectivity {
                for t in 0..<n where connected[u * n + t] {
                    connected[u * n + t] = false
                    load[t] -= 1
                }
            }
            connected[i] = true
            load[s] += 1
        }
    }

    /// Recomputes the serving cell (strongest connected link) and counts handovers/ping-pongs.
    mutating func updateServing() {
        let n = stationCount
        for u in 0..<ueCount {
            var best = -1
            var bestSNR = -Double.infinity
            for s in 0..<n where connected[u * n + s] && snr[u * n + s] > bestSNR {
                best = s
                bestSNR = snr[u * n + s]
            }
            let old = serving[u]
            if old >= 0 && best >= 0 && old != best {
                counters.handovers[old] += 1
                if lastHandoverFrom[u] == best && time - lastHandoverTime[u] <= options.pingPongWindow {
                    counters.pingPongs[old] += 1
                }
                lastHandoverFrom[u] = old
                lastHandoverTime[u] = time
            }
            serving[u] = best
        }
    }

    /// Resource-fair scheduling, macro rates, scaled utilities, station mean utilities.
    mutating func schedule() {
        let n = stationCount
        let lower = scenario.utilityLower, upper = scenario.utilityUpper
        for s in 0..<n { stationUtility[s] = 0 }
        for u in 0..<ueCount {
            var rate = 0.0
            for s in 0..<n where connected[u * n + s] {
                rate += linkRate[u * n + s] / Double(load[s])
            }
            macroRate[u] = rate
            let util = RadioModel.scaledUtility(RadioModel.utility(rate: rate, lower: lower, upper: upper),
                                                lower: lower, upper: upper)
            utility[u] = util
            for s in 0..<n where connected[u * n + s] { stationUtility[s] += util }
        }
        for s in 0..<n {
            stationUtility[s] = load[s] > 0 ? stationUtility[s] / Double(load[s]) : idleUtility
        }
        hasUtilities = true
        if options.trackKPIs { recordKPISample() }
    }

    /// Random waypoint: straight towards the waypoint at `velocity` m/step, landing on it when
    /// within `velocity`; a new waypoint is drawn (x then y, uniform on the map) when needed.
    mutating func move() {
        var rng = movementRNG!
        let v = scenario.ue.velocity, w = scenario.width, h = scenario.height
        for u in 0..<ueCount {
            if !hasWaypoint[u] {
                waypointX[u] = rng.uniform(0, w)
                waypointY[u] = rng.uniform(0, h)
                hasWaypoint[u] = true
            }
            let dx = waypointX[u] - ueX[u], dy = waypointY[u] - ueY[u]
            let dist = (dx * dx + dy * dy).squareRoot()
            if dist <= v {
                ueX[u] = waypointX[u]
                ueY[u] = waypointY[u]
                hasWaypoint[u] = false
            } else {
                ueX[u] += v * dx / dist
                ueY[u] += v * dy / dist
            }
        }
        movementRNG = rng
    }

    /// SNR and single-user rate of every (UE, station) pair at the current positions.
    mutating func refreshChannel() {
        let n = stationCount
        let noise = scenario.ue.noise, thr = scenario.ue.snrThreshold
        let noiseDB = 10 * log10(noise)
        stationX.withUnsafeBufferPointer { sx in
        stationY.withUnsafeBufferPointer { sy in
        lossConstant.withUnsafeBufferPointer { lc in
        lossSlope.withUnsafeBufferPointer { ls in
        txPower.withUnsafeBufferPointer { tx in
        bandwidth.withUnsafeBufferPointer { bw in
        snr.withUnsafeMutableBufferPointer { snrOut in
        linkRate.withUnsafeMutableBufferPointer { rateOut in
        snrDB.withUnsafeMutableBufferPointer { dbOut in
            for u in 0..<ueCount {
                let ux = ueX[u].rounded(.towardZero), uy = ueY[u].rounded(.towardZero)
                for s in 0..<n {
                    let dx = sx[s] - ux, dy = sy[s] - uy
                    let d = (dx * dx + dy * dy).squareRoot()
                    let loss = lc[s] + ls[s] * log10(d + 1e-16)
                    let value = pow(10, (tx[s] - loss) / 10) / noise
                    snrOut[u * n + s] = value
                    dbOut[u * n + s] = tx[s] - loss - noiseDB
                    rateOut[u * n + s] = value > thr ? bw[s] * log2(1 + value) : 0
                }
            }
        }}}}}}}}}
    }
}
