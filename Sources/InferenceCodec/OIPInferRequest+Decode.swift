extension OIPInferRequest {
    /// Decodes a request body.
    ///
    /// - Parameters:
    ///   - body: the whole HTTP body (already decompressed).
    ///   - jsonHeaderLength: the `Inference-Header-Content-Length` header value; `nil` when absent
    ///     (then the whole body is JSON and no input may use binary data).
    /// - Throws: ``InferenceCodecError`` naming the input or field: malformed JSON, unknown
    ///   datatype, shape/element count mismatch, negative or oversized shapes (cap
    ///   ``InferenceTensor/maxElementCount``), binary sizes that do not add up exactly to the
    ///   trailing bytes, out-of-range values.
    /// - Complexity: O(body size + total elements).
    public static func decode(body: [UInt8], jsonHeaderLength: Int?) throws(InferenceCodecError) -> OIPInferRequest {
        try body.withUnsafeBufferPointer { (buf) throws(InferenceCodecError) -> OIPInferRequest in
            try decode(body: buf, jsonHeaderLength: jsonHeaderLength)
        }
    }

    /// Decodes a request body held in memory the caller owns (e.g. a NIO `ByteBuffer`'s readable
    /// bytes), without copying it first. Same contract as the `[UInt8]` overload.
    public static func decode(
        body buf: UnsafeBufferPointer<UInt8>, jsonHeaderLength: Int?
    ) throws(InferenceCodecError) -> OIPInferRequest {
        let headerLength = jsonHeaderLength ?? buf.count
        if jsonHeaderLength == nil && buf.isEmpty {
            throw InferenceCodecError(.malformedJSON, "malformed inference request JSON at byte 0: empty body")
        }
        guard headerLength > 0, headerLength <= buf.count else {
            throw InferenceCodecError(.malformedJSON,
                "Inference-Header-Content-Length \(jsonHeaderLength ?? 0) is outside the body size \(buf.count)")
        }
        let json = try JSONReader.parse(UnsafeBufferPointer(rebasing: buf[0..<headerLength]), what: "inference request JSON")
        let tail = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buf)[headerLength...])
        return try decode(json: json, binary: tail, hasHeaderLength: jsonHeaderLength != nil)
    }

    private static func decode(
        json: JSONValue, binary: UnsafeRawBufferPointer, hasHeaderLength: Bool
    ) throws(InferenceCodecError) -> OIPInferRequest {
        guard case .object = json else {
            throw InferenceCodecError(.invalidField, "inference request: the JSON body must be an object, got \(json.typeName)")
        }
        var request = OIPInferRequest(inputs: [])
        if let id = json["id"] {
            guard let s = id.stringValue else { throw InferenceCodecError(.invalidField, "field 'id' must be a string, got \(id.typeName)") }
            request.id = s
        }
        if let params = json["parameters"] {
            guard case .object = params else {
                throw InferenceCodecError(.invalidField, "field 'parameters' must be an object, got \(params.typeName)")
            }
            if let b = params["binary_data_output"] {
                guard let v = b.boolValue else {
                    throw InferenceCodecError(.invalidField, "parameters.binary_data_output must be a boolean, got \(b.typeName)")
                }
                request.binaryDataOutput = v
            }
            if case .object(let pairs) = params {
                for (key, value) in pairs {
                    switch value {
                    case .string(let text): request.parameters[key] = text
                    case .number(let d, let i): request.parameters[key] = i.map(String.init) ?? String(d)
                    default: break
                    }
                }
            }
        }
        guard let inputsJSON = json["inputs"] else { throw InferenceCodecError(.missingField, "inference request: missing field 'inputs'") }
        guard case .array(let inputs) = inputsJSON, !inputs.isEmpty else {
            throw InferenceCodecError(.invalidField, "field 'inputs' must be a non-empty array")
        }
        request.inputs.reserveCapacity(inputs.count)
        var binaryOffset = 0
        for (index, input) in inputs.enumerated() {
            let tensor = try decodeTensor(
                input, index: index, kind: "input", binary: binary, offset: &binaryOffset, hasHeaderLength: hasHeaderLength)
            for earlier in request.inputs where earlier.name == tensor.name {
                throw InferenceCodecError(.unknownTensor, "input '\(tensor.name)': appears more than once")
            }
            request.inputs.append(tensor)
        }
        guard binaryOffset == binary.count else {
            throw InferenceCodecError(.binaryDataMismatch,
                "inference request: inputs declare \(binaryOffset) bytes of binary data but \(binary.count) follow the JSON header")
        }
        if let outputsJSON = json["outputs"] {
            guard case .array(let outputs) = outputsJSON else {
                throw InferenceCodecError(.invalidField, "field 'outputs' must be an array, got \(outputsJSON.typeName)")
            }
            for (i, output) in outputs.enumerated() {
                guard case .object = output, let name = output["name"]?.stringValue else {
                    throw InferenceCodecError(.missingField, "outputs[\(i)]: must be an object with a string 'name'")
                }
                var binary = request.binaryDataOutput
                if let params = output["parameters"] {
                    if let b = params["binary_data"] {
                        guard let v = b.boolValue else {
                            throw InferenceCodecError(.invalidField, "output '\(name)': parameters.binary_data must be a boolean, got \(b.typeName)")
                        }
                        binary = v
                    }
                    if params["classification"] != nil || params["shared_memory_region"] != nil {
                        throw InferenceCodecError(.invalidField, "output '\(name)': classification and shared-memory outputs are not supported")
                    }
                }
                if request.requestedOutputs.contains(where: { $0.name == name }) {
                    throw InferenceCodecError(.unknownTensor, "output '\(name)': requested more than once")
                }
                request.requestedOutputs.append((name, binary))
            }
        }
        return request
    }

    /// Decodes one tensor object of `inputs` (kind "input") or of a response's `outputs` (kind "output").
    static func decodeTensor(
        _ input: JSONValue, index: Int, kind: String, binary: UnsafeRawBufferPointer, offset: inout Int, hasHeaderLength: Bool
    ) throws(InferenceCodecError) -> InferenceTensor {
        guard case .object = input else {
            throw InferenceCodecError(.invalidField, "\(kind)s[\(index)]: must be an object, got \(input.typeName)")
        }
        guard let name = input["name"]?.stringValue else {
            throw InferenceCodecError(.missingField, "\(kind)s[\(index)]: missing string field 'name'")
        }
        let what = "\(kind) '\(name)'"
        guard let dt = input["datatype"] else { throw InferenceCodecError(.missingField, "\(what): missing field 'datatype'") }
        guard let dtName = dt.stringValue else {
            throw InferenceCodecError(.invalidField, "\(what): 'datatype' must be a string, got \(dt.typeName)")
        }
        let datatype = try InferenceDataType.parse(dtName, what: what)
        guard let shapeJSON = input["shape"] else { throw InferenceCodecError(.missingField, "\(what): missing field 'shape'") }
        guard case .array(let dims) = shapeJSON else {
            throw InferenceCodecError(.invalidField, "\(what): 'shape' must be an array of integers, got \(shapeJSON.typeName)")
        }
        var shape: [Int] = []
        shape.reserveCapacity(dims.count)
        for d in dims {
            guard let v = d.integerValue, let i = Int(exactly: v) else {
                throw InferenceCodecError(.invalidField, "\(what): 'shape' must be an array of integers")
            }
            shape.append(i)
        }
        let count = try InferenceTensor.elementCount(of: shape, what: what)

        var binarySize: Int?
        if let params = input["parameters"] {
            guard case .object = params else {
                throw InferenceCodecError(.invalidField, "\(what): 'parameters' must be an object, got \(params.typeName)")
            }
            if params["shared_memory_region"] != nil {
                throw InferenceCodecError(.invalidField, "\(what): shared-memory inputs are not supported")
            }
            if let s = params["binary_data_size"] {
                guard let v = s.integerValue, v >= 0, let n = Int(exactly: v) else {
                    throw InferenceCodecError(.invalidField, "\(what): parameters.binary_data_size must be a non-negative integer")
                }
                binarySize = n
            }
        }
        let data = input["data"]
        if let binarySize {
            if data != nil {
                throw InferenceCodecError(.invalidField, "\(what): has both 'data' and parameters.binary_data_size")
            }
            guard hasHeaderLength else {
                throw InferenceCodecError(.binaryDataMismatch,
                    "\(what): uses binary_data_size but the request has no Inference-Header-Content-Length")
            }
            guard binarySize <= binary.count - offset else {
                throw InferenceCodecError(.binaryDataMismatch,
                    "\(what): binary_data_size \(binarySize) overruns the \(binary.count - offset) remaining bytes of binary data")
            }
            let raw = UnsafeRawBufferPointer(rebasing: binary[offset..<(offset + binarySize)])
            offset += binarySize
            let values = try TensorCoding.values(binary: raw, datatype: datatype, count: count, what: what)
            return InferenceTensor(name: name, datatype: datatype, shape: shape, values: values)
        }
        guard let data else {
            throw InferenceCodecError(.missingField, "\(what): has neither 'data' nor parameters.binary_data_size")
        }
        let items = try TensorCoding.flatten(data, what: what)
        guard items.count == count else {
            throw InferenceCodecError(.shapeMismatch, "\(what): shape \(shape) needs \(count) values, got \(items.count)")
        }
        let values = try TensorCoding.values(from: items, datatype: datatype, what: what)
        return InferenceTensor(name: name, datatype: datatype, shape: shape, values: values)
    }
}
