import InferenceCodec
import Testing

/// Every class of malformed OIP request fails with a typed error that names the input.
@Suite struct OIPRequestErrorTests {
    /// A JSON-only request with one input `x` described by `fields` (inserted verbatim).
    func body(_ fields: String, extra: String = "") -> [UInt8] {
        utf8(#"{"inputs":[{"name":"x",\#(fields)}]\#(extra)}"#)
    }

    func decode(_ b: [UInt8], header: Int? = nil) throws(InferenceCodecError) {
        _ = try OIPInferRequest.decode(body: b, jsonHeaderLength: header)
    }

    @Test func shapeCountMismatchMessage() {
        do {
            try decode(body(#""datatype":"FP32","shape":[2,3],"data":[1,2,3,4,5]"#))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .shapeMismatch)
            #expect(error.message == "input 'x': shape [2, 3] needs 6 values, got 5")
        }
    }

    @Test(arguments: [
        (#""datatype":"FP33","shape":[1],"data":[1]"#, "unsupported datatype 'FP33'"),
        (#""datatype":"BF16","shape":[1],"data":[1]"#, "unsupported datatype 'BF16'"),
        (#""datatype":7,"shape":[1],"data":[1]"#, "'datatype' must be a string"),
        (#""shape":[1],"data":[1]"#, "missing field 'datatype'"),
        (#""datatype":"FP32","data":[1]"#, "missing field 'shape'"),
        (#""datatype":"FP32","shape":"1","data":[1]"#, "'shape' must be an array"),
        (#""datatype":"FP32","shape":[1.5],"data":[1]"#, "'shape' must be an array of integers"),
        (#""datatype":"FP32","shape":[-1,2],"data":[1,2]"#, "negative dimension"),
        (#""datatype":"FP32","shape":[100000,100000],"data":[1]"#, "exceeds the limit"),
        (#""datatype":"FP32","shape":[9223372036854775807,9223372036854775807],"data":[1]"#, "exceeds the limit"),
        (#""datatype":"FP32","shape":[2]"#, "neither 'data' nor parameters.binary_data_size"),
        (#""datatype":"FP32","shape":[2],"data":[1,"a"]"#, "element 1 is a string, expected a number"),
        (#""datatype":"FP32","shape":[2],"data":[1,null]"#, "element 1 is null"),
        (#""datatype":"INT8","shape":[2],"data":[1,300]"#, "element 1 (300) is out of range for INT8"),
        (#""datatype":"UINT8","shape":[1],"data":[-1]"#, "out of range for UINT8"),
        (#""datatype":"UINT64","shape":[1],"data":[18446744073709551615]"#, "is out of range for UINT64"),
        (#""datatype":"INT32","shape":[2],"data":[1,1.5]"#, "element 1 (1.5) is not an integer"),
        (#""datatype":"BOOL","shape":[2],"data":[true,1]"#, "expected true or false"),
        (#""datatype":"BYTES","shape":[1],"data":[3]"#, "expected a string"),
        (#""datatype":"FP32","shape":[2,2],"data":[[1,2],[3]]"#, "needs 4 values, got 3"),
        (#""datatype":"FP32","shape":[1],"data":[1],"parameters":{"binary_data_size":4}"#, "both 'data' and"),
        (#""datatype":"FP32","shape":[1],"parameters":{"binary_data_size":-4}"#, "binary_data_size must be a non-negative integer"),
        (#""datatype":"FP32","shape":[1],"parameters":{"binary_data_size":4}"#, "no Inference-Header-Content-Length"),
        (#""datatype":"FP32","shape":[1],"parameters":{"shared_memory_region":"r"}"#, "shared-memory"),
        (#""datatype":"FP32","shape":[1],"parameters":7"#, "'parameters' must be an object"),
    ])
    func jsonInputErrorsNameTheInput(_ fields: String, _ fragment: String) {
        do {
            try decode(body(fields))
            Issue.record("expected an error for \(fields)")
        } catch {
            #expect(error.message.hasPrefix("input 'x'"), "\(error.message)")
            #expect(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'")
        }
    }

    @Test func requestLevelErrors() {
        expectCodecError(.malformedJSON, contains: ["malformed inference request JSON"]) { () throws(InferenceCodecError) in
            try decode(utf8(#"{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]}]"#))
        }
        expectCodecError(.malformedJSON, contains: ["outside the body size"]) { () throws(InferenceCodecError) in
            try decode(utf8("{}"), header: 3)
        }
        expectCodecError(.malformedJSON, contains: ["outside the body size"]) { () throws(InferenceCodecError) in
            try decode(utf8("{}"), header: -1)
        }
        expectCodecError(.missingField, contains: ["missing field 'inputs'"]) { () throws(InferenceCodecError) in
            try decode(utf8(#"{"id":"a"}"#))
        }
        expectCodecError(.invalidField, contains: ["non-empty array"]) { () throws(InferenceCodecError) in
            try decode(utf8(#"{"inputs":[]}"#))
        }
        expectCodecError(.invalidField, contains: ["must be an object"]) { () throws(InferenceCodecError) in
            try decode(utf8("[1]"))
        }
        expectCodecError(.invalidField, contains: ["'id' must be a string"]) { () throws(InferenceCodecError) in
            try decode(body(#""datatype":"FP32","shape":[1],"data":[1]"#, extra: #","id":5"#))
        }
        expectCodecError(.invalidField, contains: ["binary_data_output must be a boolean"]) { () throws(InferenceCodecError) in
            try decode(body(#""datatype":"FP32","shape":[1],"data":[1]"#, extra: #","parameters":{"binary_data_output":1}"#))
        }
        expectCodecError(.missingField, contains: ["inputs[0]", "'name'"]) { () throws(InferenceCodecError) in
            try decode(utf8(#"{"inputs":[{"datatype":"FP32","shape":[1],"data":[1]}]}"#))
        }
        expectCodecError(.unknownTensor, contains: ["input 'x'", "more than once"]) { () throws(InferenceCodecError) in
            let t = #"{"name":"x","datatype":"FP32","shape":[1],"data":[1]}"#
            try decode(utf8(#"{"inputs":[\#(t),\#(t)]}"#))
        }
        expectCodecError(.invalidField, contains: ["output 'y'", "binary_data must be a boolean"]) { () throws(InferenceCodecError) in
            try decode(body(#""datatype":"FP32","shape":[1],"data":[1]"#, extra: #","outputs":[{"name":"y","parameters":{"binary_data":"yes"}}]"#))
        }
        expectCodecError(.missingField, contains: ["outputs[0]"]) { () throws(InferenceCodecError) in
            try decode(body(#""datatype":"FP32","shape":[1],"data":[1]"#, extra: #","outputs":[{"nom":"y"}]"#))
        }
    }

    /// A binary request: JSON header for input `x` followed by `tail`.
    func binary(_ datatype: String, shape: String, size: Int, tail: [UInt8]) throws(InferenceCodecError) {
        let header = utf8(#"{"inputs":[{"name":"x","datatype":"\#(datatype)","shape":\#(shape),"parameters":{"binary_data_size":\#(size)}}]}"#)
        _ = try OIPInferRequest.decode(body: header + tail, jsonHeaderLength: header.count)
    }

    @Test func binaryErrorsNameTheInput() {
        expectCodecError(.binaryDataMismatch, contains: ["input 'x'", "binary_data_size 12 does not match 4 FP32 elements (16 bytes)"]) { () throws(InferenceCodecError) in
            try binary("FP32", shape: "[4]", size: 12, tail: [UInt8](repeating: 0, count: 12))
        }
        expectCodecError(.binaryDataMismatch, contains: ["input 'x'", "overruns"]) { () throws(InferenceCodecError) in
            try binary("FP32", shape: "[4]", size: 16, tail: [UInt8](repeating: 0, count: 15))
        }
        expectCodecError(.binaryDataMismatch, contains: ["declare 16 bytes", "17 follow"]) { () throws(InferenceCodecError) in
            try binary("FP32", shape: "[4]", size: 16, tail: [UInt8](repeating: 0, count: 17))
        }
        expectCodecError(.invalidValue, contains: ["input 'x'", "exceeds Int64.max"]) { () throws(InferenceCodecError) in
            try binary("UINT64", shape: "[1]", size: 8, tail: [UInt8](repeating: 0xFF, count: 8))
        }
        expectCodecError(.binaryDataMismatch, contains: ["input 'x'", "truncated 4-byte length prefix"]) { () throws(InferenceCodecError) in
            try binary("BYTES", shape: "[2]", size: 6, tail: [1, 0, 0, 0, 65, 0])
        }
        expectCodecError(.binaryDataMismatch, contains: ["input 'x'", "length 9 overruns"]) { () throws(InferenceCodecError) in
            try binary("BYTES", shape: "[1]", size: 6, tail: [9, 0, 0, 0, 65, 66])
        }
        expectCodecError(.shapeMismatch, contains: ["input 'x'", "needs 2 BYTES elements, binary data holds 1"]) { () throws(InferenceCodecError) in
            try binary("BYTES", shape: "[2]", size: 5, tail: [1, 0, 0, 0, 65])
        }
        expectCodecError(.binaryDataMismatch, contains: ["input 'x'", "more than the 1 elements"]) { () throws(InferenceCodecError) in
            try binary("BYTES", shape: "[1]", size: 10, tail: [1, 0, 0, 0, 65, 1, 0, 0, 0, 66])
        }
        expectCodecError(.tooLarge, contains: ["input 'x'"]) { () throws(InferenceCodecError) in
            try binary("BYTES", shape: "[1000000000]", size: 0, tail: [])
        }
    }

    @Test func nestedAndFlatDataDecodeTheSame() throws {
        let flat = try OIPInferRequest.decode(body: body(#""datatype":"INT32","shape":[2,2],"data":[1,2,3,4]"#), jsonHeaderLength: nil)
        let nested = try OIPInferRequest.decode(body: body(#""datatype":"INT32","shape":[2,2],"data":[[1,2],[3,4]]"#), jsonHeaderLength: nil)
        #expect(flat.inputs == nested.inputs)
        #expect(flat.inputs[0].values == .int64([1, 2, 3, 4]))
    }

    @Test func requestedOutputsFallBackToRequestDefault() throws {
        let b = body(#""datatype":"FP32","shape":[1],"data":[1]"#,
                     extra: #","parameters":{"binary_data_output":true},"outputs":[{"name":"a"},{"name":"b","parameters":{"binary_data":false}}]"#)
        let r = try OIPInferRequest.decode(body: b, jsonHeaderLength: nil)
        #expect(r.binaryDataOutput)
        #expect(r.requestedOutputs.map(\.binary) == [true, false])
        #expect(r.binaryOutputNames(modelOutputs: ["a", "b", "c"]) == ["a"])
        #expect(try r.selectedOutputs(modelOutputs: ["b", "a"]) == ["a", "b"])
        expectCodecError(.unknownTensor, contains: ["output 'a'"]) { () throws(InferenceCodecError) in
            _ = try r.selectedOutputs(modelOutputs: ["b"])
        }
        let none = try OIPInferRequest.decode(body: body(#""datatype":"FP32","shape":[1],"data":[1]"#), jsonHeaderLength: nil)
        #expect(none.binaryOutputNames(modelOutputs: ["a"]).isEmpty)
        #expect(try none.selectedOutputs(modelOutputs: ["a", "b"]) == ["a", "b"])
    }

    @Test func zeroSizedTensorsAndEmptyBinary() throws {
        let header = utf8(#"{"inputs":[{"name":"x","datatype":"FP32","shape":[0,4],"parameters":{"binary_data_size":0}},{"name":"s","datatype":"BYTES","shape":[1],"parameters":{"binary_data_size":4}}]}"#)
        let r = try OIPInferRequest.decode(body: header + [0, 0, 0, 0], jsonHeaderLength: header.count)
        #expect(r.inputs[0].values == .float32([]))
        #expect(r.inputs[1].values == .bytes([[]]))
    }
}
