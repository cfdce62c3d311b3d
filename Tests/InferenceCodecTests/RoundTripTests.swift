import Foundation
import InferenceCodec
import Testing

/// Encode -> decode round trips for every datatype, binary and JSON, plus FP16 against the
/// hardware/stdlib `Float16` conversion as oracle.
@Suite struct RoundTripTests {
    static func tensors() -> [InferenceTensor] {
        var rng = SplitMix64(seed: 3)
        func ints(_ range: ClosedRange<Int64>, _ n: Int) -> [Int64] {
            (0..<n).map { i in i == 0 ? range.lowerBound : i == 1 ? range.upperBound : Int64.random(in: range, using: &rng) }
        }
        var out: [InferenceTensor] = []
        for dt in InferenceDataType.allCases {
            let shape = [2, 3]
            let values: TensorValues
            switch dt {
            case .fp32: values = .float32((0..<6).map { _ in Float.random(in: -1e6...1e6, using: &rng) })
            case .fp16: values = .float32([0, -0.0, 1.5, -65504, 0x1p-24, 0.0999755859375])
            case .fp64: values = .float64((0..<6).map { _ in Double.random(in: -1e300...1e300, using: &rng) })
            case .bool: values = .bool([true, false, false, true, true, false])
            case .bytes: values = .bytes([[], Array("a".utf8), Array("ünï".utf8), Array("q\"\\\n".utf8), [0x41], Array("z".utf8)])
            default: values = .int64(ints(dt.integerRange!, 6))
            }
            out.append(InferenceTensor(name: "t_\(dt.rawValue.lowercased())", datatype: dt, shape: shape, values: values))
        }
        return out
    }

    @Test(arguments: [true, false])
    func responseRoundTripsEveryDatatype(binary: Bool) throws {
        let tensors = Self.tensors()
        let response = OIPInferResponse(modelName: "m", modelVersion: nil, id: nil, outputs: tensors)
        let names = binary ? Set(tensors.map(\.name)) : []
        let (body, header) = response.encode(binaryOutputs: names)
        #expect((header == nil) == !binary)
        let back = try OIPInferResponse.decode(body: body, jsonHeaderLength: header)
        #expect(back == response)
        // The JSON part is valid JSON for Foundation too, with the declared sizes.
        let json = try #require(try foundationJSON(Array(body[..<(header ?? body.count)])) as? [String: Any])
        let outs = try #require(json["outputs"] as? [[String: Any]])
        #expect(outs.count == tensors.count)
        if binary {
            let sizes = outs.map { (($0["parameters"] as? [String: Any])?["binary_data_size"] as? Int) ?? -1 }
            #expect(sizes.reduce(0, +) == body.count - header!)
            for (t, size) in zip(tensors, sizes) where t.datatype.byteSize != nil {
                #expect(size == 6 * t.datatype.byteSize!, "\(t.name)")
            }
        }
    }

    @Test func binaryLayoutIsLittleEndianByteForByte() {
        let out = [InferenceTensor(name: "y", datatype: .int32, shape: [2], values: .int64([1, -2])),
                   InferenceTensor(name: "s", datatype: .bytes, shape: [2], values: .bytes([Array("ab".utf8), []])),
                   InferenceTensor(name: "h", datatype: .fp16, shape: [1], values: .float32([1.0]))]
        let (body, header) = OIPInferResponse(modelName: "m", outputs: out).encode(binaryOutputs: ["y", "s", "h"])
        let tail = Array(body[header!...])
        #expect(tail == [1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 2, 0, 0, 0, 0x61, 0x62, 0, 0, 0, 0, 0x00, 0x3C])
        let json = String(decoding: body[..<header!], as: UTF8.self)
        #expect(json == #"{"model_name":"m","outputs":[{"name":"y","datatype":"INT32","shape":[2],"parameters":{"binary_data_size":8}},{"name":"s","datatype":"BYTES","shape":[2],"parameters":{"binary_data_size":10}},{"name":"h","datatype":"FP16","shape":[1],"parameters":{"binary_data_size":2}}]}"#)
    }

