import APIServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Every class of bad input gets a 4xx with an `error_code` and a message, never a 5xx.
@Suite("Bad input")
struct BadInputTests {
    @Test func malformedJSONWrongTypesMissingFields() async throws {
        try await withAPI { client, _ in
            var r = try await client.call(.post, "\(mlflow)/experiments/create", raw: "{not json")
            #expect(r.status == .badRequest && r.body["error_code"] as? String == "MALFORMED_REQUEST")
            r = try await client.call(.post, "\(mlflow)/experiments/create", raw: "[1, 2]")
            #expect(r.status == .badRequest && (r.body["message"] as? String)?.contains("JSON object") == true)
            r = try await client.call(.post, "\(mlflow)/experiments/create", json: ["name": ["a list"]])
            #expect(r.status == .badRequest && (r.body["message"] as? String)?.contains("'name' must be a string") == true)
            r = try await client.call(.post, "\(mlflow)/experiments/create", json: [:])
            #expect(r.status == .badRequest && (r.body["message"] as? String)?.contains("'name'") == true)
            r = try await client.call(.post, "\(mlflow)/runs/create", json: ["experiment_id": "0", "start_time": "yesterday"])
            #expect(r.status == .badRequest && (r.body["message"] as? String)?.contains("'start_time' must be an integer") == true)
            r = try await client.call(.post, "\(mlflow)/runs/create", json: ["experiment_id": "0", "start_time": 1.5])
            #expect(r.status == .badRequest)
            let run = try await client.call(.post, "\(mlflow)/runs/create", json: ["experiment_id": "0"])
            let runID = ((run.body["run"] as? [String: Any])?["info"] as? [String: Any])?["run_id"] as? String ?? ""
            r = try await client.call(.post, "\(mlflow)/runs/log-metric", json: ["run_id": runID, "key": "m", "value": "high", "timestamp": 1])
            #expect(r.status == .badRequest && (r.body["message"] as? String)?.contains("'value' must be a number") == true)
            r = try await client.call(.post, "\(mlflow)/runs/log-metric", json: ["run_id": runID, "key": "../etc", "value": 1, "timestamp": 1])
            #expect(r.status == .badRequest && r.body["error_code"] as? String == "INVALID_PARAMETER_VALUE")
            r = try await client.call(.post, "\(mlflow)/runs/log-batch", json: ["run_id": runID, "metrics": [["key": "m", "value": 1]]])
            #expect(r.status == .badRequest && (r.body["message"] as? String)?.contains("timestamp") == true)
            r = try await client.call(.post, "\(mlflow)/runs/log-batch", json: ["run_id": runID, "params": "lr=1"])
            #expect(r.status == .badRequest)
            r = try await client.call(.post, "\(mlflow)/runs/update", json: ["run_id": runID, "status": "DONE"])
            #expect(r.status == .badRequest && (r.body["message"] as? String)?.contains("FINISHED") == true)
        }
    }

    @Test func unknownIDsAre404() async throws {
        try await withAPI { client, _ in
            for uri in ["\(mlflow)/experiments/get?experiment_id=42", "\(mlflow)/runs/get?run_id=nope",
                        "\(mlflow)/registered-models/get?name=nope", "\(mlflow)/model-versions/get?name=nope&version=1",
                        "\(mlflow)/logged-models/m-nope", "/api/v1/runs/nope", "/api/2.0/mlflow-artifacts/artifacts/0/x/file.txt"] {
                let r = try await client.call(.get, uri)
                #expect(r.status == .notFound, "\(uri)")
                #expect(r.body["error_code"] as? String == "RESOURCE_DOES_NOT_EXIST", "\(uri)")
            }
            let r = try await client.call(.get, "/api/2.0/mlflow/no-such-endpoint")
            #expect(r.status == .notFound && r.body["error_code"] as? String == "ENDPOINT_NOT_FOUND")
        }
    }

