import Foundation
import Hummingbird
import InferenceCodec
import NIOCore
import Platform

/// Model serving protocols over the same predict path (`PredictionService`):
/// - TensorFlow-Serving REST: `POST /v1/models/NAME[/versions/N|/labels/L]:predict`
///   (`instances` and `inputs` forms), model status and metadata;
/// - the Open Inference Protocol (KServe v2 / Triton): `POST /v2/models/NAME[/versions/N]/infer`
///   with the binary tensor extension, server and model health and metadata.
/// NAME is a deployment (the rollout picks the variant) or a registered model (latest version
/// unless a version or label is given). Errors are `{"error": "..."}`, as both protocols' clients expect.
/// The unit for sticky assignment is `user_id` / `cell_id` (query, `X-User-ID` / `X-Cell-ID`
/// headers, or OIP `parameters`); the request id is `X-Request-ID` or OIP `id`, echoed back.
struct InferenceController<Context: RequestContext> {
    let predictions: PredictionService

    func register(on table: RouteTable<Context>) {
        let predictions = self.predictions
        // TensorFlow Serving: the verb rides on the last segment (`mlp:predict`, `3:predict`).
        // Router parameters keep one name per position, so `:name` / `:version` carry the verb.
        table.add(.post, "/v1/models/:name", summary: "TF-Serving predict: /v1/models/NAME:predict", tag: "serving") { request, context in
            try await Self.tfPredict(predictions, request, context, target: try context.parameters.require("name"), selector: nil)
        }
        table.add(.post, "/v1/models/:name/versions/:version", summary: "TF-Serving predict on a version: .../versions/N:predict", tag: "serving") { request, context in
            try await Self.tfPredict(predictions, request, context, target: try context.parameters.require("version"), selector: .version)
        }
        table.add(.post, "/v1/models/:name/labels/:label", summary: "TF-Serving predict on a label: .../labels/L:predict", tag: "serving") { request, context in
            try await Self.tfPredict(predictions, request, context, target: try context.parameters.require("label"), selector: .label)
        }
        table.add(.get, "/v1/models/:name", summary: "TF-Serving model status", tag: "serving") { _, context in
            await Self.guarded(tf: true) {
                let model = try await predictions.describe(endpoint: try context.parameters.require("name"))
                return Self.tfStatus(model)
            }
        }
        table.add(.get, "/v1/models/:name/versions/:version", summary: "TF-Serving status of one version", tag: "serving") { _, context in
            await Self.guarded(tf: true) {
                Self.tfStatus(try await predictions.describe(endpoint: try context.parameters.require("name"), version: try context.parameters.require("version")))
            }
        }
        table.add(.get, "/v1/models/:name/metadata", summary: "TF-Serving model metadata (signature)", tag: "serving") { _, context in
            await Self.guarded(tf: true) {
                let model = try await predictions.describe(endpoint: try context.parameters.require("name"))
                let signature = model.model.signature
                func spec(_ t: TensorSpec) -> [String: Any] {
                    ["name": t.name, "dtype": t.datatype == .float ? "DT_FLOAT" : "DT_STRING",
                     "tensor_shape": ["dim": t.shape.map { ["size": String($0)] }]]
                }
                return JSONResponse.raw([
                    "model_spec": ["name": model.name, "version": model.version, "signature_name": ""],
                    "metadata": ["signature_def": ["signature_def": ["serving_default": [
                        "inputs": Dictionary(uniqueKeysWithValues: signature.inputs.map { ($0.name, spec($0)) }),
                        "outputs": Dictionary(uniqueKeysWithValues: signature.outputs.map { ($0.name, spec($0)) }),
                        "method_name": "tensorflow/serving/predict",
                    ]]]],
                ])
            }
        }

        // Open Inference Protocol.
        table.add(.get, "/v2", summary: "OIP server metadata", tag: "serving") { _, _ in
            JSONResponse.make(OIPServerMetadata(name: "mlplane", version: "1"))
        }
        table.add(.get, "/v2/health/live", summary: "OIP liveness", tag: "serving") { _, _ in JSONResponse.raw(["live": true]) }
        table.add(.get, "/v2/health/ready", summary: "OIP readiness", tag: "serving") { _, _ in JSONResponse.raw(["ready": true]) }
        for versioned in [false, true] {
            let base = versioned ? "/v2/models/:name/versions/:version" : "/v2/models/:name"
            table.add(.get, base, summary: "OIP model metadata", tag: "serving") { _, context in
                await Self.guarded(tf: false) {
                    let model = try await predictions.describe(endpoint: try context.parameters.require("name"), version: context.parameters.get("version"))
                    let s = model.model.signature
                    return JSONResponse.make(OIPModelMetadata(name: try context.parameters.require("name"), versions: [model.version], platform: "mlplane-" + model.model.kind,
                                                              inputs: s.inputs.map(Self.oipMetadata), outputs: s.outputs.map(Self.oipMetadata)))
                }
            }
            table.add(.get, base + "/ready", summary: "OIP model readiness", tag: "serving") { _, context in
                await Self.guarded(tf: false) {
                    let model = try await predictions.describe(endpoint: try context.parameters.require("name"), version: context.parameters.get("version"))
                    return JSONResponse.raw(["name": try context.parameters.require("name"), "version": model.version, "ready": true])
                }
            }
            table.add(.post, base + "/infer", summary: "OIP inference (JSON or binary tensors)", tag: "serving") { request, context in
                await Self.guarded(tf: false) {
                    try await Self.oipInfer(predictions, request, context, version: context.parameters.get("version"))
                }
            }
        }
    }

