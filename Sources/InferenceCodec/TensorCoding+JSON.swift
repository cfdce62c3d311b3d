import Foundation

/// Writing ``TensorValues`` as JSON (flat for OIP, nested by shape for TF Serving).
extension TensorCoding {
    // MARK: values -> JSON

    /// Writes element `i` of `values` as a JSON scalar in the form `datatype` implies.
    /// BYTES become strings (lossy UTF-8), or `{"b64": ...}` when `b64` says so.
    @inline(__always)
    static func writeElement(_ values: TensorValues, _ i: Int, as datatype: InferenceDataType, b64: Bool, to w: inout JSONWriter) {
        switch values {
        case .float32(let v):
            if datatype.isInteger { w.int(int(values, i)) } else if datatype == .bool { w.bool(v[i] != 0) }
            else if datatype == .fp64 { w.double(Double(v[i])) } else { w.float(v[i]) }
        case .float64(let v):
            if datatype.isInteger { w.int(int(values, i)) } else if datatype == .bool { w.bool(v[i] != 0) }
            else if datatype == .fp64 { w.double(v[i]) } else { w.float(Float(v[i])) }
        case .int64(let v):
            if datatype == .bool { w.bool(v[i] != 0) } else if datatype.isInteger || datatype == .bytes { w.int(v[i]) }
            else if datatype == .fp64 { w.double(Double(v[i])) } else { w.float(Float(v[i])) }
        case .bool(let v):
            if datatype == .bool || datatype == .bytes { w.bool(v[i]) } else if datatype.isInteger { w.int(v[i] ? 1 : 0) }
            else { w.float(v[i] ? 1 : 0) }
        case .bytes(let v):
            if b64 {
                w.raw("{\"b64\":")
                w.string(Data(v[i]).base64EncodedString())
                w.byte(UInt8(ascii: "}"))
            } else {
                w.string(String(decoding: v[i], as: UTF8.self))
            }
        }
    }

    /// Writes `values` as a flat JSON array.
    static func writeFlat(_ values: TensorValues, as datatype: InferenceDataType, to w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        let n = values.count
        for i in 0..<n {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            writeElement(values, i, as: datatype, b64: false, to: &w)
        }
        w.byte(UInt8(ascii: "]"))
    }

    /// Writes elements `[offset, offset + prod(shape))` nested by `shape` (a scalar when shape is empty).
    static func writeNested(
        _ values: TensorValues, shape: ArraySlice<Int>, offset: Int, as datatype: InferenceDataType, b64: Bool,
        to w: inout JSONWriter
    ) {
        guard let first = shape.first else {
            writeElement(values, offset, as: datatype, b64: b64, to: &w)
            return
        }
        let inner = shape.dropFirst()
        let stride = inner.reduce(1, *)
        w.byte(UInt8(ascii: "["))
        for j in 0..<first {
            if j > 0 { w.byte(UInt8(ascii: ",")) }
            writeNested(values, shape: inner, offset: offset + j * stride, as: datatype, b64: b64, to: &w)
        }
        w.byte(UInt8(ascii: "]"))
    }
}
