import Foundation
import TensorCore

/// A trained policy ready to act: the actor-critic network and the observation statistics it
/// was trained with (frozen). Safe to share between tasks for acting; only the trainer mutates it.
///
/// Saved as one safetensors file: parameters by dotted name, and the architecture, the
/// observation statistics (exact, in Double) and caller metadata as JSON in `__metadata__`
/// (key `mlplane.policy`), so `load` needs nothing else and acts bit for bit the same.
public final class Policy: @unchecked Sendable {
    public let network: ActorCritic
    public internal(set) var normalizer: ObservationNormalizer?
    /// Free-form facts saved with the policy (scenario, variant, training steps, ...).
    public var metadata: [String: String]

    public init(network: ActorCritic, normalizer: ObservationNormalizer?, metadata: [String: String] = [:]) {
        self.network = network
        self.normalizer = normalizer
        self.metadata = metadata
    }

    public var architecture: PolicyArchitecture { network.architecture }

    /// Observations as the network sees them (normalised when trained so).
    func prepared(_ observations: [Float]) -> [Float] {
        normalizer?.normalize(observations) ?? observations
    }


    /// Actions for a batch of observations (row-major, `observationSize` per row): `width`
    /// entries per row, Gaussian actions clipped to their box. `deterministic` (the default,
    /// for evaluation and serving) takes the most likely action; otherwise it samples from
    /// `generator`.
    public func act(_ observations: [Float], deterministic: Bool = true,
                    using generator: inout SeededGenerator) -> [Float] {
        let d = architecture.observationSize
        let output = network.policyOutput(Tensor(shape: [observations.count / d, d], scalars: prepared(observations)))
        let sampled = architecture.action.sample(output: output, logStd: network.logStd?.value,
                                                 deterministic: deterministic, using: &generator)
        return architecture.action.clipped(sampled.actions)
    }

    /// The deterministic action for a batch of observations.
    public func act(_ observations: [Float]) -> [Float] {
        var unused = SeededGenerator(seed: 0)
        return act(observations, deterministic: true, using: &unused)
    }

    /// Checks a batch of observations from an untrusted caller.
    public func validate(observations: [Float]) throws(ReinforcementError) {
        let d = architecture.observationSize
        guard !observations.isEmpty, observations.count % d == 0 else {
            throw ReinforcementError(.invalidObservation, "observations need a multiple of \(d) values, got \(observations.count)")
        }
        if let i = observations.firstIndex(where: { !$0.isFinite }) {
            throw ReinforcementError(.invalidObservation, "observation value \(i) is not a finite number")
        }
    }

    // MARK: persistence

    static let metadataKey = "mlplane.policy"

    struct SavedHeader: Codable {
        var architecture: PolicyArchitecture
        var metadata: [String: String]
        var normalizer: ObservationNormalizer?
    }

    /// Writes the policy to `path` (safetensors). `extraTensors` and `extraMetadata` ride
    /// along (a trainer's checkpoint stores its optimizer state there).
    public func save(to path: String, extraTensors: [String: Tensor] = [:], extraMetadata: [String: String] = [:]) throws(ReinforcementError) {
        let tensors = network.parameterMap().merging(extraTensors) { a, _ in a }
        let header = SavedHeader(architecture: architecture, metadata: metadata, normalizer: normalizer)
        do {
            let json = String(decoding: try JSONEncoder().encode(header), as: UTF8.self)
            try SafeTensors.write(tensors, metadata: extraMetadata.merging([Self.metadataKey: json]) { _, b in b }, to: path)
        } catch {
            throw ReinforcementError(.io, "cannot write policy to \(path): \(error)")
        }
    }

    /// Reads a policy written by `save(to:)`; a missing file, a file that is not a policy or a
    /// tensor with the wrong shape is a typed error naming it.
    public static func load(from path: String) throws(ReinforcementError) -> Policy {
        let file: SafeTensorsFile
        do { file = try SafeTensors.read(path) } catch {
            throw ReinforcementError(.invalidPolicy, "cannot read policy \(path): \(error)")
        }
        return try load(file, path: path)
    }

    /// A policy from an already read file (`path` names it in errors).
    public static func load(_ file: SafeTensorsFile, path: String) throws(ReinforcementError) -> Policy {
        guard let json = file.metadata[metadataKey],
              let header = try? JSONDecoder().decode(SavedHeader.self, from: Data(json.utf8)) else {
            throw ReinforcementError(.invalidPolicy, "\(path) is not an MLPlane policy (no '\(metadataKey)' metadata)")
        }
        var g = SeededGenerator(seed: 0)
        do { try header.architecture.validate() } catch {
            throw ReinforcementError(.invalidPolicy, "policy \(path): \(error.message)")
        }
        let network = ActorCritic(header.architecture, using: &g)
        do { try network.load(file.tensors) } catch {
            throw ReinforcementError(.invalidPolicy, "policy \(path): \(error.message)")
        }
        if let n = header.normalizer, n.size != header.architecture.observationSize {
            throw ReinforcementError(.invalidPolicy, "policy \(path): observation statistics have \(n.size) entries, the network expects \(header.architecture.observationSize)")
        }
        return Policy(network: network, normalizer: header.normalizer, metadata: header.metadata)
    }
}
