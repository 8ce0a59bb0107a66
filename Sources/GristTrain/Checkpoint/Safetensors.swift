import Foundation
import GristCore

/// A `.safetensors` file, read through a memory map: an 8-byte little-endian header length, a JSON
/// header naming each tensor's dtype, shape and byte range, then the raw little-endian data
/// (https://huggingface.co/docs/safetensors). Hugging Face models and our own checkpoints use it.
public final class SafetensorsFile {
    public struct Tensor: Sendable {
        public var dtype: String
        public var shape: [Int]
        /// Byte range in the data section.
        public var range: Range<Int>
        public var elementCount: Int { shape.reduce(1, *) }
    }

    public let path: String
    /// Tensors by name.
    public let tensors: [String: Tensor]
    /// The optional string map `__metadata__`.
    public let metadata: [String: String]
    private let file: MappedFile
    private let dataStart: Int

    public init(path: String) throws {
        self.path = path
        file = try MappedFile(path: path)
        let bytes = file.bytes
        func fail(_ message: String, at offset: Int = 0) -> GristError {
            GristError(.badFormat, message, at: InputPosition(path: path, byteOffset: offset),
                       hint: "is this a .safetensors file?")
        }
        guard bytes.count >= 8 else { throw fail("file is \(bytes.count) bytes, too short for a safetensors header") }
        let headerLength = Int(UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)))
        guard headerLength >= 2, headerLength <= 100_000_000, 8 + headerLength <= bytes.count else {
            throw fail("header length \(headerLength) does not fit the file's \(bytes.count) bytes")
        }
        let headerData = Data(UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + headerLength)]))
        guard let json = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw fail("the header is not a JSON object", at: 8)
        }
        dataStart = 8 + headerLength
        let dataCount = bytes.count - dataStart
        var tensors: [String: Tensor] = [:], metadata: [String: String] = [:]
        for (name, value) in json {
            if name == "__metadata__" {
                guard let map = value as? [String: String] else { throw fail("__metadata__ is not a map of strings", at: 8) }
                metadata = map
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2,
                  shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("tensor \"\(name)\" has a malformed entry", at: 8)
            }
            let range = offsets[0]..<max(offsets[0], offsets[1])
            guard offsets[0] >= 0, offsets[1] >= offsets[0], offsets[1] <= dataCount else {
                throw fail("tensor \"\(name)\" lies outside the data (\(offsets) of \(dataCount) bytes)", at: 8)
            }
            guard let width = Self.elementBytes[dtype] else { throw fail("tensor \"\(name)\" has unsupported dtype \(dtype)") }
            guard range.count == width * shape.reduce(1, *) else {
                throw fail("tensor \"\(name)\": \(range.count) bytes for shape \(shape) of \(dtype)", at: 8)
            }
            tensors[name] = Tensor(dtype: dtype, shape: shape, range: range)
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    static let elementBytes: [String: Int] = ["F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I64": 8, "I32": 4, "U8": 1,
                                               "BOOL": 1, "I8": 1, "I16": 2, "U16": 2]

    /// Copies tensor `name` into `destination` as `Float` (from F32, F16, BF16 or F64).
    public func read(_ name: String, into destination: UnsafeMutablePointer<Float>, expectedShape: [Int]) throws {
        guard let tensor = tensors[name] else {
            throw GristError(.mismatch, "no tensor \"\(name)\"", at: InputPosition(path: path))
        }
        guard tensor.shape == expectedShape else {
            throw GristError(.mismatch, "tensor \"\(name)\" has shape \(tensor.shape), expected \(expectedShape)",
                             at: InputPosition(path: path))
        }
        let raw = UnsafeRawBufferPointer(rebasing: file.bytes[(dataStart + tensor.range.lowerBound)..<(dataStart + tensor.range.upperBound)])
        let count = tensor.elementCount
        switch tensor.dtype {
        case "F32":
            for i in 0..<count { destination[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case "BF16":
            for i in 0..<count {
                destination[i] = Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
            }
        case "F16":
            for i in 0..<count {
                destination[i] = Float(halfBits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case "F64":
            for i in 0..<count {
                destination[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
            }
        default:
            throw GristError(.badFormat, "tensor \"\(name)\" is \(tensor.dtype), not a floating-point type",
                             at: InputPosition(path: path))
        }
    }

    /// Tensor `name` as an array of `Float`.
    public func floats(_ name: String) throws -> [Float] {
        guard let tensor = tensors[name] else {
            throw GristError(.mismatch, "no tensor \"\(name)\"", at: InputPosition(path: path))
        }
        var out = [Float](repeating: 0, count: tensor.elementCount)
        try out.withUnsafeMutableBufferPointer { try read(name, into: $0.baseAddress!, expectedShape: tensor.shape) }
        return out
    }

    /// Integer tensor `name` (I32 or I64) as `Int`s.
    public func integers(_ name: String) throws -> [Int] {
        guard let tensor = tensors[name] else {
            throw GristError(.mismatch, "no tensor \"\(name)\"", at: InputPosition(path: path))
        }
        let base = dataStart + tensor.range.lowerBound
        switch tensor.dtype {
        case "I64": return (0..<tensor.elementCount).map { Int(Int64(littleEndian: file.bytes.loadUnaligned(fromByteOffset: base + 8 * $0, as: Int64.self))) }
        case "I32": return (0..<tensor.elementCount).map { Int(Int32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: base + 4 * $0, as: Int32.self))) }
        default: throw GristError(.badFormat, "tensor \"\(name)\" is \(tensor.dtype), not I32 or I64", at: InputPosition(path: path))
        }
    }
}

extension Float {
    /// IEEE half-precision bits to `Float`.
    init(halfBits h: UInt16) {
        let sign = UInt32(h & 0x8000) << 16, exponent = Int((h >> 10) & 0x1F), mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            let value = Float(mantissa) * 0x1.0p-24
            self = sign != 0 ? -value : value
        } else if exponent == 31 {
            self = Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        } else {
            self = Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
        }
    }
}

/// Writes `.safetensors` files of F32 tensors, whole or not at all.
public enum SafetensorsWriter {
    public struct Entry {
        public var name: String
        public var shape: [Int]
        public var data: UnsafeBufferPointer<Float>

        public init(name: String, shape: [Int], data: UnsafeBufferPointer<Float>) {
            precondition(shape.reduce(1, *) == data.count, "shape \(shape) does not match \(data.count) values")
            self.name = name
            self.shape = shape
            self.data = data
        }
    }

    /// Writes `entries` in order, with `metadata` as `__metadata__`.
    public static func write(path: String, entries: [Entry], metadata: [String: String]) throws {
        var header = "{\"__metadata__\":{"
        header += metadata.keys.sorted().map { "\(JSONText.quoted($0)):\(JSONText.quoted(metadata[$0] ?? ""))" }.joined(separator: ",")
        header += "}"
        var offset = 0
        for entry in entries {
            let bytes = 4 * entry.data.count
            header += ",\(JSONText.quoted(entry.name)):{\"dtype\":\"F32\",\"shape\":[\(entry.shape.map(String.init).joined(separator: ","))],"
            header += "\"data_offsets\":[\(offset),\(offset + bytes)]}"
            offset += bytes
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        while (8 + headerBytes.count) % 8 != 0 { headerBytes.append(0x20) }
        try AtomicFile.write(path: path) { writer in
            var length = UInt64(headerBytes.count).littleEndian
            try withUnsafeBytes(of: &length) { try writer.write($0) }
            try headerBytes.withUnsafeBytes { try writer.write($0) }
            for entry in entries { try writer.write(UnsafeRawBufferPointer(entry.data)) }
        }
    }
}
