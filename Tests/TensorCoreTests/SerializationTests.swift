import Foundation
import Testing
@testable import TensorCore

func tempPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("tensorcore-\(UUID().uuidString)-\(name)").path
}

/// Builds a safetensors file by hand (independent of the encoder) from raw byte blobs.
func handMadeSafetensors(_ entries: [(String, String, [Int], [UInt8])]) -> Data {
    var offset = 0, parts: [String] = [], body: [UInt8] = []
    for (name, dtype, shape, bytes) in entries {
        parts.append("\"\(name)\": {\"dtype\": \"\(dtype)\", \"shape\": \(shape), \"data_offsets\": [\(offset), \(offset + bytes.count)]}")
        offset += bytes.count; body += bytes
    }
    let header = Array("{\(parts.joined(separator: ", "))}".utf8)
    var out = Data()
    for i in 0..<8 { out.append(UInt8((header.count >> (8 * i)) & 0xFF)) }
    out.append(contentsOf: header); out.append(contentsOf: body)
    return out
}

@Suite("safetensors and checkpoints")
struct SerializationTests {
    @Test func roundTripIsBitExact() throws {
        var g = SeededGenerator(seed: 1)
        var odd = Tensor([0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, Float(bitPattern: 0x0001_1234), 3])
        odd.scalars[7] = Float(bitPattern: 0x7FC0_1234) // NaN with payload
        let tensors: [String: Tensor] = ["a.weight": .randomNormal([3, 4, 5], using: &g), "b": odd, "scalar": Tensor(scalar: 2), "empty": .zeros([0, 3])]
        let path = tempPath("rt.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafeTensors.write(tensors, metadata: ["step": "12", "note": "quote \" and\nnewline"], to: path)
        let back = try SafeTensors.read(path)
        #expect(Set(back.tensors.keys) == Set(tensors.keys))
        for (k, t) in tensors {
            #expect(back.tensors[k]!.shape == t.shape)
            #expect(back.tensors[k]!.scalars.map(\.bitPattern) == t.scalars.map(\.bitPattern), "tensor \(k)")
            #expect(back.dtypes[k] == .f32)
        }
        #expect(back.metadata == ["step": "12", "note": "quote \" and\nnewline"])
        // Deterministic bytes and 8-byte aligned data start.
        let bytes = SafeTensors.encode(tensors)
        #expect(bytes == SafeTensors.encode(tensors))
        #expect(Int(bytes[0]) % 8 == 0)
    }

    @Test func readsHandMadeF16BF16AndF32() throws {
        let f16: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8000, 0x7C00]
        let bf16: [UInt16] = [0x3F80, 0x4049, 0xC2F7]
        let f32: [Float] = [1.5, -0.25]
        func le16(_ v: [UInt16]) -> [UInt8] { v.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
        let data = handMadeSafetensors([
            ("h", "F16", [2, 3], le16(f16)), ("b", "BF16", [3], le16(bf16)),
            ("f", "F32", [2], f32.flatMap { v in (0..<4).map { UInt8((v.bitPattern >> (8 * $0)) & 0xFF) } }),
        ])
        let file = try SafeTensors.decode(data)
        #expect(file.tensors["h"]! == Tensor(shape: [2, 3], scalars: [1, -2, 65504, 0x1p-24, -0.0, .infinity]))
        #expect(file.tensors["b"]! == Tensor([1, 3.140625, -123.5]))
        #expect(file.tensors["f"]! == Tensor(f32))
        #expect(file.dtypes["h"] == .f16 && file.dtypes["b"] == .bf16)
        #expect(throws: TensorCoreError.self) { try file.tensor("h", dtype: .f32) }
    }

    @Test func halfConversionMatchesFloat16ForEveryPattern() {
        for bits in UInt16.min...UInt16.max {
            let ours = SafeTensors.halfToFloat(bits), ref = Float(Float16(bitPattern: bits))
            if ref.isNaN { #expect(ours.isNaN) } else if ours.bitPattern != ref.bitPattern {
                Issue.record("F16 \(bits): \(ours) vs \(ref)"); return
            }
        }
    }

    @Test func errorsNameTheTensor() throws {
        let bad = handMadeSafetensors([("q", "F8_E4M3", [1], [1])])
        do { _ = try SafeTensors.decode(bad); Issue.record("F8 accepted") } catch {
            #expect(error.code == .dtypeMismatch && error.message.contains("'q'"))
        }
        let ints = try SafeTensors.decode(handMadeSafetensors([("ids", "I64", [1], [1, 0, 0, 0, 0, 0, 0, 0])]))
        do { _ = try ints.tensor("ids"); Issue.record("I64 tensor returned as a float tensor") } catch {
            #expect(error.code == .dtypeMismatch && error.message.contains("'ids'") && error.message.contains("I64"))
        }
        var truncated = handMadeSafetensors([("w", "F32", [2], [0, 0, 0, 0])]) // 4 bytes for 2 floats
        do { _ = try SafeTensors.decode(truncated); Issue.record("short data accepted") } catch {
            #expect(error.code == .invalidFormat && error.message.contains("'w'"))
        }
        truncated = Data([200, 0, 0, 0, 0, 0, 0, 0, 123])
        #expect(throws: TensorCoreError.self) { try SafeTensors.decode(truncated) }

        var g = SeededGenerator(seed: 2)
        let model = MLP(sizes: [3, 4, 2], using: &g)
        var map = model.parameterMap()
        map["layers.1.weight"] = .zeros([3, 4])
        do { try model.load(map); Issue.record("wrong shape accepted") } catch {
            #expect(error.code == .shapeMismatch && error.message.contains("layers.1.weight") && error.message.contains("[2, 4]"))
        }
        map.removeValue(forKey: "layers.0.bias")
        do { try model.load(map); Issue.record("missing accepted") } catch {
            #expect(error.code == .missingTensor && error.message.contains("layers.0.bias"))
        }
        let file = SafeTensorsFile(tensors: ["x": .zeros([2])], dtypes: [:], metadata: [:])
        #expect(throws: TensorCoreError.self) { try file.tensor("x", shape: [3]) }
        #expect(throws: TensorCoreError.self) { try file.tensor("y") }
    }

    @Test func checkpointRestoresAnIdenticalModel() throws {
        var g = SeededGenerator(seed: 3)
        let a = MLP(sizes: [4, 8, 3], using: &g), b = MLP(sizes: [4, 8, 3], using: &g)
        let x = Tensor.randomNormal([5, 4], using: &g)
        #expect(a(x) != b(x))
        let path = tempPath("ckpt.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Checkpoint.save(a, metadata: ["step": "7", "config": "{\"sizes\":[4,8,3]}"], to: path)
        let meta = try Checkpoint.load(into: b, from: path)
        #expect(meta["step"] == "7" && meta["config"] == "{\"sizes\":[4,8,3]}")
        #expect(a(x) == b(x))
    }

    @Test func resumingFromACheckpointWithAdamStateIsExact() throws {
        var g = SeededGenerator(seed: 4)
        let x = Tensor.randomNormal([16, 3], using: &g), y = Tensor.randomNormal([16, 2], using: &g)
        func train(_ m: MLP, _ opt: inout Adam, steps: Int) {
            for _ in 0..<steps {
                let tape = Tape()
                let l = Loss.mse(m(tape.constant(x)), y)
                m.zeroGrad(); tape.backward(l); opt.step()
            }
        }
        let a = MLP(sizes: [3, 5, 2], using: &g)
        var optA = Adam(parameters: a.parameters, learningRate: 0.01)
        train(a, &optA, steps: 5)
        let path = tempPath("resume.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Checkpoint.save(a, metadata: ["step": "5"], optimizerState: optA.state(), to: path)
        train(a, &optA, steps: 3)

        let b = MLP(sizes: [3, 5, 2], using: &g)
        try Checkpoint.load(into: b, from: path, strict: true)
        var optB = Adam(parameters: b.parameters, learningRate: 0.01)
        try optB.load(state: Checkpoint.optimizerState(from: path))
        #expect(optB.stepCount == 5)
        train(b, &optB, steps: 3)
        for (pa, pb) in zip(a.parameters, b.parameters) {
            #expect(pa.value.scalars.map(\.bitPattern) == pb.value.scalars.map(\.bitPattern))
        }
        var bad = optA.state(); bad["m.0"] = .zeros([1])
        #expect(throws: TensorCoreError.self) { try optB.load(state: bad) }
    }

    @Test func encoderStackUsesBertNames() {
        var g = SeededGenerator(seed: 5)
        let enc = TransformerEncoder(layers: 2, hidden: 8, heads: 2, feedForward: 16, dropout: 0, using: &g)
        let names = enc.namedParameters().map(\.name)
        #expect(names.contains("layer.1.attention.self.value.bias") && names.contains("layer.0.output.LayerNorm.weight"))
        #expect(names.count == 2 * 16)
        let x = Tensor.randomNormal([1, 3, 8], using: &g)
        #expect(enc(x) == enc.layers[1](enc.layers[0](x)))
    }
}

@Suite("safetensors integer tensors")
struct SafeTensorsIntegerTests {
    /// A file with an F32 weight and an I64 index tensor (as BERT checkpoints carry
    /// `embeddings.position_ids`): the weight loads, the index tensor is listed as skipped.
    @Test func integerTensorsAreSkippedNotFatal() throws {
        let header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"ids":{"dtype":"I64","shape":[3],"data_offsets":[8,32]}}"#
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var bytes = withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { Array($0) } + headerBytes
        for value in [Float(1.5), -2] { bytes += withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
        for value in [Int64(0), 1, 2] { bytes += withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        let file = try SafeTensors.decode(Data(bytes))
        #expect(file.tensors.keys.sorted() == ["w"])
        #expect(file.tensors["w"]?.scalars == [1.5, -2])
        #expect(file.skipped == ["ids": "I64"])
        let short = Data(bytes.dropLast(8))
        #expect(throws: TensorCoreError.self) { try SafeTensors.decode(short) }
    }
}