    @Test func jsonFloatsRoundTripShortest() throws {
        var rng = SplitMix64(seed: 11)
        let xs = (0..<500).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x7F7F_FFFF) } + [0, -0.0, 1, 0.1, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        let t = InferenceTensor(name: "y", shape: [xs.count], floats: xs)
        let (body, _) = OIPInferResponse(modelName: "m", outputs: [t]).encode(binaryOutputs: [])
        let back = try OIPInferResponse.decode(body: body, jsonHeaderLength: nil)
        guard case .float32(let got) = back.outputs[0].values else { Issue.record("not float32"); return }
        #expect(got.map(\.bitPattern) == xs.map(\.bitPattern))
        // Foundation reads the same numbers.
        let json = try #require(try foundationJSON(body) as? [String: Any])
        let data = try #require(((json["outputs"] as? [[String: Any]])?.first?["data"]) as? [NSNumber])
        #expect(data.map { Float($0.doubleValue) }.map(\.bitPattern) == xs.map(\.bitPattern))
    }

    @Test func nonFiniteFloatsUsePythonSpelling() {
        let t = InferenceTensor(name: "y", shape: [3], floats: [.nan, .infinity, -.infinity])
        let body = OIPInferResponse(modelName: "m", outputs: [t]).encode(binaryOutputs: []).body
        #expect(String(decoding: body, as: UTF8.self).contains(#""data":[NaN,Infinity,-Infinity]"#))
    }

    #if !(os(macOS) && arch(x86_64))
    @Test func fp16MatchesStdlibFloat16() throws {
        // Every binary16 pattern: widen through our decoder vs Float16 -> Float.
        var raw: [UInt8] = []
        for bits in 0...UInt16.max { raw.append(UInt8(bits & 0xFF)); raw.append(UInt8(bits >> 8)) }
        let header = utf8(#"{"inputs":[{"name":"h","datatype":"FP16","shape":[65536],"parameters":{"binary_data_size":131072}}]}"#)
        let r = try OIPInferRequest.decode(body: header + raw, jsonHeaderLength: header.count)
        guard case .float32(let got) = r.inputs[0].values else { Issue.record("not float32"); return }
        var mismatches = 0
        for bits in 0...UInt16.max {
            let want = Float(Float16(bitPattern: bits))
            let g = got[Int(bits)]
            if !(g.bitPattern == want.bitPattern || (g.isNaN && want.isNaN)) { mismatches += 1 }
        }
        #expect(mismatches == 0)
        // Narrowing: random floats (and halfway cases) vs Float16(Float) rounding.
        var rng = SplitMix64(seed: 5)
        var xs: [Float] = (0..<20_000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) }
        xs += [65504, 65520, 65519.99, 1e-8, 2.98e-8, 5.96e-8, 1 + 1.0 / 2048, 1 + 3.0 / 2048, .infinity, -.infinity]
        let t = InferenceTensor(name: "h", datatype: .fp16, shape: [xs.count], values: .float32(xs))
        let (body, header2) = OIPInferResponse(modelName: "m", outputs: [t]).encode(binaryOutputs: ["h"])
        let tail = Array(body[header2!...])
        var bad = 0
        for (i, x) in xs.enumerated() {
            let h = UInt16(tail[2 * i]) | UInt16(tail[2 * i + 1]) << 8
            let want = Float16(x)
            if !(h == want.bitPattern || (x.isNaN && Float16(bitPattern: h).isNaN)) { bad += 1 }
        }
        #expect(bad == 0)
    }
    #endif

    @Test func floatsConversion() throws {
        #expect(try TensorValues.int64([1, -2]).floats() == [1, -2])
        #expect(try TensorValues.bool([true, false]).floats() == [1, 0])
        #expect(try TensorValues.float64([0.5]).floats() == [0.5])
        let t = InferenceTensor(name: "s", datatype: .bytes, shape: [1], values: .bytes([[1]]))
        expectCodecError(.invalidValue, contains: ["tensor 's'"]) { () throws(InferenceCodecError) in _ = try t.floats() }
        #expect(InferenceDataType.allCases.compactMap(\.byteSize) == [1, 1, 2, 4, 8, 1, 2, 4, 8, 2, 4, 8])
    }
}

@Suite struct FP16JSONTests {
    @Test func jsonFP16RoundsToHalfPrecision() throws {
        let body = utf8(#"{"inputs":[{"name":"h","datatype":"FP16","shape":[3],"data":[0.1,65519,1e-9]}]}"#)
        let r = try OIPInferRequest.decode(body: body, jsonHeaderLength: nil)
        // 0.1 -> 0x2E66 = 0.0999755859375; 65519 -> 65504 (max half); 1e-9 underflows to 0.
        #expect(r.inputs[0].values == .float32([0.0999755859375, 65504, 0]))
    }

    @Test func unsafeBufferOverloadsMatch() throws {
        let body = utf8(#"{"instances":[[1,2,3,4]]}"#)
        let a = try TFServingPredictRequest.decode(body: body, inputs: [("input", .fp32, [-1, 4])])
        let b = try body.withUnsafeBufferPointer { buf in try TFServingPredictRequest.decode(body: buf, inputs: [("input", .fp32, [-1, 4])]) }
        #expect(a == b)
    }
}
