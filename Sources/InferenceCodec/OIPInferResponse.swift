/// An Open Inference Protocol inference response.
public struct OIPInferResponse: Sendable, Equatable {
    public var modelName: String
    /// Omitted from the JSON when nil.
    public var modelVersion: String?
    /// The request id to echo; omitted when nil.
    public var id: String?
    public var outputs: [InferenceTensor]

    public init(modelName: String, modelVersion: String? = nil, id: String? = nil, outputs: [InferenceTensor]) {
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.id = id
        self.outputs = outputs
    }

    /// Encodes the response body.
    ///
    /// Outputs named in `binaryOutputs` are sent as binary tensor data after the JSON
    /// (`parameters.binary_data_size`), in output order; the others carry a flat JSON `data` array.
    /// Values are written as each output's `datatype` (converted if the storage case differs).
    /// - Returns: the body, and the JSON header length to send as `Inference-Header-Content-Length`
    ///   (nil when nothing is binary).
    /// - Complexity: O(total elements).
    public func encode(binaryOutputs: Set<String>) -> (body: [UInt8], jsonHeaderLength: Int?) {
        var w = JSONWriter(capacity: 128 + outputs.reduce(0) { $0 + 16 * $1.values.count })
        w.raw("{\"model_name\":")
        w.string(modelName)
        if let modelVersion {
            w.raw(",\"model_version\":")
            w.string(modelVersion)
        }
        if let id {
            w.raw(",\"id\":")
            w.string(id)
        }
        w.raw(",\"outputs\":[")
        var blobs: [UInt8] = []
        var anyBinary = false
        for (i, out) in outputs.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"name\":")
            w.string(out.name)
            w.raw(",\"datatype\":\"")
            w.bytes.append(contentsOf: out.datatype.rawValue.utf8)
            w.raw("\",\"shape\":")
            w.intArray(out.shape)
            if binaryOutputs.contains(out.name) {
                anyBinary = true
                let before = blobs.count
                TensorCoding.appendBinary(out.values, as: out.datatype, to: &blobs)
                w.raw(",\"parameters\":{\"binary_data_size\":")
                w.int(blobs.count - before)
                w.raw("}}")
            } else {
                w.raw(",\"data\":")
                TensorCoding.writeFlat(out.values, as: out.datatype, to: &w)
                w.byte(UInt8(ascii: "}"))
            }
        }
        w.raw("]}")
        guard anyBinary else { return (w.bytes, nil) }
        let headerLength = w.bytes.count
        w.bytes.append(contentsOf: blobs)
        return (w.bytes, headerLength)
    }
}
