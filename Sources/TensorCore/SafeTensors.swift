import Foundation

/// Element types of a safetensors file.
public struct SafeTensorsDType: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    /// Bytes per element.
    public let size: Int
    public static let f32 = SafeTensorsDType(name: "F32", size: 4)
    public static let f16 = SafeTensorsDType(name: "F16", size: 2)
    public static let bf16 = SafeTensorsDType(name: "BF16", size: 2)
    public static let f64 = SafeTensorsDType(name: "F64", size: 8)
    /// Types this reader converts to Float32.
    public static let readable: [SafeTensorsDType] = [.f32, .f16, .bf16, .f64]
    public var description: String { name }
}

/// The decoded contents of a safetensors file: tensors (converted to Float32), the
/// dtype each had on disk, and the free-form `__metadata__` strings.
public struct SafeTensorsFile: Sendable {
    public var tensors: [String: Tensor]
    public var dtypes: [String: SafeTensorsDType]
    public var metadata: [String: String]
    /// Integer and boolean tensors (such as BERT's `embeddings.position_ids`, I64) are not
    /// parameters: they are listed here with their dtype and left out of `tensors`.
    public var skipped: [String: String] = [:]

    /// The tensor `name`, checked against `shape` (and `dtype` when given).
    /// - Throws: `.missingTensor`, `.shapeMismatch` or `.dtypeMismatch`, naming the tensor.
    public func tensor(_ name: String, shape: [Int]? = nil, dtype: SafeTensorsDType? = nil) throws(TensorCoreError) -> Tensor {
        if let skippedType = skipped[name] {
            throw TensorCoreError(.dtypeMismatch, "tensor '\(name)' has dtype \(skippedType), which is not a floating-point type")
        }
        guard let t = tensors[name] else { throw TensorCoreError(.missingTensor, "tensor '\(name)' is missing") }
        if let shape, t.shape != shape {
            throw TensorCoreError(.shapeMismatch, "tensor '\(name)' has shape \(t.shape), expected \(shape)")
        }
        if let dtype, let d = dtypes[name], d != dtype {
            throw TensorCoreError(.dtypeMismatch, "tensor '\(name)' has dtype \(d), expected \(dtype)")
        }
        return t
    }
}

