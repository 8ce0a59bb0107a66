import CZstd
import GristCore

/// Decompresses a zstd file with `ZSTD_decompressStream`, frame after frame.
///
/// Concatenated frames (and skippable frames) decode as one stream, as `zstd -d` does.
/// The file must end at a frame boundary: ending inside a frame is `.skip(.truncated)`.
final class ZstdSource: ByteSource {
    private let file: FileSource
    private let context: OpaquePointer
    private let input: UnsafeMutableRawBufferPointer
    private var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    private var fileEnded = false
    /// The last `ZSTD_decompressStream` result: 0 when a frame is complete and flushed.
    private var pending: Int = 0
    private var finished = false
    private(set) var failure: StreamFailure?
    private let guardRatio: ExpansionGuard
    /// Compressed and decompressed bytes of the frame being decoded, for the expansion guard.
    private var frameInput = 0
    private var frameOutput = 0

    init(file: FileSource, inputBufferSize: Int, maxExpansionRatio: Double = .infinity) throws(GristError) {
        self.file = file
        guardRatio = ExpansionGuard(maxRatio: maxExpansionRatio, format: "zstd frame")
        guard let context = ZSTD_createDCtx() else {
            throw GristError(.io, "cannot start the zstd decoder", at: InputPosition(path: file.path))
        }
        self.context = context
        input = .allocate(byteCount: max(inputBufferSize, 16), alignment: 16)
    }

    deinit {
        ZSTD_freeDCtx(context)
        input.deallocate()
    }

    /// Offset in the compressed file of the next byte zstd will read.
    private var compressedOffset: Int { file.bytesRead - (inBuffer.size - inBuffer.pos) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(GristError) -> Int {
        guard !finished, let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        var out = ZSTD_outBuffer(dst: base, size: buffer.count, pos: 0)
        while out.pos < out.size {
            if inBuffer.pos == inBuffer.size, !fileEnded { try refill() }
            let noInput = inBuffer.pos == inBuffer.size
            if noInput, pending == 0 {
                finished = true  // clean end: at a frame boundary
                break
            }
            let before = out.pos
            let consumedBefore = inBuffer.pos
            let rc = ZSTD_decompressStream(context, &out, &inBuffer)
            frameInput += inBuffer.pos - consumedBefore
            frameOutput += out.pos - before
            if let bomb = guardRatio.check(output: frameOutput, input: frameInput, at: compressedOffset) {
                failure = bomb
                finished = true
                break
            }
            if ZSTD_isError(rc) != 0 {
                let reason = String(cString: ZSTD_getErrorName(rc))
                failure = StreamFailure.corrupt("zstd", at: compressedOffset, near: true, reason: reason)
                finished = true
                break
            }
            pending = rc
            if rc == 0 {  // a frame ended: the next one is measured on its own
                frameInput = 0
                frameOutput = 0
            }
            if noInput, out.pos == before {
                if rc != 0 {
                    failure = StreamFailure.truncated("zstd", inside: "a frame", at: compressedOffset)
                }
                finished = true
                break
            }
        }
        return out.pos
    }

    private func refill() throws(GristError) {
        let n = try file.read(into: input)
        if n == 0 {
            fileEnded = true
            return
        }
        inBuffer = ZSTD_inBuffer(src: UnsafeRawPointer(input.baseAddress), size: n, pos: 0)
    }
}
