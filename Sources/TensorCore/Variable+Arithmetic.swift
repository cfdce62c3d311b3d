import CTensorKernels
import Foundation

/// Sums a broadcast gradient back to `shape` (the trailing-suffix rule of `Tensor.+`).
@usableFromInline
func unbroadcast(_ g: Tensor, to shape: [Int]) -> Tensor {
    let m = shape.reduce(1, *)
    if g.count == m { return g.reshaped(shape) }
    if m == 1 { return Tensor(shape: shape, scalars: [g.sum()]) }
    return g.reshaped([g.count / m, m]).sum(axis: 0).reshaped(shape)
}

extension Variable {
    // MARK: binary (trailing-suffix broadcasting, see Tensor.+)

    /// Elementwise sum; either side may be a trailing-suffix broadcast. Backward sums the
    /// gradient over the broadcast rows (`unbroadcast`).
    public static func + (a: Variable, b: Variable) -> Variable {
        let (ia, ib, sa, sb) = (a.id, b.id, a.shape, b.shape)
        return recordOp(a.value + b.value, a, b) {{ g, t in
            t.accumulate(ia, unbroadcast(g, to: sa))
            t.accumulate(ib, unbroadcast(g, to: sb))
        }}
    }

    /// Elementwise difference (broadcasting as `+`).
    public static func - (a: Variable, b: Variable) -> Variable {
        let (ia, ib, sa, sb) = (a.id, b.id, a.shape, b.shape)
        return recordOp(a.value - b.value, a, b) {{ g, t in
            t.accumulate(ia, unbroadcast(g, to: sa))
            if ib >= 0 { t.accumulate(ib, unbroadcast(-g, to: sb)) }
        }}
    }

    /// Elementwise product (broadcasting as `+`); backward `da = g·b`, `db = g·a`.
    public static func * (a: Variable, b: Variable) -> Variable {
        let (ia, ib, va, vb) = (a.id, b.id, a.value, b.value)
        return recordOp(a.value * b.value, a, b) {{ g, t in
            if ia >= 0 { t.accumulate(ia, unbroadcast(g * vb, to: va.shape)) }
            if ib >= 0 { t.accumulate(ib, unbroadcast(g * va, to: vb.shape)) }
        }}
    }

    /// Elementwise quotient (broadcasting as `+`); backward `da = g/b`, `db = −g·a/b²`.
    public static func / (a: Variable, b: Variable) -> Variable {
        let (ia, ib, va, vb) = (a.id, b.id, a.value, b.value)
        return recordOp(a.value / b.value, a, b) {{ g, t in
            if ia >= 0 { t.accumulate(ia, unbroadcast(g / vb, to: va.shape)) }
            if ib >= 0 { t.accumulate(ib, unbroadcast(-(g * va) / (vb * vb), to: vb.shape)) }
        }}
    }

    // MARK: scalar

    /// Scales by a constant.
    public static func * (a: Variable, s: Float) -> Variable {
        let ia = a.id
        return recordOp(a.value * s, a) {{ g, t in t.accumulate(ia, g * s) }}
    }
    public static func * (s: Float, a: Variable) -> Variable { a * s }
    public static func + (a: Variable, s: Float) -> Variable {
        let ia = a.id
        return recordOp(a.value + s, a) {{ g, t in t.accumulate(ia, g) }}
    }
    public static func - (a: Variable, s: Float) -> Variable { a + (-s) }
    public static func / (a: Variable, s: Float) -> Variable { a * (1 / s) }
    public static prefix func - (a: Variable) -> Variable { a * -1 }

    // MARK: unary

    /// Elementwise op whose derivative `D.derivative(x, y)` depends on input x and output y.
    /// Generic over `D` (not a closure) so each backward loop is specialised and inlined.
    @inlinable
    func unary<D: ElementwiseDerivative>(_ y: Tensor, _: D.Type) -> Variable {
        let (ia, x) = (id, value)
        return recordOp(y, self) {{ g, t in
            let dx = Tensor(shape: x.shape) { out in
                x.scalars.withUnsafeBufferPointer { xs in
                    y.scalars.withUnsafeBufferPointer { ys in
                        g.scalars.withUnsafeBufferPointer { gs in
                            let xp = xs.baseAddress!, yp = ys.baseAddress!, gp = gs.baseAddress!, o = out.baseAddress!
                            Parallel.forRanges(x.count) { r in for i in r { o[i] = gp[i] * D.derivative(xp[i], yp[i]) } }
                        }
                    }
                }
            }
            t.accumulate(ia, dx)
        }}
    }

