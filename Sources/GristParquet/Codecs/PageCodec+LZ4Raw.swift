import CLZ4

/// LZ4_RAW: one LZ4 block without framing.
extension PageCodec {
    func decompressLZ4Raw(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws(DecodeFailure) {
        guard input.count <= Int(Int32.max), output.count <= Int(Int32.max) else {
            throw .corrupt("LZ4_RAW page over 2 GiB")
        }
        let source = (input.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
        let destination = (output.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
        let result = LZ4_decompress_safe(source, destination, Int32(input.count), Int32(output.count))
        if result < 0 {
            throw .corrupt("LZ4_RAW page is corrupt or decompresses to more than its declared \(output.count) bytes")
        }
        guard Int(result) == output.count else { throw Self.sizeLie("LZ4_RAW", produced: String(result), declared: output.count) }
    }
}
