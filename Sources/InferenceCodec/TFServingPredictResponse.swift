/// Encoder of TensorFlow Serving REST predict responses.
public enum TFServingPredictResponse {
    /// Encodes `outputs` in the layout of the request.
    ///
    /// - Row form: `{"predictions": [...]}`, one entry per batch row (first dim of the first
    ///   output): the plain value/array for a single output, an object `{"name": value}` per row
    ///   for several.
    /// - Columnar form: `{"outputs": tensor}` for a single output, `{"outputs": {"name": tensor}}` otherwise.
    ///
    /// BYTES outputs whose name ends in `_bytes` are written as `{"b64": ...}` (the TF Serving
    /// convention), other BYTES as UTF-8 strings.
    /// - Complexity: O(total elements).
    public static func encode(outputs: [InferenceTensor], form: TFServingForm) -> [UInt8] {
        var w = JSONWriter(capacity: 64 + outputs.reduce(0) { $0 + 16 * $1.values.count })
        switch form {
        case .columnar:
            w.raw("{\"outputs\":")
            writeEach(outputs, to: &w) { out, w in write(out, to: &w) }
            w.byte(UInt8(ascii: "}"))
        case .row:
            w.raw("{\"predictions\":[")
            let rows = outputs.first?.shape.first ?? 0
            for j in 0..<rows {
                if j > 0 { w.byte(UInt8(ascii: ",")) }
                writeEach(outputs, to: &w) { out, w in writeRow(out, j, to: &w) }
            }
            w.raw("]}")
        }
        return w.bytes
    }

    /// A single output's value as is, several as an object keyed by output name.
    private static func writeEach(_ outputs: [InferenceTensor], to w: inout JSONWriter,
                                  _ value: (InferenceTensor, inout JSONWriter) -> Void) {
        if outputs.count == 1 { return value(outputs[0], &w) }
        w.byte(UInt8(ascii: "{"))
        for (k, out) in outputs.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.string(out.name)
            w.byte(UInt8(ascii: ":"))
            value(out, &w)
        }
        w.byte(UInt8(ascii: "}"))
    }

    /// The TF Serving error body `{"error": "..."}`.
    public static func errorBody(_ message: String) -> [UInt8] { OIPError.body(message) }

    private static func write(_ t: InferenceTensor, to w: inout JSONWriter) {
        TensorCoding.writeNested(t.values, shape: t.shape[...], offset: 0, as: t.datatype, b64: t.name.hasSuffix("_bytes"), to: &w)
    }

    /// Row `j` of `t` (sub-tensor along the first dim); a tensor with no dims or too few rows writes null.
    private static func writeRow(_ t: InferenceTensor, _ j: Int, to w: inout JSONWriter) {
        guard let n = t.shape.first, j < n else { w.raw("null"); return }
        let inner = t.shape.dropFirst()
        let stride = inner.reduce(1, *)
        TensorCoding.writeNested(t.values, shape: inner, offset: j * stride, as: t.datatype, b64: t.name.hasSuffix("_bytes"), to: &w)
    }
}
