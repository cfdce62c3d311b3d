import APIServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Platform
import TensorCore
import TestSupport
import Testing

/// Serving and rollouts through the HTTP API only: models registered with the MLflow REST API
/// and the artifact proxy, deployments through /api/v1/deployments, predictions through the
/// TF-Serving and OIP endpoints, feedback through /api/v1/deployments/NAME/feedback.
@Suite("Serving and rollouts over HTTP")
struct ServingTests {
    /// Uploads a model file as a run artifact and registers it; returns the version.
    static func register(_ model: MLPModel, as name: String, client: any TestClientProtocol) async throws -> String {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("model.safetensors")
        try model.save(to: file.path)
        let experiment = try await client.call(.post, "\(mlflow)/experiments/create", json: ["name": "serving-\(UUID().uuidString)"]).body
        let run = try await client.call(.post, "\(mlflow)/runs/create", json: ["experiment_id": experiment["experiment_id"] as! String]).body
        let info = (run["run"] as! [String: Any])["info"] as! [String: Any]
        let artifactURI = info["artifact_uri"] as! String
        let storePath = String(artifactURI.dropFirst("mlflow-artifacts:/".count))
        let upload = try await client.execute(uri: "/api/2.0/mlflow-artifacts/artifacts/\(storePath)/model/model.safetensors", method: .put,
                                              headers: [:], body: ByteBuffer(bytes: try Data(contentsOf: file))) { $0.status }
        #expect(upload == .ok)
        _ = try await client.call(.post, "\(mlflow)/registered-models/create", json: ["name": name])
        let version = try await client.call(.post, "\(mlflow)/model-versions/create",
                                            json: ["name": name, "source": artifactURI + "/model", "run_id": info["run_id"] as! String]).body
        return (version["model_version"] as! [String: Any])["version"] as! String
    }

