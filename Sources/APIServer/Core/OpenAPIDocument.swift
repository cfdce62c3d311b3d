import Foundation
import Hummingbird

/// Builds the OpenAPI 3.1 document from the routes the router actually serves.
enum OpenAPIDocument {
    static func build(routes: [DocumentedRoute]) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for route in routes {
            let path = route.openAPIPath
            var operation: [String: Any] = [
                "summary": route.summary,
                "tags": [route.tag],
                "operationId": operationID(route),
                "responses": [
                    "200": ["description": "Success"],
                    "400": ["description": "Invalid input", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]],
                    "404": ["description": "Not found", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]],
                ],
            ]
            let parameters: [[String: Any]] = route.path.split(separator: "/").compactMap { segment in
                if segment.hasPrefix(":") {
                    return ["name": String(segment.dropFirst()), "in": "path", "required": true, "schema": ["type": "string"]]
                }
                if segment == "**" {
                    return ["name": "path", "in": "path", "required": true, "schema": ["type": "string"], "description": "artifact path, may contain '/'"]
                }
                return nil
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if [.post, .put, .patch].contains(route.method) {
                let media = route.method == .put ? "application/octet-stream" : "application/json"
                operation["requestBody"] = ["content": [media: ["schema": media == "application/json" ? ["type": "object"] : ["type": "string", "format": "binary"]]]]
            }
            paths[path, default: [:]][route.method.rawValue.lowercased()] = operation
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "MLPlane", "version": MLPlaneVersion.current,
                     "description": "Experiment tracking, model registry and artifacts; MLflow REST 2.0 compatible."],
            "paths": paths,
            "components": ["schemas": ["Error": [
                "type": "object", "required": ["error_code", "message"],
                "properties": ["error_code": ["type": "string"], "message": ["type": "string"]],
            ]]],
        ]
    }

    static func operationID(_ route: DocumentedRoute) -> String {
        let words = route.path.split(whereSeparator: { "/-:.*".contains($0) }).map(String.init)
        return route.method.rawValue.lowercased() + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
