import TensorCore

/// The shape of a policy network: what it sees, how it acts, its hidden layers.
public struct PolicyArchitecture: Sendable, Hashable, Codable {
    public var observationSize: Int
    public var action: ActionKind
    /// Hidden layer widths of both the policy and the value network (SB3: [64, 64]).
    public var hiddenSizes: [Int]
    public var activation: Activation

    public init(observationSize: Int, action: ActionKind, hiddenSizes: [Int] = [64, 64], activation: Activation = .tanh) {
        self.observationSize = observationSize
        self.action = action
        self.hiddenSizes = hiddenSizes
        self.activation = activation
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
        let body = [architecture.observationSize] + architecture.hiddenSizes
        policyNetwork = MLP(sizes: body + [architecture.action.outputSize], activation: architecture.activation, using: &g)
        valueNetwork = MLP(sizes: body + [1], activation: architecture.activation, using: &g)
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
    /// Policy head outputs `[rows, outputSize]` and values for row-major observations that
    /// are already normalised, without a tape.
    func forward(_ observations: [Float]) -> (output: Tensor, values: [Float]) {
        let d = architecture.observationSize
        let x = Tensor(shape: [observations.count / d, d], scalars: observations)
        return (policyNetwork(x), valueNetwork(x).scalars)
    }
}
