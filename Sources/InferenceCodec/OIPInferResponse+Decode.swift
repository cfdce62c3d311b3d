extension OIPInferResponse {
    /// Decodes a response body (client side: CLI, tests), the mirror of ``encode(binaryOutputs:)``.
    ///
    /// Same validation as ``OIPInferRequest/decode(body:jsonHeaderLength:)``; errors name the output.
    /// An `{"error": "..."}` body throws with that message.
    /// - Complexity: O(body size + total elements).
    public static func decode(body: [UInt8], jsonHeaderLength: Int?) throws(InferenceCodecError) -> OIPInferResponse {
        let headerLength = jsonHeaderLength ?? body.count
        if jsonHeaderLength == nil && body.isEmpty {
            throw InferenceCodecError(.malformedJSON, "malformed inference response JSON at byte 0: empty body")
        }
        guard headerLength > 0, headerLength <= body.count else {
            throw InferenceCodecError(.malformedJSON,
                "Inference-Header-Content-Length \(jsonHeaderLength ?? 0) is outside the body size \(body.count)")
        }
        return try body.withUnsafeBufferPointer { (buf) throws(InferenceCodecError) -> OIPInferResponse in
            let json = try JSONReader.parse(UnsafeBufferPointer(rebasing: buf[0..<headerLength]), what: "inference response JSON")
            let tail = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buf)[headerLength...])
            guard case .object = json else {
                throw InferenceCodecError(.invalidField, "inference response: the JSON body must be an object, got \(json.typeName)")
            }
            if let message = json["error"]?.stringValue { throw InferenceCodecError(.invalidValue, message) }
            guard let name = json["model_name"]?.stringValue else {
                throw InferenceCodecError(.missingField, "inference response: missing string field 'model_name'")
            }
            guard case .array(let outs)? = json["outputs"] else {
                throw InferenceCodecError(.missingField, "inference response: missing array field 'outputs'")
            }
            var response = OIPInferResponse(
                modelName: name, modelVersion: json["model_version"]?.stringValue, id: json["id"]?.stringValue, outputs: [])
            var offset = 0
            for (i, out) in outs.enumerated() {
                response.outputs.append(try OIPInferRequest.decodeTensor(
                    out, index: i, kind: "output", binary: tail, offset: &offset, hasHeaderLength: jsonHeaderLength != nil))
            }
            guard offset == tail.count else {
                throw InferenceCodecError(.binaryDataMismatch,
                    "inference response: outputs declare \(offset) bytes of binary data but \(tail.count) follow the JSON header")
            }
            return response
        }
    }
}
