import Foundation
import Testing
@testable import TensorCore

@Suite("LoRA adapters")
struct LoRATests {
    func encoder(seed: UInt64) -> TransformerEncoderLayer {
        var g = SeededGenerator(seed: seed)
        return TransformerEncoderLayer(hidden: 16, heads: 2, feedForward: 24, dropout: 0, using: &g)
    }

    @Test func patternsMatchDotAlignedSuffixes() {
        #expect(LoRA.matches(pattern: "query", name: "encoder.layer.0.attention.self.query"))
        #expect(!LoRA.matches(pattern: "query", name: "encoder.layer.0.attention.self.query_proj"))
        #expect(!LoRA.matches(pattern: "query", name: "subquery"))
        #expect(LoRA.matches(pattern: "attention.*", name: "layer.0.attention.output.dense"))
        #expect(!LoRA.matches(pattern: "attention.*", name: "intermediate.dense"))
        #expect(LoRA.matches(pattern: "layer.*.value", name: "layer.3.attention.self.value"))
    }

    @Test func wrapsTargetsFreezesBaseAndCountsParameters() {
        let layer = encoder(seed: 1)
        var g = SeededGenerator(seed: 9)
        let x = Tensor.randomNormal([2, 4, 16], using: &g)
        let before = layer(x)
        let wrapped = LoRA.apply(LoRAConfiguration(targets: ["query", "value"], rank: 4, alpha: 8), to: layer, using: &g)
        #expect(wrapped == ["attention.self.query", "attention.self.value"])
        #expect(layer.trainableParameterCount == 2 * (4 * 16 + 16 * 4))
        #expect(layer(x) == before) // B = 0: a fresh adapter is the identity
        #expect(Set(LoRA.adapterMap(layer).keys) == ["attention.self.query.lora_A.weight", "attention.self.query.lora_B.weight",
                                                     "attention.self.value.lora_A.weight", "attention.self.value.lora_B.weight"])
    }

    @Test func trainingChangesOnlyAdapterWeights() {
        let layer = encoder(seed: 2)
        var g = SeededGenerator(seed: 10)
        LoRA.apply(LoRAConfiguration(targets: ["attention.*"], rank: 2, alpha: 4, dropout: 0.1), to: layer, using: &g)
        let baseBefore = layer.parameterMap().filter { !$0.key.contains("lora_") }
        let adaptersBefore = LoRA.adapterMap(layer)
        let x = Tensor.randomNormal([2, 3, 16], using: &g), target = Tensor.randomNormal([2, 3, 16], using: &g)
        var opt = AdamW(parameters: layer.trainableParameters, learningRate: 0.01)
        var losses: [Float] = []
        for step in 0..<20 {
            let tape = Tape(seed: UInt64(step))
            let loss = Loss.mse(layer(tape.constant(x)), target)
            layer.zeroGrad(); tape.backward(loss); opt.step()
            losses.append(loss.value.scalar)
        }
        #expect(losses.last! < losses.first!)
        let baseAfter = layer.parameterMap().filter { !$0.key.contains("lora_") }
        for (k, v) in baseBefore { #expect(baseAfter[k]!.scalars.map(\.bitPattern) == v.scalars.map(\.bitPattern), "base \(k) changed") }
        for (k, v) in LoRA.adapterMap(layer) where k.contains("lora_B") { #expect(v != adaptersBefore[k]!, "adapter \(k) unchanged") }
        #expect(layer.parameters.filter { !$0.requiresGrad }.allSatisfy { $0.grad == nil })
    }

    @Test func mergeUnmergeAndAdapterFiles() throws {
        let layer = encoder(seed: 3)
        var g = SeededGenerator(seed: 11)
        let config = LoRAConfiguration(targets: ["query", "value", "output.dense"], rank: 3, alpha: 6)
        let wrapped = LoRA.apply(config, to: layer, using: &g)
        // "output.dense" matches both the attention output and the FFN output projection.
        #expect(wrapped == ["attention.self.query", "attention.self.value", "attention.output.dense", "output.dense"])
        for (_, l) in LoRA.adapters(in: layer) { l.lora!.b.value = .randomNormal(l.lora!.b.shape, std: 0.1, using: &g) }
        let x = Tensor.randomNormal([1, 5, 16], using: &g)
        let unmerged = layer(x)
        let w0 = layer.attention.query.weight.value
        LoRA.merge(layer)
        #expect(layer.attention.query.weight.value != w0)
        #expect(close(layer(x), unmerged, 1e-4))
        LoRA.unmerge(layer)
        #expect(close(layer.attention.query.weight.value, w0, 1e-6))
        #expect(close(layer(x), unmerged, 1e-5))

        let path = tempPath("adapter.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try LoRA.saveAdapter(layer, configuration: config, to: path)
        let file = try SafeTensors.read(path)
        #expect(file.tensors.count == 8 && file.tensors.keys.allSatisfy { $0.contains("lora_") })
        let decoded = try JSONDecoder().decode(LoRAConfiguration.self, from: Data(file.metadata["lora.config"]!.utf8))
        #expect(decoded == config)

        let fresh = encoder(seed: 3) // same base weights
        var g2 = SeededGenerator(seed: 99)
        LoRA.apply(decoded, to: fresh, using: &g2)
        #expect(!close(fresh(x), unmerged, 1e-4))
        try LoRA.loadAdapter(into: fresh, from: path)
        #expect(close(fresh(x), unmerged, 1e-6))

        let wrong = encoder(seed: 3)
        LoRA.apply(LoRAConfiguration(targets: ["key"], rank: 3), to: wrong, using: &g2)
        do { try LoRA.loadAdapter(into: wrong, from: path); Issue.record("mismatched adapter accepted") } catch {
            #expect(error.code == .missingTensor && error.message.contains("attention.self.key.lora_"))
        }
    }
}
