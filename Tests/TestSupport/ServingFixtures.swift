import Foundation
import Platform
import Storage
import TensorCore

/// Registered models for serving tests.
public enum ServingFixtures {
    /// A 2-class classifier over 2 inputs with one linear layer: `right` picks the larger
    /// input (label = arg-max x), otherwise the smaller one (always wrong on distinct inputs).
    public static func classifier(right: Bool) throws -> MLPModel {
        var g = SeededGenerator(seed: 0)
        let mlp = MLP(sizes: [2, 2], using: &g)
        mlp.layers[0].weight.value = right ? Tensor([[1, 0], [0, 1]]) : Tensor([[0, 1], [1, 0]])
        mlp.layers[0].bias!.value = Tensor([0, 0])
        return try MLPModel(card: MLPModel.Card(kind: "classifier", sizes: [2, 2], input: "input"), network: mlp)
    }

    /// A small regression MLP 4 -> 8 -> 3 (relu), seeded.
    public static func mlp(seed: UInt64 = 1) throws -> MLPModel {
        var g = SeededGenerator(seed: seed)
        return try MLPModel(card: MLPModel.Card(sizes: [4, 8, 3]), network: MLP(sizes: [4, 8, 3], using: &g))
    }

    /// Saves `model` as a run artifact and registers it as the next version of `name`.
    @discardableResult
    public static func register(_ model: MLPModel, as name: String, in services: PlatformServices) async throws -> String {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("model.safetensors")
        try model.save(to: file.path)
        let recorder = LocalExperimentRecorder(services: services)
        let run = try await recorder.startRun(experiment: "serving-fixtures", name: name, params: [:], tags: [:])
        try await recorder.logArtifact(run, path: "model/model.safetensors", contents: try Data(contentsOf: file))
        return try await recorder.registerVersion(model: name, run: run, path: "model", description: "", tags: [:])
    }
}
