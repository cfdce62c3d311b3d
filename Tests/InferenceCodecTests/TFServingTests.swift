import Foundation
import InferenceCodec
import Testing

/// TensorFlow Serving REST predict: request forms from the API doc, responses checked with Foundation.
@Suite struct TFServingTests {
    typealias Spec = (name: String, datatype: InferenceDataType, shape: [Int])
    let single: [Spec] = [("input", .fp32, [-1, 4])]
    let multi: [Spec] = [("tag", .bytes, [-1]), ("signal", .int32, [-1, 2]), ("image_bytes", .bytes, [-1])]

    func decode(_ s: String, _ inputs: [Spec]) throws(InferenceCodecError) -> TFServingPredictRequest {
        try TFServingPredictRequest.decode(body: utf8(s), inputs: inputs)
    }

    @Test func rowFormUnnamedSingleInput() throws {
        let r = try decode(#"{"signature_name":"serving_default","instances":[[1,2,3,4],[5,6,7,8.5]]}"#, single)
        #expect(r.form == .row)
        #expect(r.signatureName == "serving_default")
        #expect(r.tensors == [InferenceTensor(name: "input", shape: [2, 4], floats: [1, 2, 3, 4, 5, 6, 7, 8.5])])
    }

    @Test func rowFormNamedSingleInputEqualsUnnamed() throws {
        let named = try decode(#"{"instances":[{"input":[1,2,3,4]}]}"#, single)
        let plain = try decode(#"{"instances":[[1,2,3,4]]}"#, single)
        #expect(named == plain)
    }

    @Test func rowFormNamedMultiInputWithB64() throws {
        // The API doc's example shape: named inputs per instance, binary as {"b64": ...}.
        let s = #"{"instances":[{"tag":"foo","signal":[1,2],"image_bytes":{"b64":"aGVsbG8="}},{"tag":"bar","signal":[3,4],"image_bytes":{"b64":"/w=="}}]}"#
        let r = try decode(s, multi)
        #expect(r.form == .row)
        #expect(r.tensors[0] == InferenceTensor(name: "tag", datatype: .bytes, shape: [2], values: .bytes([Array("foo".utf8), Array("bar".utf8)])))
        #expect(r.tensors[1] == InferenceTensor(name: "signal", datatype: .int32, shape: [2, 2], values: .int64([1, 2, 3, 4])))
        #expect(r.tensors[2].values == .bytes([Array("hello".utf8), [0xFF]]))
    }

    @Test func columnarForms() throws {
        let plain = try decode(#"{"inputs":[[1,2,3,4]]}"#, single)
        #expect(plain.form == .columnar)
        #expect(plain.tensors == [InferenceTensor(name: "input", shape: [1, 4], floats: [1, 2, 3, 4])])
        let named = try decode(#"{"inputs":{"input":[[1,2,3,4]]}}"#, single)
        #expect(named == plain)
        let m = try decode(#"{"inputs":{"signal":[[1,2],[3,4],[5,6]],"tag":["a","b","c"],"image_bytes":[{"b64":""},{"b64":"AA=="},{"b64":"AQI="}]}}"#, multi)
        #expect(m.tensors.map(\.name) == ["tag", "signal", "image_bytes"])
        #expect(m.tensors[1].shape == [3, 2])
        #expect(m.tensors[2].values == .bytes([[], [0], [1, 2]]))
        // A single BYTES input given one b64 object as its whole (scalar) value.
        let scalar = try decode(#"{"inputs":{"b64":"AAE="}}"#, [("x", .bytes, [])])
        #expect(scalar.tensors[0].values == .bytes([[0, 1]]))
    }

    @Test(arguments: [
        (#"{"instances":[[1,2,3],[4,5,6]]}"#, "input 'input': shape [2, 3] does not match the model's shape [-1, 4]"),
        (#"{"instances":[[1,2,3,4],[5,6,7]]}"#, "input 'input': ragged array at [1]"),
        (#"{"instances":[[1,2,3,4],[5,6,7,[8]]]}"#, "input 'input': ragged array"),
        (#"{"instances":[[1,2,3,"x"]]}"#, "input 'input': element 3 is a string"),
        (#"{"inputs":[1,2,3,4]}"#, "input 'input': shape [4] does not match"),
        (#"{"inputs":{"inptu":[[1,2,3,4]]}}"#, "input 'inptu' in 'inputs': the model has no such input"),
        (#"{"instances":[{"input":[1,2,3,4],"extra":1}]}"#, "input 'extra' in instances[0]"),
        (#"{"instances":[{"input":[1,2,3,4]},[1,2,3,4]]}"#, "instances[1]: must be an object"),
        (#"{"instances":[[1,2,3,4]],"inputs":[[1,2,3,4]]}"#, "either 'instances' or 'inputs'"),
        (#"{"signature_name":"x"}"#, "missing 'instances' or 'inputs'"),
        (#"{"instances":[]}"#, "'instances' must be a non-empty array"),
        (#"{"instances":[[1,2,3,4]],"signature_name":3}"#, "'signature_name' must be a string"),
        (#"{"instances":[[1,2,3,4]"#, "malformed predict request JSON"),
    ])
    func singleInputErrors(_ body: String, _ fragment: String) {
        do {
            _ = try decode(body, single)
            Issue.record("expected an error for \(body)")
        } catch {
            #expect(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'")
        }
    }

    @Test func multiInputErrorsNameTheInput() {
        expectCodecError(.unknownTensor, contains: ["input 'image_bytes'", "missing from instances[0]"]) { () throws(InferenceCodecError) in
            _ = try decode(#"{"instances":[{"tag":"a","signal":[1,2]}]}"#, multi)
        }
        expectCodecError(.invalidField, contains: ["3 inputs", "tag"]) { () throws(InferenceCodecError) in
            _ = try decode(#"{"instances":[[1,2]]}"#, multi)
        }
        expectCodecError(.invalidValue, contains: ["input 'image_bytes'", "b64"]) { () throws(InferenceCodecError) in
            _ = try decode(#"{"instances":[{"tag":"a","signal":[1,2],"image_bytes":{"b64":"***"}}]}"#, multi)
        }
        expectCodecError(.invalidValue, contains: ["input 'signal'", "out of range for INT32"]) { () throws(InferenceCodecError) in
            _ = try decode(#"{"instances":[{"tag":"a","signal":[1,4294967296],"image_bytes":"x"}]}"#, multi)
        }
    }

    @Test func rowResponseSingleOutput() throws {
        let out = InferenceTensor(name: "output", shape: [2, 3], floats: [1, 2, 3, 4, 5, 6.5])
        let body = TFServingPredictResponse.encode(outputs: [out], form: .row)
        #expect(String(decoding: body, as: UTF8.self) == #"{"predictions":[[1.0,2.0,3.0],[4.0,5.0,6.5]]}"#)
        let json = try #require(try foundationJSON(body) as? [String: Any])
        #expect((json["predictions"] as? [[Double]]) == [[1, 2, 3], [4, 5, 6.5]])
        // A rank-1 output gives a scalar per instance.
        let scores = InferenceTensor(name: "score", datatype: .int64, shape: [2], values: .int64([7, -1]))
        #expect(String(decoding: TFServingPredictResponse.encode(outputs: [scores], form: .row), as: UTF8.self) == #"{"predictions":[7,-1]}"#)
    }

    @Test func rowResponseMultiOutputAndB64() throws {
        let outs = [
            InferenceTensor(name: "label", datatype: .bytes, shape: [2], values: .bytes([Array("cat".utf8), Array("dog".utf8)])),
            InferenceTensor(name: "raw_bytes", datatype: .bytes, shape: [2, 1], values: .bytes([[0xFF], [0x00, 0x01]])),
            InferenceTensor(name: "ok", datatype: .bool, shape: [2], values: .bool([true, false])),
        ]
        let body = TFServingPredictResponse.encode(outputs: outs, form: .row)
        let json = try #require(try foundationJSON(body) as? [String: Any])
        let preds = try #require(json["predictions"] as? [[String: Any]])
        #expect(preds.count == 2)
        #expect(preds[0]["label"] as? String == "cat")
        #expect(((preds[1]["raw_bytes"] as? [[String: String]])?.first?["b64"]) == "AAE=")
        #expect(preds[1]["ok"] as? Bool == false)
    }

    @Test func columnarResponses() throws {
        let a = InferenceTensor(name: "a", shape: [2, 2], floats: [1, 2, 3, 4])
        let b = InferenceTensor(name: "b", datatype: .int64, shape: [2], values: .int64([5, 6]))
        #expect(String(decoding: TFServingPredictResponse.encode(outputs: [a], form: .columnar), as: UTF8.self)
                == #"{"outputs":[[1.0,2.0],[3.0,4.0]]}"#)
        let json = try #require(try foundationJSON(TFServingPredictResponse.encode(outputs: [a, b], form: .columnar)) as? [String: Any])
        let outs = try #require(json["outputs"] as? [String: Any])
        #expect(outs["a"] as? [[Double]] == [[1, 2], [3, 4]])
        #expect(outs["b"] as? [Int] == [5, 6])
        #expect(String(decoding: TFServingPredictResponse.errorBody("input 'x': bad \"q\""), as: UTF8.self)
                == #"{"error":"input 'x': bad \"q\""}"#)
    }

    @Test func requestResponseRoundTrip() throws {
        // Decode a request, echo its tensor as the output, and decode the response as a request again.
        let r = try decode(#"{"instances":[[0.5,-1,2,3e-3],[1e10,0,0,1]]}"#, single)
        let body = TFServingPredictResponse.encode(outputs: r.tensors, form: .row)
        let predictions = String(decoding: body, as: UTF8.self).replacingOccurrences(of: "predictions", with: "instances")
        #expect(try decode(predictions, single) == r)
    }
}

/// Metadata shapes as tritonclient's `get_model_metadata` reads them.
@Suite struct OIPMetadataTests {
    @Test func modelMetadataJSON() throws {
        let md = OIPModelMetadata(name: "mlp", versions: ["1"], platform: "mlplane",
                                  inputs: [OIPTensorMetadata(name: "input", datatype: .fp32, shape: [-1, 4])],
                                  outputs: [OIPTensorMetadata(name: "output", datatype: .fp32, shape: [-1, 3])])
        let json = try #require(try foundationJSON(md.oipJSON()) as? [String: Any])
        #expect(json["name"] as? String == "mlp")
        #expect(json["versions"] as? [String] == ["1"])
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs[0]["datatype"] as? String == "FP32")
        #expect(inputs[0]["shape"] as? [Int] == [-1, 4])
        #expect(try JSONDecoder().decode(OIPModelMetadata.self, from: Data(md.oipJSON())) == md)
        let ready = try #require(try foundationJSON(OIPModelReady(name: "mlp", ready: true).oipJSON()) as? [String: Any])
        #expect(ready["ready"] as? Bool == true)
        let server = try #require(try foundationJSON(OIPServerMetadata(name: "mlplane", version: "0.1").oipJSON()) as? [String: Any])
        #expect(server["extensions"] as? [String] == ["binary_tensor_data"])
    }

    @Test func responseDecodeSurfacesErrorBodies() {
        expectCodecError(.invalidValue, contains: ["input 'x': boom"]) { () throws(InferenceCodecError) in
            _ = try OIPInferResponse.decode(body: OIPError.body("input 'x': boom"), jsonHeaderLength: nil)
        }
    }
}