/// Reader and writer for the Hugging Face safetensors format: an 8-byte little-endian
/// header length N, N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]},
/// "__metadata__": {string: string}}` padded with spaces to 8 bytes, then the raw
/// little-endian data. Writes F32; reads F32, F16, BF16 and F64.
public enum SafeTensors {
    /// Reads and decodes the file at `path`.
    public static func read(_ path: String) throws(TensorCoreError) -> SafeTensorsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TensorCoreError(.io, "cannot read safetensors file \(path)")
        }
        return try decode(data)
    }

    /// Decodes safetensors bytes.
    public static func decode(_ data: Data) throws(TensorCoreError) -> SafeTensorsFile {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw TensorCoreError(.invalidFormat, "safetensors: file shorter than 8 bytes") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(bytes.count - 8) else {
            throw TensorCoreError(.invalidFormat, "safetensors: header length \(n) exceeds file size \(bytes.count)")
        }
        let headerEnd = 8 + Int(n)
        let header: [String: Any]
        do {
            guard let h = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) as? [String: Any] else {
                throw TensorCoreError(.invalidFormat, "safetensors: header is not a JSON object")
            }
            header = h
        } catch let e as TensorCoreError { throw e } catch {
            throw TensorCoreError(.invalidFormat, "safetensors: header is not valid JSON (\(error))")
        }
        let body = bytes.count - headerEnd
        var file = SafeTensorsFile(tensors: [:], dtypes: [:], metadata: [:])
        for (name, value) in header {
            if name == "__metadata__" {
                if let m = value as? [String: String] { file.metadata = m }
                continue
            }
            guard let info = value as? [String: Any], let dtypeName = info["dtype"] as? String,
                  let shape = (info["shape"] as? [NSNumber])?.map(\.intValue),
                  let offsets = (info["data_offsets"] as? [NSNumber])?.map(\.intValue), offsets.count == 2 else {
                throw TensorCoreError(.invalidFormat, "tensor '\(name)': header entry lacks dtype, shape or data_offsets")
            }
            if let size = Self.integerDTypeSizes[dtypeName] {
                let count = shape.reduce(1, *)
                guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= body,
                      offsets[1] - offsets[0] == count * size else {
                    throw TensorCoreError(.invalidFormat, "tensor '\(name)': data_offsets \(offsets) do not hold \(shape) \(dtypeName) in a \(body)-byte body")
                }
                file.skipped[name] = dtypeName
                continue
            }
            guard let dtype = SafeTensorsDType.readable.first(where: { $0.name == dtypeName }) else {
                throw TensorCoreError(.dtypeMismatch, "tensor '\(name)' has unsupported dtype \(dtypeName) (readable: F32, F16, BF16, F64)")
            }
            let count = shape.reduce(1, *)
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= body,
                  offsets[1] - offsets[0] == count * dtype.size else {
                throw TensorCoreError(.invalidFormat, "tensor '\(name)': data_offsets \(offsets) do not hold \(shape) \(dtypeName) in a \(body)-byte body")
            }
            let start = headerEnd + offsets[0]
            file.tensors[name] = bytes.withUnsafeBufferPointer { buf in
                Tensor(shape: shape) { out in convert(buf.baseAddress! + start, dtype: dtype, count: count, into: out.baseAddress!) }
            }
            file.dtypes[name] = dtype
        }
        return file
    }

    /// Byte sizes of the integer and boolean dtypes, which decode skips (see `SafeTensorsFile.skipped`).
    static let integerDTypeSizes: [String: Int] = ["I64": 8, "U64": 8, "I32": 4, "U32": 4, "I16": 2, "U16": 2, "I8": 1, "U8": 1, "BOOL": 1]

    static func convert(_ src: UnsafePointer<UInt8>, dtype: SafeTensorsDType, count: Int, into dst: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .f32:
            for i in 0..<count { dst[i] = Float(bitPattern: load32(src + 4 * i)) }
        case .f16:
            for i in 0..<count { dst[i] = halfToFloat(UInt16(src[2 * i]) | UInt16(src[2 * i + 1]) << 8) }
        case .bf16:
            for i in 0..<count { dst[i] = Float(bitPattern: (UInt32(src[2 * i]) | UInt32(src[2 * i + 1]) << 8) << 16) }
        default: // f64
            for i in 0..<count {
                var v: UInt64 = 0
                for b in 0..<8 { v |= UInt64(src[8 * i + b]) << (8 * UInt64(b)) }
                dst[i] = Float(Double(bitPattern: v))
            }
        }
    }

    @inline(__always) static func load32(_ p: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24
    }

    /// IEEE 754 binary16 bits to Float (subnormals, infinities and NaN included).
    public static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exp = Int((h >> 10) & 0x1F), frac = UInt32(h & 0x3FF)
        if exp == 0 {
            let mag = Float(frac) * 0x1p-24 // subnormal or zero
            return Float(bitPattern: mag.bitPattern | sign)
        }
        if exp == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (frac << 13)) }
        return Float(bitPattern: sign | UInt32(exp - 15 + 127) << 23 | frac << 13)
    }

    /// Encodes `tensors` as F32 safetensors bytes with names sorted and `metadata` in
    /// `__metadata__`. Deterministic: the same input gives the same bytes.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> Data {
        let names = tensors.keys.sorted()
        var entries: [String] = []
        if !metadata.isEmpty {
            let m = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }.joined(separator: ",")
            entries.append("\"__metadata__\":{\(m)}")
        }
        var offset = 0
        for name in names {
            let t = tensors[name]!
            let size = t.count * 4
            entries.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out = Data(capacity: 8 + header.count + offset)
        var n = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for name in names {
            tensors[name]!.scalars.withUnsafeBufferPointer { buf in
                var le = [UInt32](repeating: 0, count: buf.count)
                for i in 0..<buf.count { le[i] = buf[i].bitPattern.littleEndian }
                le.withUnsafeBytes { out.append(contentsOf: $0) }
            }
        }
        return out
    }

    /// Writes `tensors` (F32) and `metadata` to `path` atomically.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String) throws(TensorCoreError) {
        do { try encode(tensors, metadata: metadata).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw TensorCoreError(.io, "cannot write safetensors file \(path): \(error)")
        }
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
