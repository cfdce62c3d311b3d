import Foundation
import TensorCore

/// A TensorCore MLP served as a regressor (`mlp`: one output) or a classifier (`classifier`:
/// softmax `probabilities` and the arg-max `label`).
///
/// File format: one safetensors file with the MLP's parameters (`layers.N.weight|bias`,
/// PyTorch layout) and, in `__metadata__["mlplane.model"]`, the JSON `ModelCard`.
public final class MLPModel: ServableModel, @unchecked Sendable {
    /// The description stored next to the weights.
    public struct Card: Sendable, Codable, Hashable {
        public var kind: String
        public var sizes: [Int]
        public var activation: Activation
        public var input: String
        public var output: String

        public init(kind: String = "mlp", sizes: [Int], activation: Activation = .relu, input: String = "input", output: String = "output") {
            self.kind = kind
            self.sizes = sizes
            self.activation = activation
            self.input = input
            self.output = output
        }
    }

    public static let metadataKey = "mlplane.model"

    public let card: Card
    public let network: MLP
    public var kind: String { card.kind }
    public let signature: ModelSignature

    public init(card: Card, network: MLP) throws(ServingError) {
        guard ["mlp", "classifier"].contains(card.kind) else {
            throw ServingError(.invalidModel, "model kind must be mlp or classifier, got '\(card.kind)'")
        }
        guard card.sizes.count >= 2, card.sizes.allSatisfy({ $0 >= 1 }) else {
            throw ServingError(.invalidModel, "model sizes must list at least input and output widths, got \(card.sizes)")
        }
        self.card = card
        self.network = network
        let input = TensorSpec(name: card.input, shape: [-1, card.sizes.first!])
        let width = card.sizes.last!
        signature = card.kind == "classifier"
            ? ModelSignature(inputs: [input], outputs: [TensorSpec(name: "probabilities", shape: [-1, width]), TensorSpec(name: "label", shape: [-1])])
            : ModelSignature(inputs: [input], outputs: [TensorSpec(name: card.output, shape: [-1, width])])
    }

    /// Reads a model file written by `save(to:)`.
    public static func load(from path: String) throws(ServingError) -> MLPModel {
        let file: SafeTensorsFile
        do { file = try SafeTensors.read(path) } catch {
            throw ServingError(.invalidModel, "cannot read model file: \(error.message)")
        }
        return try load(file)
    }

    /// A model from an already read file.
    public static func load(_ file: SafeTensorsFile) throws(ServingError) -> MLPModel {
        guard let json = file.metadata[metadataKey] else {
            throw ServingError(.invalidModel, "the model file has no '\(metadataKey)' metadata")
        }
        let card: Card
        do { card = try JSONDecoder().decode(Card.self, from: Data(json.utf8)) } catch {
            throw ServingError(.invalidModel, "'\(metadataKey)' metadata is not a valid model card: \(error)")
        }
        var g = SeededGenerator(seed: 0)
        let network = MLP(sizes: card.sizes, activation: card.activation, using: &g)
        do { try network.load(file.tensors) } catch {
            throw ServingError(.invalidModel, "model weights: \(error.message)")
        }
        return try MLPModel(card: card, network: network)
    }

    /// Writes the weights and the card (the format `load(from:)` reads).
    public func save(to path: String) throws(ServingError) {
        do {
            let json = String(decoding: try JSONEncoder().encode(card), as: UTF8.self)
            try SafeTensors.write(network.parameterMap(), metadata: [Self.metadataKey: json], to: path)
        } catch {
            throw ServingError(.invalidModel, "cannot write model file \(path): \(error)")
        }
    }

    public func predict(_ inputs: [String: ServingTensor], batchSize: Int) throws(ServingError) -> [String: ServingTensor] {
        let x = inputs[card.input]!.floats!
        let width = card.sizes.last!
        let y = network(Tensor(shape: [batchSize, card.sizes.first!], scalars: x))
        guard card.kind == "classifier" else { return [card.output: ServingTensor(shape: [batchSize, width], floats: y.scalars)] }
        let probabilities = y.softmax()
        let labels = probabilities.argmaxLastAxis().map(Float.init)
        return ["probabilities": ServingTensor(shape: [batchSize, width], floats: probabilities.scalars),
                "label": ServingTensor(shape: [batchSize], floats: labels)]
    }
}