    /// max(x, 0); derivative 1 for x > 0.
    public func relu() -> Variable { unary(value.relu(), DReLU.self) }
    /// Exact GELU (erf form).
    public func gelu() -> Variable {
        guard tk_avx512_available() != 0 else { return unary(value.gelu(), DGELU.self) }
        let (ia, x) = (id, value)
        return recordOp(x.gelu(), self) {{ g, t in
            let dx = Tensor(shape: x.shape) { out in
                x.scalars.withUnsafeBufferPointer { xs in
                    g.scalars.withUnsafeBufferPointer { gs in
                        let (xp, gp, o) = (xs.baseAddress!, gs.baseAddress!, out.baseAddress!)
                        Parallel.forRanges(x.count) { r in _ = tk_gelu_backward(xp + r.lowerBound, gp + r.lowerBound, o + r.lowerBound, r.count) }
                    }
                }
            }
            t.accumulate(ia, dx)
        }}
    }
    /// tanh; derivative 1 - y².
    public func tanh() -> Variable { unary(value.tanh(), DTanh.self) }
    /// Logistic sigmoid; derivative y (1 - y).
    public func sigmoid() -> Variable { unary(value.sigmoid(), DSigmoid.self) }
    /// e^x.
    public func exp() -> Variable { unary(value.exp(), DExp.self) }
    /// ln x.
    public func log() -> Variable { unary(value.log(), DLog.self) }
    /// x².
    public func squared() -> Variable { unary(value.squared(), DSquare.self) }
    /// √x.
    public func sqrt() -> Variable { unary(value.sqrt(), DSqrt.self) }
    /// |x| (subgradient 0 at 0).
    public func abs() -> Variable { unary(value.map { Swift.abs($0) }, DAbs.self) }
    /// Clamps to [lo, hi]; gradient passes only strictly inside (as PPO's ratio clipping needs).
    public func clamped(_ lo: Float, _ hi: Float) -> Variable {
        let y = value.map { Swift.min(Swift.max($0, lo), hi) }
        let (ia, x) = (id, value)
        return recordOp(y, self) {{ g, t in
            t.accumulate(ia, Kernels.zip(g, x) { gi, xi in (xi > lo && xi < hi) ? gi : 0 })
        }}
    }

    /// Elementwise minimum of two same-shape variables; the gradient goes to the smaller
    /// (to `a` on ties).
    public static func minimum(_ a: Variable, _ b: Variable) -> Variable {
        precondition(a.shape == b.shape, "Variable.minimum: \(a.shape) vs \(b.shape)")
        let (ia, ib, va, vb) = (a.id, b.id, a.value, b.value)
        let y = Kernels.zip(va, vb) { Swift.min($0, $1) }
        return recordOp(y, a, b) {{ g, t in
            let maskA = Kernels.zip(va, vb) { $0 <= $1 ? Float(1) : Float(0) }
            if ia >= 0 { t.accumulate(ia, g * maskA) }
            if ib >= 0 { t.accumulate(ib, g * (-maskA + 1)) }
        }}
    }

    /// Elementwise maximum of two same-shape variables; the gradient goes to the larger
    /// (to `a` on ties).
    public static func maximum(_ a: Variable, _ b: Variable) -> Variable { -minimum(-a, -b) }

    // MARK: reductions

    /// Sum of all elements (a scalar).
    public func sum() -> Variable {
        let (ia, s) = (id, shape)
        return recordOp(Tensor(scalar: value.sum()), self) {{ g, t in t.accumulate(ia, Tensor(repeating: g.scalar, shape: s)) }}
    }
    /// Mean of all elements (a scalar).
    public func mean() -> Variable { sum() * (1 / Float(Swift.max(value.count, 1))) }

    /// Sum over `axis`; the gradient is broadcast back along it.
    public func sum(axis: Int, keepingDimension: Bool = false) -> Variable {
        let ax = axis < 0 ? axis + value.rank : axis
        let (ia, s) = (id, shape)
        return recordOp(value.sum(axis: ax, keepingDimension: keepingDimension), self) {{ g, t in
            let outer = s[..<ax].reduce(1, *), len = s[ax], inner = s[(ax + 1)...].reduce(1, *)
            let dx = Tensor(shape: s) { out in
                g.scalars.withUnsafeBufferPointer { gs in
                    for o in 0..<outer { for k in 0..<len {
                        (out.baseAddress! + (o * len + k) * inner).update(from: gs.baseAddress! + o * inner, count: inner)
                    } }
                }
            }
            t.accumulate(ia, dx)
        }}
    }
    /// Mean over `axis`.
    public func mean(axis: Int, keepingDimension: Bool = false) -> Variable {
        let ax = axis < 0 ? axis + value.rank : axis
        return sum(axis: ax, keepingDimension: keepingDimension) * (1 / Float(shape[ax]))
    }
}

/// A pointwise derivative `dy/dx` from the input `x` and output `y` (static, for specialisation).
public protocol ElementwiseDerivative {
    static func derivative(_ x: Float, _ y: Float) -> Float
}
public enum DReLU: ElementwiseDerivative {
    @inlinable @inline(__always) public static func derivative(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : 0 }
}
public enum DGELU: ElementwiseDerivative {
    @inlinable @inline(__always) public static func derivative(_ x: Float, _ y: Float) -> Float { Tensor.geluDerivative(x) }
}
public enum DTanh: ElementwiseDerivative {
    @inlinable @inline(__always) public static func derivative(_ x: Float, _ y: Float) -> Float { 1 - y * y }
}
public enum DSigmoid: ElementwiseDerivative {
    @inlinable @inline(__always) public static func derivative(_ x: Float, _ y: Float) -> Float { y * (1 - y) }
}
public enum DExp: ElementwiseDerivative {
    @inlinable @inline(__always) public static func derivative(_ x: Float, _ y: Float) -> Float { y }
}
public enum DLog: ElementwiseDerivative {
    @inlinable @inline(__always) public static func derivative(_ x: Float, _ y: Float) -> Float { 1 / x }
}
public enum DSquare: ElementwiseDerivative {
    @inlinable @inline(__always) public static func derivative(_ x: Float, _ y: Float) -> Float { 2 * x }
}
public enum DSqrt: ElementwiseDerivative {
    @inlinable @inline(__always) public static func derivative(_ x: Float, _ y: Float) -> Float { 0.5 / y }
}
public enum DAbs: ElementwiseDerivative {
    @inlinable @inline(__always) public static func derivative(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) }
}
