import Foundation
import TensorCore

/// Resumable training: the policy file plus the optimizer state and counters.
extension PPOTrainer {

    struct CheckpointState: Codable {
        var timesteps: Int
        var iterations: Int
        var episodeReturns: [Double]
        var configuration: PPOConfiguration
    }

    static var checkpointKey: String { "mlplane.ppo" }

    /// Saves a resumable checkpoint: the policy (loadable by `Policy.load` like any policy
    /// file), the Adam moments under `optimizer.*`, and the step counters.
    public func saveCheckpoint(to path: String) throws(ReinforcementError) {
        let state = CheckpointState(timesteps: timesteps, iterations: iterations, episodeReturns: episodeReturns, configuration: configuration)
        let json: String
        do { json = String(decoding: try JSONEncoder().encode(state), as: UTF8.self) } catch {
            throw ReinforcementError(.io, "cannot encode the trainer state: \(error)")
        }
        var optimizerTensors: [String: Tensor] = [:]
        for (k, v) in optimizer.state() { optimizerTensors["optimizer." + k] = v }
        try policy.save(to: path, extraTensors: optimizerTensors, extraMetadata: [Self.checkpointKey: json])
    }

    /// Continues from a checkpoint written by `saveCheckpoint` for the same environment and
    /// architecture: weights, observation statistics, optimizer moments and counters. The
    /// environments restart from fresh episodes.
    public func restore(from path: String) throws(ReinforcementError) {
        let file: SafeTensorsFile
        do { file = try SafeTensors.read(path) } catch { throw ReinforcementError(.invalidPolicy, "cannot read checkpoint \(path): \(error.message)") }
        guard let json = file.metadata[Self.checkpointKey],
              let state = try? JSONDecoder().decode(CheckpointState.self, from: Data(json.utf8)) else {
            throw ReinforcementError(.invalidPolicy, "\(path) is a policy but not a training checkpoint (no '\(Self.checkpointKey)' metadata)")
        }
        let saved = try Policy.load(file, path: path)
        guard saved.architecture == policy.architecture else {
            throw ReinforcementError(.invalidPolicy, "checkpoint \(path) has another architecture than this trainer's")
        }
        var optimizerState: [String: Tensor] = [:]
        for (k, v) in file.tensors where k.hasPrefix("optimizer.") { optimizerState[String(k.dropFirst("optimizer.".count))] = v }
        do {
            try optimizer.load(state: optimizerState)
            try policy.network.load(saved.network.parameterMap())
        } catch { throw ReinforcementError(.invalidPolicy, "checkpoint \(path): \(error.message)") }
        policy.normalizer = saved.normalizer
        timesteps = state.timesteps
        iterations = state.iterations
        episodeReturns = state.episodeReturns
    }
}
