/// A reverse-mode automatic differentiation tape (Wengert list).
///
/// Operations on `Variable`s that belong to a tape append one entry holding the
/// backward closure written next to the forward (see `Variable+*.swift`). Entries are
/// appended in execution order, so walking them in reverse is a valid topological order
/// and `backward` needs no graph sort. A tape is single-use and single-task: make one per
/// training step.
///
/// Inference needs no tape at all: `Variable(tensor)` has `tape == nil`, every op then
/// computes only its value and records nothing (no closures, no saved activations).
public final class Tape {
    @usableFromInline
    struct Entry {
        var backward: ((Tensor, Tape) -> Void)?
        var parameter: Parameter?
    }

    @usableFromInline var entries: [Entry] = []
    @usableFromInline var grads: [Tensor?] = []

    /// Random stream for training-time randomness (dropout masks).
    public var generator: SeededGenerator
    /// Whether training-only behaviour (dropout) is active for ops on this tape.
    public var isTraining: Bool

    /// A new tape. `seed` fixes the dropout masks; `isTraining: false` records gradients
    /// with dropout disabled (evaluation with gradients).
    public init(seed: UInt64 = 0, isTraining: Bool = true) {
        self.generator = SeededGenerator(seed: seed)
        self.isTraining = isTraining
    }

    /// Number of recorded entries (differentiable intermediates and watched parameters).
    public var count: Int { entries.count }

    /// A differentiable leaf for `parameter`; gradients flow into `parameter.grad` on
    /// `backward`. A frozen parameter becomes a constant.
    public func parameter(_ parameter: Parameter) -> Variable {
        guard parameter.requiresGrad else { return Variable(parameter.value, tape: self, id: -1) }
        entries.append(Entry(backward: nil, parameter: parameter))
        grads.append(nil)
        return Variable(parameter.value, tape: self, id: entries.count - 1)
    }

    /// A differentiable leaf for a plain tensor (read its gradient with `gradient(of:)`).
    public func variable(_ value: Tensor) -> Variable {
        entries.append(Entry(backward: nil, parameter: nil))
        grads.append(nil)
        return Variable(value, tape: self, id: entries.count - 1)
    }

    /// A constant input on this tape (no gradient is computed for it).
    public func constant(_ value: Tensor) -> Variable { Variable(value, tape: self, id: -1) }

    /// Records the result of an op whose inputs include a differentiable variable.
    @usableFromInline
    func record(_ value: Tensor, backward: @escaping (Tensor, Tape) -> Void) -> Variable {
        entries.append(Entry(backward: backward, parameter: nil))
        grads.append(nil)
        return Variable(value, tape: self, id: entries.count - 1)
    }

    /// Adds `g` to the gradient of entry `id` (no-op for constants, id < 0).
    @inlinable
    public func accumulate(_ id: Int, _ g: Tensor) {
        guard id >= 0 else { return }
        if grads[id] == nil { grads[id] = g } else { grads[id]!.addScaled(g) }
    }

    /// Back-propagates from `output` seeded with `seed` (ones for a scalar loss when nil),
    /// then adds every watched parameter's gradient to `Parameter.grad`. Releases the
    /// saved activations afterwards. O(forward cost · ~2).
    public func backward(_ output: Variable, seed: Tensor? = nil) {
        precondition(output.tape === self, "Tape.backward: output is not on this tape")
        guard output.id >= 0 else { return }
        let s = seed ?? Tensor(repeating: 1, shape: output.value.shape)
        precondition(s.shape == output.value.shape, "Tape.backward: seed \(s.shape) vs output \(output.value.shape)")
        accumulate(output.id, s)
        for id in stride(from: output.id, through: 0, by: -1) {
            guard let g = grads[id] else { continue }
            if let fn = entries[id].backward {
                fn(g, self)
                entries[id].backward = nil
                grads[id] = nil // intermediate gradients are not kept
            } else if let p = entries[id].parameter {
                if p.grad == nil { p.grad = g } else { p.grad!.addScaled(g) }
            }
        }
    }

    /// Gradient of a leaf created by `variable(_:)` or `parameter(_:)` after `backward`.
    public func gradient(of v: Variable) -> Tensor? {
        guard v.tape === self, v.id >= 0 else { return nil }
        return grads[v.id]
    }
}

/// A tensor value in a computation, optionally tracked by a `Tape`.
///
/// `Variable(tensor)` is an untracked value (inference); variables made by a tape are
/// tracked when they require a gradient (`id >= 0`). Ops mix both freely.
public struct Variable {
    /// The forward value.
    public let value: Tensor
    /// The tape this value is recorded on, if any.
    public let tape: Tape?
    /// Index of the tape entry, or -1 when no gradient flows into this value.
    public let id: Int

    /// An untracked value: ops on it record nothing (the inference fast path).
    public init(_ value: Tensor) { self.value = value; self.tape = nil; self.id = -1 }

    @usableFromInline
    init(_ value: Tensor, tape: Tape?, id: Int) { self.value = value; self.tape = tape; self.id = id }

    /// Whether a gradient flows into this value.
    @inlinable public var requiresGrad: Bool { id >= 0 }
    /// Shape of the value.
    @inlinable public var shape: [Int] { value.shape }

    /// `parameter` on this variable's tape (tracked), or as a constant when untracked.
    public func lift(_ parameter: Parameter) -> Variable {
        tape?.parameter(parameter) ?? Variable(parameter.value)
    }
}

/// Records `value` on the first tape among `inputs` when any input requires a gradient;
/// otherwise returns an untracked result and never builds the closure.
@inlinable
func recordOp(_ value: Tensor, _ inputs: Variable..., backward: () -> (Tensor, Tape) -> Void) -> Variable {
    var tape: Tape?
    var needs = false
    for v in inputs {
        if tape == nil { tape = v.tape }
        if v.id >= 0 { needs = true }
    }
    guard needs, let t = tape else { return Variable(value, tape: tape, id: -1) }
    return t.record(value, backward: backward())
}
