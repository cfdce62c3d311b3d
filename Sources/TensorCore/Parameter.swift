/// A trainable tensor owned by a layer: its value, its accumulated gradient and whether
/// it is trained.
///
/// `Parameter` is a reference type so that layers, optimizers and a `Tape` all see the
/// same storage (the PyTorch `nn.Parameter` model). It is `@unchecked Sendable`: concurrent
/// reads (inference from many tasks) are safe; mutate it (optimizer step, loading) from
/// one task at a time.
public final class Parameter: @unchecked Sendable {
    /// Current value.
    public var value: Tensor
    /// Gradient accumulated by `Tape.backward`, `nil` until the first backward pass.
    public var grad: Tensor?
    /// Frozen parameters (`false`) get no gradient and are skipped by optimizers.
    public var requiresGrad: Bool

    public init(_ value: Tensor, requiresGrad: Bool = true) {
        self.value = value
        self.requiresGrad = requiresGrad
    }

    /// Shape of the value.
    public var shape: [Int] { value.shape }

    /// Drops the accumulated gradient.
    public func zeroGrad() { grad = nil }
}
