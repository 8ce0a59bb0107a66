import CZstd

/// ZSTD: one or more zstd frames.
extension PageCodec {
    func decompressZstd(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws(DecodeFailure) {
        if zstdContext == nil { zstdContext = ZSTD_createDCtx() }
        guard let context = zstdContext else { throw .corrupt("cannot start the zstd decoder") }
        let result = ZSTD_decompressDCtx(context, output.baseAddress, output.count, input.baseAddress, input.count)
        if ZSTD_isError(result) != 0 {
            let reason = String(cString: ZSTD_getErrorName(result))
            if reason == "Destination buffer is too small" {
                throw Self.sizeLie("zstd", produced: "more than \(output.count)", declared: output.count)
            }
            throw .corrupt("zstd page is corrupt: \(reason)")
        }
        guard result == output.count else { throw Self.sizeLie("zstd", produced: String(result), declared: output.count) }
    }
}
