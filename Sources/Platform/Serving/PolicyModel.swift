import RadioSim
import Reinforcement
import TensorCore

/// A trained PPO policy served deterministically: `observation` [-1, size] -> `action`
/// [-1, width] (choices as numbers, Gaussian actions clipped to their box).
public struct PolicyModel: ServableModel {
    public let policy: Policy
    public var kind: String { "ppo-policy" }
    public let signature: ModelSignature

    public init(policy: Policy) {
        self.policy = policy
        signature = ModelSignature(inputs: [TensorSpec(name: "observation", shape: [-1, policy.architecture.observationSize])],
                                   outputs: [TensorSpec(name: "action", shape: [-1, policy.architecture.action.width])])
    }

    /// A policy model from an already read file (`path` names it in errors).
    public static func load(_ file: SafeTensorsFile, path: String) throws(ServingError) -> PolicyModel {
        do { return PolicyModel(policy: try Policy.load(file, path: path)) } catch {
            throw ServingError(.invalidModel, error.message)
        }
    }

    public func predict(_ inputs: [String: ServingTensor], batchSize: Int) throws(ServingError) -> [String: ServingTensor] {
        let actions = policy.act(inputs["observation"]!.floats!)
        return ["action": ServingTensor(shape: [batchSize, policy.architecture.action.width], floats: actions)]
    }
}

/// The strongest-signal heuristic as a rule-based model over central radio observations
/// (per UE: connections N, SNR over the UE's best N, utility): connect each UE to the cell
/// whose SNR feature is highest and release the others, one toggle per step.
/// Source form: `rule:strongest_signal?ues=U&stations=N`.
public struct StrongestSignalRule: ServableModel {
    public let ues: Int
    public let stations: Int
    public var kind: String { "rule-based" }
    public let signature: ModelSignature

    public init(ues: Int, stations: Int) throws(ServingError) {
        guard ues >= 1, stations >= 1, ues * stations <= 1_000_000 else {
            throw ServingError(.invalidModel, "rule strongest_signal needs ues >= 1 and stations >= 1, got ues=\(ues) stations=\(stations)")
        }
        self.ues = ues
        self.stations = stations
        signature = ModelSignature(inputs: [TensorSpec(name: "observation", shape: [-1, ues * (2 * stations + 1)])],
                                   outputs: [TensorSpec(name: "action", shape: [-1, ues])])
    }

    public func predict(_ inputs: [String: ServingTensor], batchSize: Int) throws(ServingError) -> [String: ServingTensor] {
        let x = inputs["observation"]!.floats!
        let n = stations, block = 2 * n + 1
        var actions = [Float](repeating: 0, count: batchSize * ues)
        for row in 0..<batchSize {
            for u in 0..<ues {
                let base = row * ues * block + u * block
                var best = 0
                for s in 1..<n where x[base + n + s] > x[base + n + best] { best = s }
                var action = 0
                if x[base + best] < 0.5 {
                    action = best + 1
                } else if let other = (0..<n).first(where: { $0 != best && x[base + $0] > 0.5 }) {
                    action = other + 1
                }
                actions[row * ues + u] = Float(action)
            }
        }
        return ["action": ServingTensor(shape: [batchSize, ues], floats: actions)]
    }
}
