import CZstd
import GristCore

/// One zstd frame, written with `ZSTD_compressStream2` at a fixed level, with a content checksum (as
/// the `zstd` tool writes by default), on the calling thread (`nbWorkers` left at 0).
final class ZstdEncoder: StreamEncoder {
    private let context: OpaquePointer
    private let output: UnsafeMutableRawBufferPointer
    private let path: String

    init(level: Int, path: String) throws {
        self.path = path
        guard let context = ZSTD_createCCtx() else {
            throw GristError(.io, "cannot start the zstd encoder", at: InputPosition(path: path))
        }
        self.context = context
        output = .allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 16)
        for (parameter, value) in [(ZSTD_c_compressionLevel, Int32(level)), (ZSTD_c_checksumFlag, 1)] {
            let code = ZSTD_CCtx_setParameter(context, parameter, value)
            if ZSTD_isError(code) != 0 { throw Self.error(code, path: path) }
        }
    }

    deinit {
        ZSTD_freeCCtx(context)
        output.deallocate()
    }

    func encode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while source.pos < source.size {
            _ = try step(&source, ZSTD_e_continue, emit: emit)
        }
    }

    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var source = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while try step(&source, ZSTD_e_end, emit: emit) != 0 {}
    }

    /// One call of `ZSTD_compressStream2`; returns what it returns (for `ZSTD_e_end`: bytes left to flush).
    private func step(_ source: inout ZSTD_inBuffer, _ directive: ZSTD_EndDirective,
                      emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let remaining = ZSTD_compressStream2(context, &target, &source, directive)
        if ZSTD_isError(remaining) != 0 { throw Self.error(remaining, path: path) }
        if target.pos > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<target.pos])) }
        return remaining
    }

    private static func error(_ code: Int, path: String) -> GristError {
        GristError(.io, "zstd compression failed: \(String(cString: ZSTD_getErrorName(code)))", at: InputPosition(path: path))
    }
}
