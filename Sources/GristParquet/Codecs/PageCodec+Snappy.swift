import CSnappy

/// SNAPPY: one raw snappy block (no framing); its own header gives the decompressed length.
extension PageCodec {
    func decompressSnappy(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws(DecodeFailure) {
        guard let source = input.baseAddress, input.count > 0 else {
            throw .corrupt("snappy page is empty")
        }
        let sourceChars = source.assumingMemoryBound(to: CChar.self)
        var length = 0
        guard snappy_uncompressed_length(sourceChars, input.count, &length) == SNAPPY_OK else {
            throw .corrupt("snappy page is corrupt (no valid length)")
        }
        guard length == output.count else { throw Self.sizeLie("snappy", produced: String(length), declared: output.count) }
        var produced = output.count
        let destination = (output.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
        guard snappy_uncompress(sourceChars, input.count, destination, &produced) == SNAPPY_OK, produced == output.count else {
            throw .corrupt("snappy page is corrupt")
        }
    }
}
