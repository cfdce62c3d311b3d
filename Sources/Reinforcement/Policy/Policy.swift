import Foundation
import TensorCore

/// A trained policy ready to act: the actor-critic network and the observation statistics it
/// was trained with (frozen). Safe to share between tasks for acting; only the trainer mutates it.
///
/// Saved as one safetensors file: parameters by dotted name, `obs_rms.mean|var|count` when
/// observations are normalised, and the architecture plus caller metadata as JSON in
/// `__metadata__` (key `mlplane.policy`), so `load` needs nothing else.
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
        let output = network.policyNetwork(Tensor(shape: [observations.count / architecture.observationSize, architecture.observationSize], scalars: prepared(observations)))
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
        var normalizerClip: Float?
    }

    /// Writes the policy to `path` (safetensors).
    public func save(to path: String) throws(ReinforcementError) {
        var tensors = network.parameterMap()
        if let n = normalizer {
            tensors["obs_rms.mean"] = Tensor(n.mean.map(Float.init))
            tensors["obs_rms.var"] = Tensor(n.variance.map(Float.init))
            tensors["obs_rms.count"] = Tensor([Float(n.count)])
        }
        let header = SavedHeader(architecture: architecture, metadata: metadata, normalizerClip: normalizer?.clip)
        do {
            let json = String(decoding: try JSONEncoder().encode(header), as: UTF8.self)
            try SafeTensors.write(tensors, metadata: [Self.metadataKey: json], to: path)
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
        guard let json = file.metadata[metadataKey],
              let header = try? JSONDecoder().decode(SavedHeader.self, from: Data(json.utf8)) else {
            throw ReinforcementError(.invalidPolicy, "\(path) is not an MLPlane policy (no '\(metadataKey)' metadata)")
        }
        var g = SeededGenerator(seed: 0)
        let network = ActorCritic(header.architecture, using: &g)
        do { try network.load(file.tensors) } catch {
            throw ReinforcementError(.invalidPolicy, "policy \(path): \(error.message)")
        }
        var normalizer: ObservationNormalizer?
        if let clip = header.normalizerClip {
            guard let m = file.tensors["obs_rms.mean"], let v = file.tensors["obs_rms.var"], let c = file.tensors["obs_rms.count"],
                  m.count == header.architecture.observationSize, v.count == m.count, c.count == 1 else {
                throw ReinforcementError(.invalidPolicy, "policy \(path): observation statistics 'obs_rms.*' are missing or have the wrong size")
            }
            normalizer = ObservationNormalizer(mean: m.scalars.map(Double.init), variance: v.scalars.map(Double.init),
                                               count: Double(c.scalars[0]), clip: clip)
        }
        return Policy(network: network, normalizer: normalizer, metadata: header.metadata)
    }
}
