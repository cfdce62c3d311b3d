/// A loaded model the runtime can serve. Implementations are immutable after loading and
/// safe to call from many tasks at once.
public protocol ServableModel: Sendable {
    /// `mlp`, `classifier`, `ppo-policy`, `rule-based`, ...
    var kind: String { get }
    var signature: ModelSignature { get }
    /// Runs a batch of `batchSize` rows. `inputs` are validated against `signature` (every
    /// input present, shapes and types right); outputs come back by name, batch first.
    func predict(_ inputs: [String: ServingTensor], batchSize: Int) throws(ServingError) -> [String: ServingTensor]
}

extension ServableModel {
    /// Validates `inputs` against the signature and returns the common batch size; errors name
    /// the input and the expected shape.
    public func validate(_ inputs: [String: ServingTensor]) throws(ServingError) -> Int {
        var batch: Int?
        for spec in signature.inputs {
            guard let tensor = inputs[spec.name] else {
                throw ServingError(.invalidInput, "missing input '\(spec.name)' (expected shape \(spec.shape))")
            }
            let rows = try spec.validate(tensor)
            if let b = batch, b != rows {
                throw ServingError(.invalidInput, "input '\(spec.name)' has \(rows) rows, other inputs have \(b)")
            }
            batch = rows
        }
        if let unknown = inputs.keys.first(where: { name in !signature.inputs.contains { $0.name == name } }) {
            throw ServingError(.invalidInput, "unknown input '\(unknown)'; the model takes \(signature.inputs.map(\.name))")
        }
        return batch ?? 0
    }
}
