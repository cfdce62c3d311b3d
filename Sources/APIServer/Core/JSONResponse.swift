import Foundation
import Hummingbird
import NIOCore

/// JSON encoding shared by every route: snake_case keys are spelled in the wire types,
/// non-finite doubles as the strings protobuf JSON uses ("NaN", "Infinity", "-Infinity").
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        do {
            let data = try encoder.encode(value)
            return Response(
                status: status, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            return Response(status: .internalServerError, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"error_code":"INTERNAL_ERROR","message":"response encoding failed"}"#)))
        }
    }

    /// `{}`: what MLflow answers for calls that return nothing.
    static var empty: Response { make([String: String]()) }

    static func raw(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
