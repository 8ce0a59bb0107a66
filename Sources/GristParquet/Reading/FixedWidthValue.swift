/// A physical type stored as one fixed-width value per row (`ParquetFixedValues`): how its PLAIN and
/// other encodings decode.
protocol FixedWidthValue: BitwiseCopyable, Sendable {
    static var zero: Self { get }
    /// Decodes `count` PLAIN values into `out`.
    static func decodePlain(_ data: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutablePointer<Self>) throws(DecodeFailure)
    /// Decodes `count` values of an encoding other than PLAIN and the dictionary ones.
    static func decode(
        _ encoding: ParquetEncoding, _ data: UnsafeRawBufferPointer, count: Int,
        into out: UnsafeMutablePointer<Self>, scratch: ScratchBuffer<Int64>
    ) throws(DecodeFailure)
}

extension FixedWidthValue {
    static func decodePlain(_ data: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutablePointer<Self>) throws(DecodeFailure) {
        try PlainDecoding.fixed(data, count: count, into: out)
    }

    static func decode(
        _ encoding: ParquetEncoding, _ data: UnsafeRawBufferPointer, count: Int,
        into out: UnsafeMutablePointer<Self>, scratch: ScratchBuffer<Int64>
    ) throws(DecodeFailure) {
        throw .unsupported("encoding \(encoding.thriftName) is not valid for this column's type")
    }

    /// BYTE_STREAM_SPLIT for types of any width.
    static func byteStreamSplit(_ data: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutablePointer<Self>) throws(DecodeFailure) {
        try ByteStreamSplitDecoding.decode(data, count: count, width: MemoryLayout<Self>.size, into: UnsafeMutableRawPointer(out))
    }
}

extension Int32: FixedWidthValue {
    static func decode(
        _ encoding: ParquetEncoding, _ data: UnsafeRawBufferPointer, count: Int,
        into out: UnsafeMutablePointer<Int32>, scratch: ScratchBuffer<Int64>
    ) throws(DecodeFailure) {
        switch encoding {
        case .deltaBinaryPacked:
            var decoder = try DeltaBinaryPackedDecoder(data)
            let wide = scratch.reserve(count)
            try decoder.decode(count: count, into: wide)
            for i in 0..<count { out[i] = Int32(truncatingIfNeeded: wide[i]) }
        case .byteStreamSplit: try byteStreamSplit(data, count: count, into: out)
        default: throw .unsupported("encoding \(encoding.thriftName) is not valid for INT32")
        }
    }
}

extension Int64: FixedWidthValue {
    static func decode(
        _ encoding: ParquetEncoding, _ data: UnsafeRawBufferPointer, count: Int,
        into out: UnsafeMutablePointer<Int64>, scratch: ScratchBuffer<Int64>
    ) throws(DecodeFailure) {
        switch encoding {
        case .deltaBinaryPacked:
            var decoder = try DeltaBinaryPackedDecoder(data)
            try decoder.decode(count: count, into: out)
        case .byteStreamSplit: try byteStreamSplit(data, count: count, into: out)
        default: throw .unsupported("encoding \(encoding.thriftName) is not valid for INT64")
        }
    }
}

extension Float: FixedWidthValue {
    static func decode(
        _ encoding: ParquetEncoding, _ data: UnsafeRawBufferPointer, count: Int,
        into out: UnsafeMutablePointer<Float>, scratch: ScratchBuffer<Int64>
    ) throws(DecodeFailure) {
        guard encoding == .byteStreamSplit else { throw .unsupported("encoding \(encoding.thriftName) is not valid for FLOAT") }
        try byteStreamSplit(data, count: count, into: out)
    }
}

extension Double: FixedWidthValue {
    static func decode(
        _ encoding: ParquetEncoding, _ data: UnsafeRawBufferPointer, count: Int,
        into out: UnsafeMutablePointer<Double>, scratch: ScratchBuffer<Int64>
    ) throws(DecodeFailure) {
        guard encoding == .byteStreamSplit else { throw .unsupported("encoding \(encoding.thriftName) is not valid for DOUBLE") }
        try byteStreamSplit(data, count: count, into: out)
    }
}

extension Bool: FixedWidthValue {
    static var zero: Bool { false }

    static func decodePlain(_ data: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutablePointer<Bool>) throws(DecodeFailure) {
        try PlainDecoding.booleans(data, count: count, into: out)
    }

    /// RLE: a 4-byte length, then the RLE/bit-packed hybrid of 1-bit values (data page v2's booleans).
    static func decode(
        _ encoding: ParquetEncoding, _ data: UnsafeRawBufferPointer, count: Int,
        into out: UnsafeMutablePointer<Bool>, scratch: ScratchBuffer<Int64>
    ) throws(DecodeFailure) {
        guard encoding == .rle else { throw .unsupported("encoding \(encoding.thriftName) is not valid for BOOLEAN") }
        guard data.count >= 4 else { throw .corrupt("RLE booleans without their 4-byte length") }
        let length = Int(data.loadUnaligned(as: UInt32.self).littleEndian)
        guard length <= data.count - 4 else { throw .corrupt("RLE booleans of \(length) bytes run past the page") }
        var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: data[4..<(4 + length)]), bitWidth: 1)
        try scratch.reserve((count + 1) / 2).withMemoryRebound(to: UInt32.self, capacity: count) { bits throws(DecodeFailure) in
            try decoder.decode(count: count, into: bits)
            for i in 0..<count { out[i] = bits[i] != 0 }
        }
    }
}

/// An INT96 value (Impala's timestamp) as nanoseconds since 1970.
struct Int96Nanoseconds: FixedWidthValue {
    var nanoseconds: Int64
    static var zero: Int96Nanoseconds { Int96Nanoseconds(nanoseconds: 0) }

    static func decodePlain(
        _ data: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutablePointer<Int96Nanoseconds>
    ) throws(DecodeFailure) {
        _ = try out.withMemoryRebound(to: Int64.self, capacity: count) { wide throws(DecodeFailure) in
            try PlainDecoding.int96(data, count: count, into: wide)
        }
    }
}
