/// A model checkpoint: a safetensors file of parameters (F32) whose `__metadata__` holds
/// string metadata (step, epoch, configuration JSON, ...).
public enum Checkpoint {
    /// Saves every parameter of `model` by dotted name, plus `metadata`, plus optional
    /// optimizer state (e.g. `Adam.state()`) stored under the `optimizer.` prefix.
    public static func save(_ model: any Module, metadata: [String: String] = [:], optimizerState: [String: Tensor] = [:],
                            to path: String) throws(TensorCoreError) {
        var tensors = model.parameterMap()
        for (k, v) in optimizerState { tensors["optimizer." + k] = v }
        try SafeTensors.write(tensors, metadata: metadata, to: path)
    }

    /// The optimizer state saved with `save(_:metadata:optimizerState:to:)` (prefix removed).
    public static func optimizerState(from path: String) throws(TensorCoreError) -> [String: Tensor] {
        let file = try SafeTensors.read(path)
        var out: [String: Tensor] = [:]
        for (k, v) in file.tensors where k.hasPrefix("optimizer.") { out[String(k.dropFirst("optimizer.".count))] = v }
        return out
    }

    /// Loads `path` into `model` and returns the metadata. Throws naming the first
    /// tensor that is missing (when `strict`), has the wrong shape, or an unreadable dtype.
    @discardableResult
    public static func load(into model: any Module, from path: String, strict: Bool = true) throws(TensorCoreError) -> [String: String] {
        let file = try SafeTensors.read(path)
        try model.load(file.tensors, strict: strict)
        return file.metadata
    }
}
