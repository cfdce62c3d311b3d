import Foundation

/// The low-rank update attached to one `Linear` (Hu et al. 2021, "LoRA"):
/// `Δy = (α / r) · dropout(x) Aᵀ Bᵀ` with `A: [r, in]` (Kaiming-uniform, as PEFT) and
/// `B: [out, r]` (zeros, so a fresh adapter changes nothing). Parameter names follow PEFT:
/// `<linear>.lora_A.weight`, `<linear>.lora_B.weight`.
public final class LoRAAdapter: @unchecked Sendable {
    public let a: Parameter
    public let b: Parameter
    public let rank: Int
    public let alpha: Float
    public let dropout: Float
    /// Whether `scaling · B A` is currently folded into the base weight.
    public internal(set) var isMerged = false

    /// `α / r`.
    public var scaling: Float { alpha / Float(rank) }

    init<G: RandomNumberGenerator>(inFeatures: Int, outFeatures: Int, rank: Int, alpha: Float, dropout: Float, using g: inout G) {
        let bound = 1 / Float(inFeatures).squareRoot()
        a = Parameter(.randomUniform([rank, inFeatures], low: -bound, high: bound, using: &g))
        b = Parameter(.zeros([outFeatures, rank]))
        self.rank = rank; self.alpha = alpha; self.dropout = dropout
    }

    /// `Δy` for `x: [..., in]`.
    func callAsFunction(_ x: Variable) -> Variable {
        let h = Variable.linear(x.dropout(dropout), weight: x.lift(a), bias: nil)
        return Variable.linear(h, weight: x.lift(b), bias: nil) * scaling
    }

    /// `scaling · B A`, shape `[out, in]`.
    var delta: Tensor { Tensor.matmul(b.value, a.value) * scaling }
}

/// Configuration and operations for LoRA fine-tuning of any `Module`.
public struct LoRAConfiguration: Sendable, Hashable, Codable {
    /// Patterns naming the `Linear` modules to wrap. A pattern matches a module's dotted
    /// name or any dot-aligned suffix of it; `*` matches any run of characters
    /// (e.g. `query`, `value`, `attention.*`).
    public var targets: [String]
    public var rank: Int
    public var alpha: Float
    public var dropout: Float

    public init(targets: [String], rank: Int = 8, alpha: Float = 16, dropout: Float = 0) {
        precondition(rank > 0, "LoRAConfiguration: rank must be positive")
        self.targets = targets; self.rank = rank; self.alpha = alpha; self.dropout = dropout
    }
}

/// LoRA operations on a model.
public enum LoRA {
    /// Freezes every parameter of `model` and attaches a trainable adapter to each `Linear`
    /// whose name matches `configuration.targets`. Returns the wrapped module names.
    @discardableResult
    public static func apply<G: RandomNumberGenerator>(_ configuration: LoRAConfiguration, to model: any Module, using g: inout G) -> [String] {
        model.setRequiresGrad(false)
        var wrapped: [String] = []
        for (name, module) in model.namedModules() {
            guard let linear = module as? Linear, linear.lora == nil,
                  configuration.targets.contains(where: { matches(pattern: $0, name: name) }) else { continue }
            linear.lora = LoRAAdapter(inFeatures: linear.inFeatures, outFeatures: linear.outFeatures,
                                      rank: configuration.rank, alpha: configuration.alpha,
                                      dropout: configuration.dropout, using: &g)
            wrapped.append(name)
        }
        return wrapped
    }

    /// Whether glob `pattern` matches `name` or a dot-aligned suffix of it.
    public static func matches(pattern: String, name: String) -> Bool {
        let n = Array(name.utf8), p = Array(pattern.utf8)
        if glob(p, n[...]) { return true }
        for (i, c) in n.enumerated() where c == UInt8(ascii: ".") {
            if glob(p, n[(i + 1)...]) { return true }
        }
        return false
    }

    private static func glob(_ p: [UInt8], _ s: ArraySlice<UInt8>) -> Bool {
        // Iterative wildcard match with backtracking on the last '*'.
        var pi = 0, si = s.startIndex, star = -1, mark = s.startIndex
        while si < s.endIndex {
            if pi < p.count && p[pi] == s[si] { pi += 1; si += 1 }
            else if pi < p.count && p[pi] == UInt8(ascii: "*") { star = pi; pi += 1; mark = si }
            else if star >= 0 { pi = star + 1; mark += 1; si = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }

    /// Adapters of `model` by the wrapped module's name.
    public static func adapters(in model: any Module) -> [(name: String, linear: Linear)] {
        model.namedModules().compactMap { m in (m.module as? Linear).flatMap { $0.lora == nil ? nil : (m.name, $0) } }
    }

    /// Folds every adapter into its base weight (`W += (α/r) B A`); the forward pass then
    /// costs the same as the base model.
    public static func merge(_ model: any Module) {
        for (_, l) in adapters(in: model) where !l.lora!.isMerged {
            l.weight.value.addScaled(l.lora!.delta)
            l.lora!.isMerged = true
        }
    }

    /// Undoes `merge` (`W −= (α/r) B A`).
    public static func unmerge(_ model: any Module) {
        for (_, l) in adapters(in: model) where l.lora!.isMerged {
            l.weight.value.addScaled(l.lora!.delta, -1)
            l.lora!.isMerged = false
        }
    }

    /// Only the adapter tensors (`*.lora_A.weight`, `*.lora_B.weight`) by dotted name.
    public static func adapterMap(_ model: any Module) -> [String: Tensor] {
        model.parameterMap().filter { $0.key.contains(".lora_A.") || $0.key.contains(".lora_B.") || $0.key.hasPrefix("lora_") }
    }

    /// Writes only the adapter weights to a safetensors file with the configuration in
    /// its metadata (`lora.config` as JSON).
    public static func saveAdapter(_ model: any Module, configuration: LoRAConfiguration, to path: String) throws(TensorCoreError) {
        let json = String(decoding: (try? JSONEncoder().encode(configuration)) ?? Data("{}".utf8), as: UTF8.self)
        try SafeTensors.write(adapterMap(model), metadata: ["lora.config": json], to: path)
    }

    /// Loads adapter weights saved by `saveAdapter` into a model that already has the same
    /// adapters applied. Throws naming a missing or mis-shaped adapter tensor.
    public static func loadAdapter(into model: any Module, from path: String) throws(TensorCoreError) {
        let file = try SafeTensors.read(path)
        let expected = adapterMap(model)
        var map: [String: Tensor] = [:]
        for (name, t) in expected {
            guard let loaded = file.tensors[name] else {
                throw TensorCoreError(.missingTensor, "adapter tensor '\(name)' is missing in \(path)")
            }
            guard loaded.shape == t.shape else {
                throw TensorCoreError(.shapeMismatch, "adapter tensor '\(name)' has shape \(loaded.shape), expected \(t.shape)")
            }
            map[name] = loaded
        }
        try model.load(map, strict: false)
    }
}
