import CBrotli

/// BROTLI: one brotli stream.
extension PageCodec {
    func decompressBrotli(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws(DecodeFailure) {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else { throw .corrupt("cannot start the brotli decoder") }
        defer { BrotliDecoderDestroyInstance(state) }
        var availableIn = input.count
        var nextIn = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var availableOut = output.count
        var nextOut = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let result = BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nil)
        let produced = output.count - availableOut
        switch result {
        case BROTLI_DECODER_RESULT_SUCCESS:
            guard produced == output.count else { throw Self.sizeLie("brotli", produced: String(produced), declared: output.count) }
        case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
            throw Self.sizeLie("brotli", produced: "more than \(output.count)", declared: output.count)
        case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
            throw .corrupt("brotli page ends inside its stream (\(produced) of \(output.count) bytes decompressed)")
        default:
            let code = BrotliDecoderGetErrorCode(state)
            throw .corrupt("brotli page is corrupt: \(String(cString: BrotliDecoderErrorString(code)))")
        }
    }
}
