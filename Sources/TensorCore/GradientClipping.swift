/// Scales all gradients so their global L2 norm is at most `maxNorm` (as
/// `torch.nn.utils.clip_grad_norm_`). Returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var total: Double = 0
    for p in parameters { if let g = p.grad { total += Double(g.squaredNorm()) } }
    let norm = Float(total.squareRoot())
    if norm > maxNorm && norm > 0 {
        let s = maxNorm / (norm + 1e-6)
        for p in parameters where p.grad != nil { p.grad = p.grad! * s }
    }
    return norm
}
