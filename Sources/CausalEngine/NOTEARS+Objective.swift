extension NOTEARS {
    /// The augmented-Lagrangian objective over x = [W⁺; W⁻] (2d² entries, row-major W).
    ///
    /// A class because it owns its scratch storage: one allocation at `init` for S, λ₁ and
    /// the per-evaluation d×d temporaries, plus an `ExponentialWorkspace`, so `evaluate`
    /// allocates nothing. Not thread-safe and not `Sendable`: one objective per fit.
    final class Objective {
        let d: Int
        var rho = 1.0
        var alpha = 0.0
        private let exponential: ExponentialWorkspace
        /// S (covariance), λ₁ per entry, W, W∘W, I − W, M = S(I − W), e^{W∘W}: d² each.
        private let s, l1, w, a, iw, m, e: UnsafeMutablePointer<Double>
        private let storage: UnsafeMutablePointer<Double>

        /// `s` is the d×d covariance; `l1` the per-entry L1 weight (λ₁, or 0 for required edges).
        init(s covariance: Matrix, d: Int, l1 weights: [Double]) {
            precondition(covariance.rows == d && covariance.cols == d && weights.count == d * d, "objective shapes")
            self.d = d
            let dd = d * d
            storage = .allocate(capacity: max(1, 7 * dd))
            storage.initialize(repeating: 0, count: 7 * dd)
            (s, l1, w, a) = (storage, storage + dd, storage + 2 * dd, storage + 3 * dd)
            (iw, m, e) = (storage + 4 * dd, storage + 5 * dd, storage + 6 * dd)
            s.update(from: covariance.values, count: dd)
            l1.update(from: weights, count: dd)
            exponential = ExponentialWorkspace(n: d)
        }

        deinit { storage.deallocate() }

        static func combine(_ w: [Double], _ d: Int) -> Matrix {
            let dd = d * d
            var m = Matrix(rows: d, cols: d)
            for k in 0..<dd { m.values[k] = w[k] - w[dd + k] }
            return m
        }

        /// h(W) = tr(e^{W∘W}) − d, once per inner solve (`evaluate` forms its gradient).
        static func acyclicity(_ w: Matrix) -> Double {
            w.hadamard(w).exponential().trace - Double(w.rows)
        }

        /// F(x), with ∇F(x) written into all 2d² entries of `gradient`. O(d³), no allocation:
        ///   loss = ½ Σ (I−W)∘M with M = S(I−W), ∇loss = −M;
        ///   h = tr(e^{W∘W}) − d, ∇h = (e^{W∘W})ᵀ ∘ 2W;
        ///   F = loss + ρ/2·h² + αh + Σ λ₁(W⁺ + W⁻), ∂F/∂W^± = ±(−M + (ρh + α)∇h) + λ₁.
        func evaluate(_ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>) -> Double {
            let dd = d * d
            precondition(x.count == 2 * dd && gradient.count == 2 * dd, "x and gradient need 2d² entries")
            let xp = x.baseAddress!, xm = xp + dd, g = gradient.baseAddress!
            // One pass: W, W∘W, I − W and the L1 term, four entries at a time (explicit SIMD:
            // the compiler cannot prove the buffers apart).
            var penalty = SIMD4<Double>()
            var k = 0
            while k &+ 4 <= dd {
                let (p, q) = (Self.load(xp + k), Self.load(xm + k))
                let wk = p - q
                Self.store(wk, w + k)
                Self.store(wk * wk, a + k)
                Self.store(-wk, iw + k)
                penalty += Self.load(l1 + k) * (p + q)
                k &+= 4
            }
            while k < dd {
                let wk = xp[k] - xm[k]
                (w[k], a[k], iw[k]) = (wk, wk * wk, -wk)
                penalty[0] += l1[k] * (xp[k] + xm[k])
                k &+= 1
            }
            for i in 0..<d { iw[i &* d &+ i] += 1 }
            DenseProduct.square(d, s, iw, into: m)
            var loss = SIMD4<Double>()
            k = 0
            while k &+ 4 <= dd { loss += Self.load(iw + k) * Self.load(m + k); k &+= 4 }
            while k < dd { loss[0] += iw[k] * m[k]; k &+= 1 }
            exponential.exponential(a, into: e)
            var trace = 0.0
            for i in 0..<d { trace += e[i &* d &+ i] }
            let h = trace - Double(d)
            let coef = rho * h + alpha
            // ∂F/∂W = −M + 2(ρh + α)·Eᵀ∘W, Eᵀ's row i gathered from E's column i.
            let twice = SIMD4(repeating: 2 * coef)
            for i in 0..<d {
                let row = i &* d
                var j = 0
                while j &+ 4 <= d {
                    let k = row &+ j
                    let et = SIMD4(e[j &* d &+ i], e[(j &+ 1) &* d &+ i], e[(j &+ 2) &* d &+ i], e[(j &+ 3) &* d &+ i])
                    let smooth = twice * et * Self.load(w + k) - Self.load(m + k)
                    let l = Self.load(l1 + k)
                    Self.store(smooth + l, g + k)
                    Self.store(l - smooth, g + (dd &+ k))
                    j &+= 4
                }
                while j < d {
                    let k = row &+ j
                    let smooth = 2 * coef * e[j &* d &+ i] * w[k] - m[k]
                    g[k] = smooth + l1[k]
                    g[dd &+ k] = l1[k] - smooth
                    j &+= 1
                }
            }
            return 0.5 * loss.sum() + 0.5 * rho * h * h + alpha * h + penalty.sum()
        }

        @inline(__always) private static func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
            UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
        }

        @inline(__always) private static func store(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
        }

        /// The array form, for tests and the benchmark probe.
        func evaluate(_ x: [Double], _ gradient: inout [Double]) -> Double {
            x.withUnsafeBufferPointer { xb in gradient.withUnsafeMutableBufferPointer { evaluate(xb, $0) } }
        }
    }
}
