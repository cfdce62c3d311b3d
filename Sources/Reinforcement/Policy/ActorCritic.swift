import TensorCore

/// The shape of a policy network: what it sees, how it acts, its hidden layers.
public struct PolicyArchitecture: Sendable, Hashable, Codable {
    public var observationSize: Int
    public var action: ActionKind
    /// Hidden layer widths of both the policy and the value network (SB3: [64, 64]).
    public var hiddenSizes: [Int]
    public var activation: Activation
    /// 1 for an ordinary policy. k > 1 splits the observation into k equal per-agent blocks
    /// and the action into k equal groups of components: one policy network, shared by all
    /// blocks, maps a block to its group (parameter sharing), while the value network sees the
    /// whole observation (a centralised critic). A central radio agent controlling U UEs is
    /// then U copies of one per-UE policy, which learns U times faster per step.
    public var agentBlocks: Int

    public init(observationSize: Int, action: ActionKind, hiddenSizes: [Int] = [64, 64], activation: Activation = .tanh,
                agentBlocks: Int = 1) {
        self.observationSize = observationSize
        self.action = action
        self.hiddenSizes = hiddenSizes
        self.activation = activation
        self.agentBlocks = agentBlocks
    }

    /// Throws unless the observation and the action split evenly into `agentBlocks` blocks.
    func validate() throws(ReinforcementError) {
        guard agentBlocks >= 1, observationSize % agentBlocks == 0, action.width % agentBlocks == 0,
              action.outputSize % agentBlocks == 0 else {
            throw ReinforcementError(.invalidConfiguration,
                                     "agent_blocks \(agentBlocks) must divide the observation size \(observationSize) and the action width \(action.width)")
        }
        if agentBlocks > 1, case .categorical(let counts) = action {
            let group = counts.count / agentBlocks
            guard (0..<agentBlocks).allSatisfy({ Array(counts[($0 * group)..<(($0 + 1) * group)]) == Array(counts[0..<group]) }) else {
                throw ReinforcementError(.invalidConfiguration, "agent_blocks \(agentBlocks): every block needs the same action counts")
            }
        }
    }
}

/// Separate policy and value MLPs over the same observation (Stable-Baselines3's default
/// `MlpPolicy` for PPO), plus a state-independent log standard deviation for Gaussian actions.
///
/// Parameters are named `pi.layers.N.*`, `vf.layers.N.*` and `log_std`. Initialised as SB3:
/// orthogonal weights with gain √2 in hidden layers, 0.01 for the action head and 1 for the
/// value head; zero biases; log_std 0.
public final class ActorCritic: Module, @unchecked Sendable {
    public let architecture: PolicyArchitecture
    public let policyNetwork: MLP
    public let valueNetwork: MLP
    public let logStd: Parameter?

    public init(_ architecture: PolicyArchitecture, using g: inout SeededGenerator) {
        self.architecture = architecture
        let k = architecture.agentBlocks
        policyNetwork = MLP(sizes: [architecture.observationSize / k] + architecture.hiddenSizes + [architecture.action.outputSize / k],
                            activation: architecture.activation, using: &g)
        valueNetwork = MLP(sizes: [architecture.observationSize] + architecture.hiddenSizes + [1],
                           activation: architecture.activation, using: &g)
        if case .gaussian(let low, _) = architecture.action {
            logStd = Parameter(.zeros([low.count]))
        } else {
            logStd = nil
        }
        for (network, headGain) in [(policyNetwork, Float(0.01)), (valueNetwork, Float(1))] {
            for (i, layer) in network.layers.enumerated() {
                let gain = i == network.layers.count - 1 ? headGain : Float(2).squareRoot()
                layer.weight.value = .orthogonal(rows: layer.outFeatures, cols: layer.inFeatures, gain: gain, using: &g)
                layer.bias?.value = .zeros([layer.outFeatures])
            }
        }
    }

    public var localParameters: [(name: String, parameter: Parameter)] {
        logStd.map { [("log_std", $0)] } ?? []
    }

    public var children: [(name: String, module: any Module)] {
        [("pi", policyNetwork), ("vf", valueNetwork)]
    }
}

extension ActorCritic {
    /// Policy head outputs `[B, outputSize]` for observations `[B, observationSize]`
    /// (per-block through the shared network when `agentBlocks > 1`).
    func policyOutput(_ x: Variable) -> Variable {
        let k = architecture.agentBlocks, b = x.shape[0]
        guard k > 1 else { return policyNetwork(x) }
        return policyNetwork(x.reshaped([b * k, architecture.observationSize / k])).reshaped([b, architecture.action.outputSize])
    }

    /// `policyOutput` without a tape.
    func policyOutput(_ x: Tensor) -> Tensor { policyOutput(Variable(x)).value }

    /// Policy head outputs `[rows, outputSize]` and values for row-major observations that
    /// are already normalised, without a tape.
    func forward(_ observations: [Float]) -> (output: Tensor, values: [Float]) {
        let d = architecture.observationSize
        let x = Tensor(shape: [observations.count / d, d], scalars: observations)
        return (policyOutput(x), valueNetwork(x).scalars)
    }
}
