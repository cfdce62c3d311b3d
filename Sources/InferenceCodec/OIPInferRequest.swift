/// A decoded Open Inference Protocol (KServe v2 / Triton HTTP) inference request,
/// including the binary tensor data extension.
///
/// Wire form: a JSON object `{"id"?, "parameters"?, "inputs": [...], "outputs"?: [...]}`,
/// optionally followed by raw tensor bytes; the HTTP header `Inference-Header-Content-Length`
/// gives the JSON length. Inputs with `parameters.binary_data_size` take their data from the
/// trailing bytes in input order (BYTES: 4-byte little-endian length + bytes per element).
public struct OIPInferRequest: Sendable {
    /// The request id, echoed in the response.
    public var id: String?
    /// The input tensors, in request order.
    public var inputs: [InferenceTensor]
    /// The outputs the client asked for, with whether each should come back binary
    /// (`outputs[].parameters.binary_data`, falling back to ``binaryDataOutput``). Empty = all outputs.
    public var requestedOutputs: [(name: String, binary: Bool)]
    /// The request-level default `parameters.binary_data_output` (false when absent).
    public var binaryDataOutput: Bool
    /// Request-level string and number parameters as text (e.g. `user_id` for sticky routing).
    public var parameters: [String: String] = [:]

    public init(
        id: String? = nil, inputs: [InferenceTensor], requestedOutputs: [(name: String, binary: Bool)] = [],
        binaryDataOutput: Bool = false
    ) {
        self.id = id
        self.inputs = inputs
        self.requestedOutputs = requestedOutputs
        self.binaryDataOutput = binaryDataOutput
    }

    /// The input named `name`, if present.
    public func input(named name: String) -> InferenceTensor? {
        inputs.first { $0.name == name }
    }

    /// Which of the model's outputs to return: the requested ones (in request order), or all of
    /// `modelOutputs` when the request named none. Throws if a requested output is unknown.
    public func selectedOutputs(modelOutputs: [String]) throws(InferenceCodecError) -> [String] {
        if requestedOutputs.isEmpty { return modelOutputs }
        var names: [String] = []
        for o in requestedOutputs {
            guard modelOutputs.contains(o.name) else {
                throw InferenceCodecError(.unknownTensor, "output '\(o.name)': the model has no such output (outputs: \(modelOutputs))")
            }
            names.append(o.name)
        }
        return names
    }

    /// The output names to send binary: per requested output, or every output when
    /// ``binaryDataOutput`` is set and no outputs were named. Pass the result to
    /// ``OIPInferResponse/encode(binaryOutputs:)``.
    public func binaryOutputNames(modelOutputs: [String]) -> Set<String> {
        if requestedOutputs.isEmpty { return binaryDataOutput ? Set(modelOutputs) : [] }
        return Set(requestedOutputs.lazy.filter(\.binary).map(\.name))
    }
}
