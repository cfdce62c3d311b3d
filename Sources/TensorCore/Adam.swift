import Foundation

/// Adam (Kingma & Ba 2015) with bias correction; `weightDecay` is either added to the
/// gradient (L2, `Adam`) or decoupled and applied to the weights (`AdamW`,
/// Loshchilov & Hutter 2019: `w ← w − lr·λ·w` before the Adam update).
public struct Adam: Optimizer, Sendable {
    public let parameters: [Parameter]
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    /// `true` for AdamW's decoupled weight decay.
    public var decoupledWeightDecay: Bool
    /// Number of steps taken (for bias correction).
    public private(set) var stepCount = 0
    private var m: [Tensor?]
    private var v: [Tensor?]

    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters; self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2
        self.epsilon = epsilon; self.weightDecay = weightDecay; self.decoupledWeightDecay = decoupledWeightDecay
        m = Array(repeating: nil, count: parameters.count)
        v = Array(repeating: nil, count: parameters.count)
    }

    public mutating func step() {
        stepCount += 1
        let t = Float(stepCount)
        let c1 = 1 - Foundation.pow(beta1, t), c2 = 1 - Foundation.pow(beta2, t)
        let (b1, b2, eps, lr, wd, decoupled) = (beta1, beta2, epsilon, learningRate, weightDecay, decoupledWeightDecay)
        let stepSize = lr / c1, rc2 = 1 / c2.squareRoot()
        for (i, p) in parameters.enumerated() where p.requiresGrad {
            guard let g = p.grad else { continue }
            var mi = m[i] ?? Tensor.zeros(like: g), vi = v[i] ?? Tensor.zeros(like: g)
            m[i] = nil; v[i] = nil // keep the buffers uniquely referenced
            p.value.scalars.withUnsafeMutableBufferPointer { wb in
                g.scalars.withUnsafeBufferPointer { gb in
                    mi.scalars.withUnsafeMutableBufferPointer { mb in
                        vi.scalars.withUnsafeMutableBufferPointer { vb in
                            let w = wb.baseAddress!, gp = gb.baseAddress!, mp = mb.baseAddress!, vp = vb.baseAddress!
                            // Decoupled decay scales w first; L2 decay adds wd·w to g.
                            let keep: Float = decoupled ? 1 - lr * wd : 1
                            let l2: Float = decoupled ? 0 : wd
                            Parallel.forRanges(wb.count, minimumPerChunk: 65_536) { r in
                                // SIMD8 body (sqrt/div vectorised), scalar tail.
                                typealias V = SIMD8<Float>
                                var j = r.lowerBound
                                while j + 8 <= r.upperBound {
                                    let wr = UnsafeMutableRawPointer(w + j), gr = UnsafeRawPointer(gp + j)
                                    let mr = UnsafeMutableRawPointer(mp + j), vr = UnsafeMutableRawPointer(vp + j)
                                    let w0 = wr.loadUnaligned(as: V.self), g0 = gr.loadUnaligned(as: V.self)
                                    let gj = g0 + l2 * w0
                                    let mj = b1 * mr.loadUnaligned(as: V.self) + (1 - b1) * gj
                                    let vj = b2 * vr.loadUnaligned(as: V.self) + (1 - b2) * gj * gj
                                    mr.storeBytes(of: mj, as: V.self); vr.storeBytes(of: vj, as: V.self)
                                    let upd = (w0 * keep) - stepSize * mj / (sqrtNonNegative(vj) * rc2 + eps)
                                    wr.storeBytes(of: upd, as: V.self)
                                    j += 8
                                }
                                while j < r.upperBound {
                                    let gj = gp[j] + l2 * w[j]
                                    let mj = b1 * mp[j] + (1 - b1) * gj
                                    let vj = b2 * vp[j] + (1 - b2) * gj * gj
                                    mp[j] = mj; vp[j] = vj
                                    w[j] = w[j] * keep - stepSize * mj / (vj.squareRoot() * rc2 + eps)
                                    j += 1
                                }
                            }
                        }
                    }
                }
            }
            m[i] = mi; v[i] = vi
        }
    }
}

extension Adam {
    /// The moment estimates as named tensors (`m.<i>`, `v.<i>` for parameter index i, and
    /// `step` as a one-element tensor), for checkpoints.
    public func state() -> [String: Tensor] {
        var out: [String: Tensor] = ["step": Tensor(scalar: Float(stepCount))]
        for i in parameters.indices {
            if let mi = m[i] { out["m.\(i)"] = mi }
            if let vi = v[i] { out["v.\(i)"] = vi }
        }
        return out
    }

    /// Restores `state()` output. Throws naming a moment tensor whose shape does not match
    /// its parameter.
    public mutating func load(state: [String: Tensor]) throws(TensorCoreError) {
        guard let step = state["step"] else { throw TensorCoreError(.missingTensor, "optimizer tensor 'step' is missing") }
        for i in parameters.indices {
            for key in ["m.\(i)", "v.\(i)"] {
                if let t = state[key], t.shape != parameters[i].shape {
                    throw TensorCoreError(.shapeMismatch, "optimizer tensor '\(key)' has shape \(t.shape), expected \(parameters[i].shape)")
                }
            }
        }
        stepCount = Int(step.scalars[0])
        for i in parameters.indices { m[i] = state["m.\(i)"]; v[i] = state["v.\(i)"] }
    }
}

/// AdamW: Adam with decoupled weight decay (default 0.01, as PyTorch).
public func AdamW(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                  epsilon: Float = 1e-8, weightDecay: Float = 0.01) -> Adam {
    Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
         weightDecay: weightDecay, decoupledWeightDecay: true)
}

/// √v for v ≥ 0, eight lanes at a time: `v · rsqrt(v)` with the rsqrt from the bit-level
/// initial guess refined by three Newton steps (relative error ~1e-7, 0 for v = 0).
/// `SIMD.squareRoot()` lowers to scalar `sqrtss` plus a libm `sqrtf` errno fallback per
/// lane on baseline x86-64, which blocks vectorisation; this stays in vector registers.
@inlinable @inline(__always)
func sqrtNonNegative(_ v: SIMD8<Float>) -> SIMD8<Float> {
    let bits = unsafeBitCast(v, to: SIMD8<UInt32>.self)
    var y = unsafeBitCast(SIMD8<UInt32>(repeating: 0x5F37_5A86) &- (bits &>> 1), to: SIMD8<Float>.self)
    let half = 0.5 * v
    y = y * (1.5 - half * y * y)
    y = y * (1.5 - half * y * y)
    y = y * (1.5 - half * y * y)
    return v * y
}