    enum Selector { case version, label }

    /// `.../NAME:predict` (or `N:predict`, `L:predict`).
    static func tfPredict(_ predictions: PredictionService, _ request: Request, _ context: Context, target: String, selector: Selector?) async throws -> Response {
        await guarded(tf: true) {
            guard target.hasSuffix(":predict") else {
                throw ServingError(.notFound, "unknown verb in '\(target)': only :predict is served")
            }
            let head = String(target.dropLast(":predict".count))
            let name = selector == nil ? head : try context.parameters.require("name")
            let version = selector == .version ? head : nil, label = selector == .label ? head : nil
            let body = try await Self.body(request)
            let requestID = request.headers[values: .init("X-Request-ID")!].first ?? UUID().uuidString
            var form = TFServingForm.row
            let result = try await predictions.predict(endpoint: name, version: version, label: label, unit: unit(request, parameters: nil),
                                                       requestID: requestID) { signature in
                let inputs = signature.inputs.map { (name: $0.name, datatype: $0.datatype == .float ? InferenceDataType.fp32 : .bytes, shape: $0.shape) }
                let decoded = try TFServingPredictRequest.decode(body: body, inputs: inputs)
                form = decoded.form
                return try servingInputs(decoded.tensors)
            }
            let outputs = result.signature.outputs.compactMap { spec in result.outputs[spec.name].map { inferenceTensor(spec.name, $0) } }
            return Response(status: .ok, headers: [.contentType: "application/json", .init("X-Request-ID")!: requestID],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: TFServingPredictResponse.encode(outputs: outputs, form: form))))
        }
    }

    static func oipInfer(_ predictions: PredictionService, _ request: Request, _ context: Context, version: String?) async throws -> Response {
        let name = try context.parameters.require("name")
        let headerLength = request.headers[values: .init("Inference-Header-Content-Length")!].first
        let jsonLength: Int?
        if let headerLength {
            guard let n = Int(headerLength), n >= 0 else { throw ServingError(.invalidInput, "Inference-Header-Content-Length must be a non-negative integer, got '\(headerLength)'") }
            jsonLength = n
        } else {
            jsonLength = nil
        }
        let decoded = try OIPInferRequest.decode(body: try await body(request), jsonHeaderLength: jsonLength)
        let requestID = decoded.id ?? request.headers[values: .init("X-Request-ID")!].first ?? UUID().uuidString
        let result = try await predictions.predict(endpoint: name, version: version, unit: unit(request, parameters: decoded),
                                                   requestID: requestID, inputs: try servingInputs(decoded.inputs))
        let names = result.signature.outputs.map(\.name)
        let selected = try decoded.selectedOutputs(modelOutputs: names)
        let response = OIPInferResponse(modelName: name, modelVersion: result.modelVersion, id: requestID,
                                        outputs: selected.compactMap { n in result.outputs[n].map { inferenceTensor(n, $0) } })
        let (bytes, length) = response.encode(binaryOutputs: decoded.binaryOutputNames(modelOutputs: names))
        var headers: HTTPFields = [.contentType: length == nil ? "application/json" : "application/octet-stream", .init("X-Request-ID")!: requestID]
        if let length { headers[.init("Inference-Header-Content-Length")!] = String(length) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Runs a handler and turns any error into the protocols' `{"error": "..."}` with the right status.
    static func guarded(tf: Bool, _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            let (status, message): (HTTPResponse.Status, String)
            switch error {
            case let e as InferenceCodecError: (status, message) = (.badRequest, e.message)
            case let e as ServingError:
                switch e.code {
                case .invalidInput, .invalidModel: (status, message) = (.badRequest, e.message)
                case .notFound: (status, message) = (.notFound, e.message)
                case .invalidState: (status, message) = (.conflict, e.message)
                case .unavailable: (status, message) = (.serviceUnavailable, e.message)
                }
            case is NIOTooManyBytesError: (status, message) = (.contentTooLarge, "request body too large")
            default:
                let api = APIError(error)
                (status, message) = (api.status, api.message)
            }
            return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: OIPError.body(message))))
        }
    }

    static func body(_ request: Request) async throws -> [UInt8] {
        let buffer = try await request.body.collect(upTo: 64 << 20)
        return Array(buffer.readableBytesView)
    }

    static func unit(_ request: Request, parameters: OIPInferRequest?) -> String? {
        let query = request.uri.queryParameters
        if let u = query["user_id"] ?? query["cell_id"] { return String(u) }
        if let u = request.headers[values: .init("X-User-ID")!].first ?? request.headers[values: .init("X-Cell-ID")!].first { return u }
        return parameters.flatMap { $0.parameters["user_id"] ?? $0.parameters["cell_id"] }
    }

    static func servingInputs(_ tensors: [InferenceTensor]) throws -> [String: ServingTensor] {
        var out: [String: ServingTensor] = [:]
        for t in tensors {
            guard out[t.name] == nil else { throw ServingError(.invalidInput, "input '\(t.name)' is given twice") }
            if case .bytes(let items) = t.values {
                out[t.name] = ServingTensor(shape: t.shape, strings: items.map { String(decoding: $0, as: UTF8.self) })
            } else {
                out[t.name] = ServingTensor(shape: t.shape, floats: try t.floats())
            }
        }
        return out
    }

    static func inferenceTensor(_ name: String, _ t: ServingTensor) -> InferenceTensor {
        switch t.values {
        case .floats(let f): InferenceTensor(name: name, shape: t.shape, floats: f)
        case .strings(let s): InferenceTensor(name: name, datatype: .bytes, shape: t.shape, values: .bytes(s.map { Array($0.utf8) }))
        }
    }

    static func oipMetadata(_ t: TensorSpec) -> OIPTensorMetadata {
        OIPTensorMetadata(name: t.name, datatype: t.datatype == .float ? .fp32 : .bytes, shape: t.shape)
    }

    static func tfStatus(_ model: LoadedModel) -> Response {
        JSONResponse.raw(["model_version_status": [["version": model.version, "state": "AVAILABLE", "status": ["error_code": "OK", "error_message": ""]]]])
    }
}