    @Test func duplicatesAre400AndBadFiltersNameTheProblem() async throws {
        try await withAPI { client, _ in
            #expect(try await client.call(.post, "\(mlflow)/experiments/create", json: ["name": "x"]).status == .ok)
            let duplicate = try await client.call(.post, "\(mlflow)/experiments/create", json: ["name": "x"])
            #expect(duplicate.status == .badRequest && duplicate.body["error_code"] as? String == "RESOURCE_ALREADY_EXISTS")
            let filter = try await client.call(.post, "\(mlflow)/runs/search", json: ["experiment_ids": ["0"], "filter": "metrics.rmse <> 'x'"])
            #expect(filter.status == .badRequest && (filter.body["message"] as? String)?.contains("metrics.rmse") == true)
            let token = try await client.call(.post, "\(mlflow)/runs/search", json: ["experiment_ids": ["0"], "page_token": "%%%"])
            #expect(token.status == .badRequest && (token.body["message"] as? String)?.contains("page_token") == true)
            let maxResults = try await client.call(.post, "\(mlflow)/runs/search", json: ["experiment_ids": ["0"], "max_results": 0])
            #expect(maxResults.status == .badRequest)
        }
    }

    @Test func oversizedBodiesAre413() async throws {
        try await withAPI { client, _ in
            let huge = String(repeating: "x", count: 17 * 1024 * 1024)
            let r = try await client.call(.post, "\(mlflow)/experiments/create", raw: "{\"name\": \"\(huge)\"}")
            #expect(r.status == .contentTooLarge && r.body["error_code"] as? String == "REQUEST_TOO_LARGE")
        }
    }

    @Test func badArtifactPathsAre400() async throws {
        try await withAPI { client, _ in
            for path in ["0/../../etc/passwd", "0/./dot", "0/%2E%2E/x", "0/a%00b"] {
                let r = try await client.execute(uri: "/api/2.0/mlflow-artifacts/artifacts/\(path)", method: .put, body: ByteBuffer(string: "x")) { $0.status }
                #expect(r == .badRequest, "\(path)")
            }
        }
    }

    /// Garbage of many shapes, sent to every documented POST/PATCH/DELETE route, never yields a 5xx.
    @Test func noInputMakesA5xx() async throws {
        try await TestDatabasesHelper.withRoutes { client, routes in
            let bodies = ["", "{}", "null", "[]", "{\"run_id\": 5}", "{\"name\": null, \"experiment_id\": {}}", "{\"metrics\": [1, 2]}",
                          "{\"tags\": [{\"key\": 7}]}", "{\"max_results\": 1e300}", "{\"version\": \"-1\", \"name\": \"m\"}", "\u{0}\u{1}", "{\"filter\": \"((\"}"]
            for route in routes where route.method != .get && !route.path.contains("**") {
                let uri = route.path.replacingOccurrences(of: ":model_id", with: "m-x").replacingOccurrences(of: ":tag_key", with: "k")
                    .replacingOccurrences(of: ":run_id", with: "r").replacingOccurrences(of: ":name", with: "n").replacingOccurrences(of: ":alias", with: "a")
                    .replacingOccurrences(of: ":experiment_id", with: "0").replacingOccurrences(of: ":version", with: "1").replacingOccurrences(of: ":key", with: "k").replacingOccurrences(of: ":label", with: "l")
                for body in bodies {
                    let r = try await client.call(route.method, uri, raw: body)
                    #expect(r.status.code < 500, "\(route.method) \(uri) with \(body.debugDescription) -> \(r.status) \(r.body)")
                    // The serving protocols answer errors as their clients expect: {"error": "..."}.
                    let servingProtocol = uri.hasPrefix("/v1/models") || uri.hasPrefix("/v2/")
                    #expect(r.status.code < 300 || r.body["error_code"] is String || (servingProtocol && r.body["error"] is String),
                            "\(route.method) \(uri) error without error_code")
                }
            }
        }
    }
}
