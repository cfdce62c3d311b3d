/// The two request layouts of the TensorFlow Serving REST predict API.
public enum TFServingForm: Sendable, Equatable {
    /// `{"instances": [...]}`: one entry per batch row.
    case row
    /// `{"inputs": ...}`: whole tensors, batch dimension included.
    case columnar
}

/// A decoded TensorFlow Serving `POST /v1/models/NAME[:predict]` request body.
///
/// Accepted forms (https://www.tensorflow.org/tfx/serving/api_rest):
/// - row: `{"signature_name"?, "instances": [v0, v1, ...]}` where each instance is a value or
///   nested array (single-input models) or an object `{"input_name": value, ...}`;
/// - columnar: `{"signature_name"?, "inputs": tensor}` (single-input models) or
///   `{"inputs": {"input_name": tensor, ...}}`.
/// BYTES elements are strings or `{"b64": "<base64>"}` objects.
public struct TFServingPredictRequest: Sendable, Equatable {
    /// One tensor per model input, in the order of the `inputs` specs.
    public var tensors: [InferenceTensor]
    /// Which layout the request used; answer in the same one.
    public var form: TFServingForm
    /// `signature_name`, if given.
    public var signatureName: String?

    public init(tensors: [InferenceTensor], form: TFServingForm, signatureName: String? = nil) {
        self.tensors = tensors
        self.form = form
        self.signatureName = signatureName
    }
}

extension TFServingPredictRequest {
    /// Decodes a predict body against the model's inputs.
    ///
    /// - Parameters:
    ///   - body: the HTTP body.
    ///   - inputs: the model's inputs; `shape` uses -1 for any size (typically the batch dim).
    ///     In row form the first dim is the batch (the instance count).
    /// - Throws: ``InferenceCodecError`` naming the input: malformed JSON, unknown/missing input,
    ///   ragged arrays, shape vs the model's shape, element type, too many elements.
    /// - Complexity: O(body size + total elements).
    public static func decode(
        body: [UInt8], inputs: [(name: String, datatype: InferenceDataType, shape: [Int])]
    ) throws(InferenceCodecError) -> TFServingPredictRequest {
        try body.withUnsafeBufferPointer { (buf) throws(InferenceCodecError) -> TFServingPredictRequest in
            try decode(body: buf, inputs: inputs)
        }
    }

    /// Decodes a predict body held in memory the caller owns, without copying it first.
    public static func decode(
        body: UnsafeBufferPointer<UInt8>, inputs: [(name: String, datatype: InferenceDataType, shape: [Int])]
    ) throws(InferenceCodecError) -> TFServingPredictRequest {
        let json = try JSONReader.parse(body, what: "predict request JSON")
        guard case .object = json else {
            throw InferenceCodecError(.invalidField, "predict request: the JSON body must be an object, got \(json.typeName)")
        }
        guard !inputs.isEmpty else { throw InferenceCodecError(.unknownTensor, "predict request: the model declares no inputs") }
        var signature: String?
        if let s = json["signature_name"] {
            guard let v = s.stringValue else {
                throw InferenceCodecError(.invalidField, "field 'signature_name' must be a string, got \(s.typeName)")
            }
            signature = v
        }
        let instances = json["instances"], columns = json["inputs"]
        if instances != nil && columns != nil {
            throw InferenceCodecError(.invalidField, "predict request: give either 'instances' or 'inputs', not both")
        }
        if let instances {
            let tensors = try decodeRows(instances, inputs: inputs)
            return TFServingPredictRequest(tensors: tensors, form: .row, signatureName: signature)
        }
        if let columns {
            let tensors = try decodeColumns(columns, inputs: inputs)
            return TFServingPredictRequest(tensors: tensors, form: .columnar, signatureName: signature)
        }
        throw InferenceCodecError(.missingField, "predict request: missing 'instances' or 'inputs'")
    }

    /// True when `value` is an object keyed by input names (not a `{"b64": ...}` scalar).
    private static func isNamedObject(_ value: JSONValue, inputs: [(name: String, datatype: InferenceDataType, shape: [Int])]) -> Bool {
        guard case .object(let members) = value else { return false }
        if members.count == 1, members[0].key == "b64", !inputs.contains(where: { $0.name == "b64" }) { return false }
        return true
    }

    /// Checks an object's keys against the inputs: every input present, nothing unknown.
    private static func checkKeys(
        _ members: [(key: String, value: JSONValue)], inputs: [(name: String, datatype: InferenceDataType, shape: [Int])], at place: String
    ) throws(InferenceCodecError) {
        for m in members where !inputs.contains(where: { $0.name == m.key }) {
            throw InferenceCodecError(.unknownTensor, "input '\(m.key)' in \(place): the model has no such input (inputs: \(inputs.map(\.name)))")
        }
        for spec in inputs where !members.contains(where: { $0.key == spec.name }) {
            throw InferenceCodecError(.unknownTensor, "input '\(spec.name)': missing from \(place)")
        }
    }