    /// One TF-Serving predict for a unit, then its true label as feedback. Returns the label predicted.
    static func predictAndLabel(_ client: any TestClientProtocol, deployment: String, index i: Int) async throws -> Double {
        let x: [Double] = i % 2 == 0 ? [1, 0] : [0, 1]
        let requestID = "\(deployment)-\(i)"
        let (status, label) = try await client.execute(uri: "/v1/models/\(deployment):predict?user_id=user-\(i)", method: .post,
                                                       headers: [.contentType: "application/json", .init("X-Request-ID")!: requestID],
                                                       body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["instances": [x]]))) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
            let prediction = (object?["predictions"] as? [[String: Any]])?.first
            return (response.status, prediction?["label"] as? Double ?? -1)
        }
        #expect(status == .ok)
        let feedback = try await client.call(.post, "/api/v1/deployments/\(deployment)/feedback", json: ["request_id": requestID, "label": i % 2 == 0 ? 0 : 1])
        #expect(feedback.status == .ok)
        return label
    }

    static func phase(_ client: any TestClientProtocol, _ name: String) async throws -> (phase: String, percent: Double) {
        let d = try await client.call(.get, "/api/v1/deployments/\(name)").body["deployment"] as! [String: Any]
        let state = d["state"] as! [String: Any]
        return (state["phase"] as! String, state["candidate_percent"] as! Double)
    }

    /// The end-to-end check: a worse candidate is rolled back by itself, a better one
    /// is promoted to 100 percent.
    @Test func canaryRollsBackTheWorseAndPromotesTheBetter() async throws {
        try await withAPI { client, _ in
            let right = try await Self.register(ServingFixtures.classifier(right: true), as: "clf", client: client)
            let wrong = try await Self.register(ServingFixtures.classifier(right: false), as: "clf", client: client)
            #expect([right, wrong] == ["1", "2"])

            let gates: [String: Any] = ["min_accuracy": 0.9, "max_error_rate": 0.05, "max_p95_latency_ms": 1000]
            let worse = try await client.call(.post, "/api/v1/deployments", json: [
                "name": "clf-worse", "strategy": "canary", "baseline": "clf:1", "candidate": "clf:2", "min_samples": 20, "gates": gates])
            #expect(worse.status == .created)
            var i = 0
            while try await Self.phase(client, "clf-worse").phase == "progressing", i < 2000 {
                _ = try await Self.predictAndLabel(client, deployment: "clf-worse", index: i)
                i += 1
            }
            #expect(try await Self.phase(client, "clf-worse") == ("rolled_back", 0))
            let history = try await client.call(.get, "/api/v1/deployments/clf-worse/history").body["events"] as! [[String: Any]]
            #expect(history.map { $0["kind"] as! String } == ["created", "rolled_back"])
            #expect((history.last?["reason"] as? String)?.contains("accuracy") == true)
            // Rolled back: every unit gets the right baseline again.
            for j in 0..<20 { #expect(try await Self.predictAndLabel(client, deployment: "clf-worse", index: 10_000 + j) == Double(j % 2)) }

            let better = try await client.call(.post, "/api/v1/deployments", json: [
                "name": "clf-better", "strategy": "canary", "baseline": "clf:2", "candidate": "clf:1", "min_samples": 20, "gates": gates])
            #expect(better.status == .created)
            i = 0
            while try await Self.phase(client, "clf-better").phase == "progressing", i < 5000 {
                _ = try await Self.predictAndLabel(client, deployment: "clf-better", index: i)
                i += 1
            }
            #expect(try await Self.phase(client, "clf-better") == ("promoted", 100))
            let steps = try await client.call(.get, "/api/v1/deployments/clf-better/history").body["events"] as! [[String: Any]]
            #expect(steps.map { $0["candidate_percent"] as! Double } == [10, 25, 50, 75, 100, 100])
            for j in 0..<10 { #expect(try await Self.predictAndLabel(client, deployment: "clf-better", index: 20_000 + j) == Double(j % 2)) }
        }
    }

    @Test func oipAndTFServingAnswerAndRejectBadInput() async throws {
        try await withAPI { client, _ in
            let model = try ServingFixtures.mlp()
            _ = try await Self.register(model, as: "mlp", client: client)
            let x: [Float] = [0.5, -1, 2, 0.25]
            let expected = model.network(Tensor(shape: [1, 4], scalars: x)).scalars

            let oip = try await client.call(.post, "/v2/models/mlp/infer", json: [
                "id": "r1", "inputs": [["name": "input", "datatype": "FP32", "shape": [1, 4], "data": x.map(Double.init)]]])
            #expect(oip.status == .ok)
            #expect(oip.body["id"] as? String == "r1" && oip.body["model_version"] as? String == "1")
            let output = (oip.body["outputs"] as? [[String: Any]])?.first
            #expect(output?["name"] as? String == "output" && output?["shape"] as? [Int] == [1, 3])
            let values = (output?["data"] as? [Double] ?? []).map(Float.init)
            #expect(values.count == 3 && zip(values, expected).allSatisfy { abs($0 - $1) < 1e-5 })

            let tf = try await client.call(.post, "/v1/models/mlp/versions/1:predict", json: ["instances": [x.map(Double.init), x.map(Double.init)]])
            #expect(tf.status == .ok)
            #expect((tf.body["predictions"] as? [[Double]])?.count == 2)

            let metadata = try await client.call(.get, "/v2/models/mlp")
            #expect((metadata.body["inputs"] as? [[String: Any]])?.first?["shape"] as? [Int] == [-1, 4])
            #expect(try await client.call(.get, "/v2/models/mlp/ready").status == .ok)
            #expect(try await client.call(.get, "/v1/models/mlp").status == .ok)

            let wrongShape = try await client.call(.post, "/v2/models/mlp/infer", json: [
                "inputs": [["name": "input", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3]]]])
            #expect(wrongShape.status == .badRequest)
            #expect((wrongShape.body["error"] as? String)?.contains("input") == true, "\(wrongShape.body)")
            #expect((wrongShape.body["error"] as? String)?.contains("[-1, 4]") == true, "\(wrongShape.body)")
            let tfWrong = try await client.call(.post, "/v1/models/mlp:predict", json: ["instances": [[1, 2]]])
            #expect(tfWrong.status == .badRequest && tfWrong.body["error"] != nil)
            #expect(try await client.call(.post, "/v1/models/mlp:predict", raw: "{not json").status == .badRequest)
            #expect(try await client.call(.post, "/v2/models/nope/infer", json: [
                "inputs": [["name": "input", "datatype": "FP32", "shape": [1, 4], "data": [1, 2, 3, 4]]]]).status == .notFound)
            #expect(try await client.call(.post, "/v1/models/mlp:classify", json: ["instances": [x.map(Double.init)]]).status == .notFound)
        }
    }
}
