/// A layer or model: a tree of named parameters and child modules (the PyTorch
/// `nn.Module` model, with the same dotted names, e.g. `attention.self.query.weight`).
///
/// Modules are final classes holding `Parameter`s. Conformers list their direct
/// parameters and children; everything else (named parameter maps, freezing, counting,
/// loading) comes from the extension.
public protocol Module: AnyObject {
    /// Direct parameters, by local name (`weight`, `bias`).
    var localParameters: [(name: String, parameter: Parameter)] { get }
    /// Direct children, by local name (may contain dots to match a reference layout).
    var children: [(name: String, module: any Module)] { get }
}

extension Module {
    public var localParameters: [(name: String, parameter: Parameter)] { [] }
    public var children: [(name: String, module: any Module)] { [] }

    /// Every parameter with its dotted path, depth-first in declaration order.
    public func namedParameters(prefix: String = "") -> [(name: String, parameter: Parameter)] {
        var out = localParameters.map { (name: prefix + $0.name, parameter: $0.parameter) }
        for c in children { out += c.module.namedParameters(prefix: prefix + c.name + ".") }
        return out
    }

    /// Every module (self first, named `""`) with its dotted path.
    public func namedModules(prefix: String = "") -> [(name: String, module: any Module)] {
        var out: [(name: String, module: any Module)] = [(name: prefix.isEmpty ? "" : String(prefix.dropLast()), module: self)]
        for c in children { out += c.module.namedModules(prefix: prefix + c.name + ".") }
        return out
    }

    /// All parameters.
    public var parameters: [Parameter] { namedParameters().map(\.parameter) }
    /// Parameters that receive gradients.
    public var trainableParameters: [Parameter] { parameters.filter(\.requiresGrad) }
    /// Number of trainable scalars.
    public var trainableParameterCount: Int { trainableParameters.reduce(0) { $0 + $1.value.count } }
    /// Number of scalars in all parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Drops every accumulated gradient.
    public func zeroGrad() { for p in parameters { p.grad = nil } }
    /// Marks every parameter frozen (`false`) or trainable (`true`).
    public func setRequiresGrad(_ flag: Bool) { for p in parameters { p.requiresGrad = flag } }

    /// The parameter values by dotted name (a "state dict").
    public func parameterMap() -> [String: Tensor] {
        Dictionary(namedParameters().map { ($0.name, $0.parameter.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// Copies values from `map` into the parameters with the same names.
    ///
    /// - Throws: `TensorCoreError` `.missingTensor` naming the first parameter absent from
    ///   `map` (when `strict`), `.shapeMismatch` naming a tensor whose shape differs.
    ///   Nothing is changed when it throws.
    public func load(_ map: [String: Tensor], strict: Bool = true) throws(TensorCoreError) {
        let named = namedParameters()
        for (name, p) in named {
            guard let t = map[name] else {
                if strict { throw TensorCoreError(.missingTensor, "tensor '\(name)' is missing (expected shape \(p.shape))") }
                continue
            }
            guard t.shape == p.shape else {
                throw TensorCoreError(.shapeMismatch, "tensor '\(name)' has shape \(t.shape), expected \(p.shape)")
            }
        }
        for (name, p) in named { if let t = map[name] { p.value = t } }
    }
}
