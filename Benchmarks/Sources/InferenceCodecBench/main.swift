// Release benchmark of the inference codecs: decode + encode of one small predict request.
//
//   swift run -c release InferenceCodecBench                      # timings, µs per op
//   swift run -c release InferenceCodecBench --write-responses DIR # golden OIP response bodies
//
// The golden bodies are checked with tritonclient's own parser by bench/make_oip_fixtures.py
// and byte for byte by the Swift tests (OIPResponseFixtureTests).
import Foundation
import InferenceCodec

/// The response the golden files hold (duplicated in OIPResponseFixtureTests; keep in sync with
/// RESPONSE_EXPECTED in bench/make_oip_fixtures.py).
func sampleResponse() -> OIPInferResponse {
    OIPInferResponse(modelName: "mlp", modelVersion: "3", id: "req-9", outputs: [
        InferenceTensor(name: "probs", shape: [2, 3], floats: [0.1, 0.2, 0.7, 1.0, -2.5, 3.25]),
        InferenceTensor(name: "labels", datatype: .int64, shape: [2], values: .int64([3, -9_007_199_254_740_993])),
        InferenceTensor(name: "names", datatype: .bytes, shape: [2], values: .bytes([Array("cat".utf8), [0xFF, 0x00]])),
        InferenceTensor(name: "mask", datatype: .bool, shape: [3], values: .bool([true, false, true])),
        InferenceTensor(name: "half", datatype: .fp16, shape: [3], values: .float32([1.5, -2.0, 65504])),
    ])
}

let args = CommandLine.arguments
if args.count == 3, args[1] == "--write-responses" {
    let dir = URL(fileURLWithPath: args[2])
    let all: Set<String> = ["probs", "labels", "names", "mask", "half"]
    let modes: [(String, Set<String>)] = [("binary", all), ("json", []), ("mixed", ["probs", "names", "half"])]
    for (mode, binary) in modes {
        let (body, header) = sampleResponse().encode(binaryOutputs: binary)
        try Data(body).write(to: dir.appendingPathComponent("response_\(mode).body"))
        let meta = "{\"header_length\": \(header.map(String.init) ?? "null")}\n"
        try Data(meta.utf8).write(to: dir.appendingPathComponent("response_\(mode).meta.json"))
        print("wrote response_\(mode).body (\(body.count) bytes, header \(header.map(String.init) ?? "none"))")
    }
    let err = OIPError.body(InferenceCodecError(.shapeMismatch, "input 'x': shape [2, 3] needs 6 values, got 5"))
    try Data(err).write(to: dir.appendingPathComponent("response_error.body"))
    exit(0)
}

/// Best-of-5 mean time per iteration in µs.
func measure(_ name: String, iterations: Int = 200_000, _ body: () throws -> Int) rethrows {
    var best = Double.infinity
    var sink = 0
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { sink &+= try body() }
        let ns = Double(DispatchTime.now().uptimeNanoseconds - start)
        best = min(best, ns / Double(iterations) / 1000)
    }
    let pad = String(repeating: " ", count: max(1, 62 - name.count))
    print(name + pad + String(format: "%8.3f µs/op", best) + (sink == 42 ? " " : ""))
}

let x: [Float] = [0.1, 0.2, 0.3, 0.4]
let y: [Float] = [0.5, -1.25, 3.0]
// The bodies exactly as tritonclient builds them (python-rapidjson, float32 widened to float64 repr).
let jsonBody = Array(#"{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[0.10000000149011612,0.20000000298023224,0.30000001192092896,0.4000000059604645]}],"outputs":[{"name":"output","parameters":{"binary_data":false}}]}"#.utf8)
let binHeader = Array(#"{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","parameters":{"binary_data_size":16}}],"outputs":[{"name":"output","parameters":{"binary_data":true}}]}"#.utf8)
let binBody = binHeader + x.withUnsafeBytes { Array($0) }
let tfBody = Array(#"{"instances": [[0.1, 0.2, 0.3, 0.4]]}"#.utf8)
let tfBatchBody = Array(("{\"instances\": [" + (0..<16).map { _ in "[0.1, 0.2, 0.3, 0.4]" }.joined(separator: ", ") + "]}").utf8)
let tfInputs: [(name: String, datatype: InferenceDataType, shape: [Int])] = [("input", .fp32, [-1, 4])]

print("InferenceCodecBench (release), best of 5 x 200k iterations")
try measure("OIP JSON 1x4 FP32: decode + encode JSON 1x3 response") {
    let req = try OIPInferRequest.decode(body: jsonBody, jsonHeaderLength: nil)
    let out = InferenceTensor(name: "output", shape: [1, 3], floats: y)
    let resp = OIPInferResponse(modelName: "mlp", modelVersion: "1", id: req.id, outputs: [out])
    return resp.encode(binaryOutputs: req.binaryOutputNames(modelOutputs: ["output"])).body.count
}
try measure("OIP binary 1x4 FP32: decode + encode binary 1x3 response") {
    let req = try OIPInferRequest.decode(body: binBody, jsonHeaderLength: binHeader.count)
    let out = InferenceTensor(name: "output", shape: [1, 3], floats: y)
    let resp = OIPInferResponse(modelName: "mlp", modelVersion: "1", id: req.id, outputs: [out])
    return resp.encode(binaryOutputs: req.binaryOutputNames(modelOutputs: ["output"])).body.count
}
try measure("TF Serving instances 1x4: decode + encode predictions") {
    let req = try TFServingPredictRequest.decode(body: tfBody, inputs: tfInputs)
    let out = InferenceTensor(name: "output", shape: [1, 3], floats: y)
    return TFServingPredictResponse.encode(outputs: [out], form: req.form).count + req.tensors.count
}
try measure("TF Serving instances 16x4: decode + encode predictions", iterations: 50_000) {
    let req = try TFServingPredictRequest.decode(body: tfBatchBody, inputs: tfInputs)
    let out = InferenceTensor(name: "output", shape: [16, 3], floats: Array(repeating: 0.25, count: 48))
    return TFServingPredictResponse.encode(outputs: [out], form: req.form).count + req.tensors.count
}
// Peer reference: Foundation's JSONSerialization parsing the same JSON body (parse only).
let jsonData = Data(jsonBody)
try measure("peer: JSONSerialization.jsonObject of the OIP JSON body", iterations: 50_000) {
    let obj = try JSONSerialization.jsonObject(with: jsonData)
    return (obj as? [String: Any])?.count ?? 0
}
try measure("ours: OIPInferRequest.decode of the OIP JSON body alone") {
    try OIPInferRequest.decode(body: jsonBody, jsonHeaderLength: nil).inputs.count
}
