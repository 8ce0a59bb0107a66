import CZlib
import GristCore

/// One gzip member, written with zlib's `deflate` (a header with no file name and time 0, so the same
/// input gives the same bytes).
final class GzipEncoder: StreamEncoder {
    /// zlib checks that its state still points at the same `z_stream`, so it must not move.
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    private let path: String

    init(level: Int, path: String) throws {
        self.path = path
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: 1 << 17, alignment: 16)
        // 15 + 16: the largest window, with a gzip header and trailer instead of zlib's.
        let code = czlib_deflate_init2(stream, Int32(level), 15 + 16)
        if code != Z_OK {
            stream.deinitialize(count: 1)
            stream.deallocate()
            output.deallocate()
            throw GristError(.io, "cannot start the gzip encoder (zlib error \(code))", at: InputPosition(path: path))
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    func encode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        // zlib counts input in 32-bit lengths: feed at most 1 GiB per call.
        var offset = 0
        while offset < input.count {
            let count = min(input.count - offset, 1 << 30)
            stream.pointee.next_in = UnsafeMutablePointer(mutating: (base + offset).assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = UInt32(count)
            while stream.pointee.avail_in > 0 { _ = try step(Z_NO_FLUSH, emit: emit) }
            offset += count
        }
    }

    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        while try step(Z_FINISH, emit: emit) != Z_STREAM_END {}
    }

    private func step(_ flush: Int32, emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Int32 {
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(output.count)
        let code = deflate(stream, flush)
        guard code == Z_OK || code == Z_STREAM_END || code == Z_BUF_ERROR else {
            throw GristError(.io, "gzip compression failed (zlib error \(code))", at: InputPosition(path: path))
        }
        let produced = output.count - Int(stream.pointee.avail_out)
        if produced > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
        return code
    }
}