    private static func decodeRows(
        _ instances: JSONValue, inputs: [(name: String, datatype: InferenceDataType, shape: [Int])]
    ) throws(InferenceCodecError) -> [InferenceTensor] {
        guard case .array(let rows) = instances, !rows.isEmpty else {
            throw InferenceCodecError(.invalidField, "field 'instances' must be a non-empty array")
        }
        let named = isNamedObject(rows[0], inputs: inputs)
        if !named && inputs.count > 1 {
            throw InferenceCodecError(.invalidField,
                "instances[0]: the model has \(inputs.count) inputs \(inputs.map(\.name)); each instance must be an object naming them")
        }
        var perInput = [[JSONValue]](repeating: [], count: inputs.count)
        for k in inputs.indices { perInput[k].reserveCapacity(rows.count) }
        for (j, row) in rows.enumerated() {
            if named {
                guard isNamedObject(row, inputs: inputs), case .object(let members) = row else {
                    throw InferenceCodecError(.invalidField, "instances[\(j)]: must be an object naming the inputs, like instances[0]")
                }
                try checkKeys(members, inputs: inputs, at: "instances[\(j)]")
                for (k, spec) in inputs.enumerated() { perInput[k].append(row[spec.name]!) }
            } else {
                if isNamedObject(row, inputs: inputs) {
                    throw InferenceCodecError(.invalidField, "instances[\(j)]: is an object but instances[0] is not")
                }
                perInput[0].append(row)
            }
        }
        var tensors: [InferenceTensor] = []
        for (k, spec) in inputs.enumerated() {
            // Treat the per-instance values as one array with the batch as first dim.
            let tensor = try makeTensor(.array(perInput[k]), spec: spec)
            tensors.append(tensor)
        }
        return tensors
    }

    private static func decodeColumns(
        _ columns: JSONValue, inputs: [(name: String, datatype: InferenceDataType, shape: [Int])]
    ) throws(InferenceCodecError) -> [InferenceTensor] {
        if isNamedObject(columns, inputs: inputs), case .object(let members) = columns {
            try checkKeys(members, inputs: inputs, at: "'inputs'")
            var tensors: [InferenceTensor] = []
            for spec in inputs { tensors.append(try makeTensor(columns[spec.name]!, spec: spec)) }
            return tensors
        }
        guard inputs.count == 1 else {
            throw InferenceCodecError(.invalidField,
                "field 'inputs': the model has \(inputs.count) inputs \(inputs.map(\.name)); 'inputs' must be an object naming them")
        }
        return [try makeTensor(columns, spec: inputs[0])]
    }

    /// Builds one tensor from a (possibly nested) JSON value, checking it is rectangular and
    /// matches the spec's shape (-1 = any).
    private static func makeTensor(
        _ value: JSONValue, spec: (name: String, datatype: InferenceDataType, shape: [Int])
    ) throws(InferenceCodecError) -> InferenceTensor {
        let what = "input '\(spec.name)'"
        var shape: [Int] = []
        var probe = value
        while case .array(let xs) = probe {
            shape.append(xs.count)
            guard let first = xs.first else { break }
            probe = first
        }
        _ = try InferenceTensor.elementCount(of: shape, what: what)
        var leaves: [JSONValue] = []
        leaves.reserveCapacity(shape.reduce(1, *))
        var path: [Int] = []
        try collect(value, shape: shape[...], into: &leaves, what: what, path: &path)
        let matches = shape.count == spec.shape.count && zip(shape, spec.shape).allSatisfy { $1 < 0 || $0 == $1 }
        guard matches else {
            throw InferenceCodecError(.shapeMismatch, "\(what): shape \(shape) does not match the model's shape \(spec.shape)")
        }
        let values = try TensorCoding.values(from: leaves, datatype: spec.datatype, what: what, allowB64: true)
        return InferenceTensor(name: spec.name, datatype: spec.datatype, shape: shape, values: values)
    }

    /// Appends the leaves of `value` (row-major), checking every sub-array has the size `shape` says.
    /// `path` holds the indices walked so far, rendered only for an error message.
    private static func collect(
        _ value: JSONValue, shape: ArraySlice<Int>, into leaves: inout [JSONValue], what: String, path: inout [Int]
    ) throws(InferenceCodecError) {
        func place() -> String { path.isEmpty ? "top level" : path.map { "[\($0)]" }.joined() }
        guard let n = shape.first else {
            if case .array = value {
                throw InferenceCodecError(.shapeMismatch, "\(what): ragged array at \(place()) (nested deeper than its siblings)")
            }
            leaves.append(value)
            return
        }
        guard case .array(let xs) = value, xs.count == n else {
            throw InferenceCodecError(.shapeMismatch, "\(what): ragged array at \(place()): expected \(n) elements like its siblings")
        }
        let inner = shape.dropFirst()
        if inner.isEmpty {
            for x in xs {
                if case .array = x {
                    throw InferenceCodecError(.shapeMismatch, "\(what): ragged array at \(place()) (nested deeper than its siblings)")
                }
            }
            leaves.append(contentsOf: xs)
            return
        }
        for (i, x) in xs.enumerated() {
            path.append(i)
            try collect(x, shape: inner, into: &leaves, what: what, path: &path)
            path.removeLast()
        }
    }
}
