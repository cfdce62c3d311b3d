import CausalEngine
import Hummingbird
import VectorIndex
import Logging
import NIOCore
import Platform
import Storage

/// An error answered to a client: an HTTP status, a stable MLflow-style `error_code` and a
/// message. Every domain error maps to one; anything unmapped is a 500 and a bug.
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    static func badRequest(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "INVALID_PARAMETER_VALUE", message: message)
    }

    static func malformed(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "MALFORMED_REQUEST", message: message)
    }

    static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, code: "RESOURCE_DOES_NOT_EXIST", message: message)
    }

}

extension APIError {
    /// Maps any thrown error to what the client sees.
    init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as StorageError:
            switch error.code {
            case .notFound: self.init(status: .notFound, code: "RESOURCE_DOES_NOT_EXIST", message: error.message)
            case .alreadyExists: self.init(status: .badRequest, code: "RESOURCE_ALREADY_EXISTS", message: error.message)
            case .unavailable: self.init(status: .serviceUnavailable, code: "TEMPORARILY_UNAVAILABLE", message: error.message)
            case .invalidInput: self.init(status: .badRequest, code: "INVALID_PARAMETER_VALUE", message: error.message)
            case .invalidState: self.init(status: .badRequest, code: "INVALID_STATE", message: error.message)
            default: self.init(status: .internalServerError, code: "INTERNAL_ERROR", message: error.message)
            }
        case let error as PlatformError:
            switch error.code {
            case .invalidState: self.init(status: .badRequest, code: "INVALID_STATE", message: error.message)
            case .notFound: self.init(status: .notFound, code: "RESOURCE_DOES_NOT_EXIST", message: error.message)
            case .alreadyExists: self.init(status: .badRequest, code: "RESOURCE_ALREADY_EXISTS", message: error.message)
            case .unavailable: self.init(status: .serviceUnavailable, code: "TEMPORARILY_UNAVAILABLE", message: error.message)
            default: self.init(status: .badRequest, code: "INVALID_PARAMETER_VALUE", message: error.message)
            }
        case let error as VectorIndexError:
            switch error.code {
            case .dimensionMismatch, .invalidValue, .invalidArgument, .unknownID:
                self.init(status: .badRequest, code: "INVALID_PARAMETER_VALUE", message: error.message)
            default:
                self.init(status: .internalServerError, code: "INTERNAL_ERROR", message: error.message)
            }
        case let error as ServingError:
            switch error.code {
            case .invalidInput, .invalidModel: self.init(status: .badRequest, code: "INVALID_PARAMETER_VALUE", message: error.message)
            case .notFound: self.init(status: .notFound, code: "RESOURCE_DOES_NOT_EXIST", message: error.message)
            case .invalidState: self.init(status: .conflict, code: "INVALID_STATE", message: error.message)
            case .unavailable: self.init(status: .serviceUnavailable, code: "TEMPORARILY_UNAVAILABLE", message: error.message)
            }
        case let error as CausalError:
            self.init(status: .badRequest, code: "INVALID_PARAMETER_VALUE", message: error.message)
        case is NIOTooManyBytesError:
            self.init(status: .contentTooLarge, code: "REQUEST_TOO_LARGE", message: "the request body is larger than \(RequestFields.maxJSONBody) bytes")
        case let error as HTTPError:
            let code = switch error.status {
            case .notFound: "ENDPOINT_NOT_FOUND"
            case .contentTooLarge: "REQUEST_TOO_LARGE"
            case .methodNotAllowed: "METHOD_NOT_ALLOWED"
            case .unauthorized: "UNAUTHENTICATED"
            case .forbidden: "PERMISSION_DENIED"
            default: error.status.code < 500 ? "BAD_REQUEST" : "INTERNAL_ERROR"
            }
            let message = error.body ?? (error.status == .notFound ? "no such endpoint" : error.status.reasonPhrase)
            self.init(status: error.status, code: code, message: message)
        default:
            self.init(status: .internalServerError, code: "INTERNAL_ERROR", message: "internal error: \(error)")
        }
    }
}

/// Turns every error thrown below it into a JSON error body, and logs the 5xx ones.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError(error)
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            }
            return JSONResponse.make(
                ["error_code": apiError.code, "message": apiError.message],
                status: apiError.status)
        }
    }
}
