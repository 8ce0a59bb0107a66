import CZlib
import GristCore

/// One gzip member, written with zlib's `deflate` (a header with no file name and time 0, so the same
/// input gives the same bytes).
struct GzipStream: LibraryStream {
    private let state: UnsafeMutablePointer<z_stream>
    private let path: String

    init(level: Int, path: String) throws {
        self.path = path
        state = .allocate(capacity: 1)
        state.initialize(to: z_stream())
        // 15 + 16: the largest window, with a gzip header and trailer instead of zlib's.
        let code = czlib_deflate_init2(state, Int32(level), 15 + 16)
        if code != Z_OK {
            state.deinitialize(count: 1)
            state.deallocate()
            throw GristError(.io, "cannot start the gzip encoder (zlib error \(code))", at: InputPosition(path: path))
        }
    }

    func setInput(_ start: UnsafeMutableRawPointer?, count: Int) {
        state.pointee.next_in = start?.assumingMemoryBound(to: Bytef.self)
        state.pointee.avail_in = UInt32(count)
    }

    var pendingInput: Int { Int(state.pointee.avail_in) }

    func compress(into output: UnsafeMutableRawBufferPointer, finish: Bool) throws -> (written: Int, ended: Bool) {
        state.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        state.pointee.avail_out = UInt32(output.count)
        let code = deflate(state, finish ? Z_FINISH : Z_NO_FLUSH)
        guard code == Z_OK || code == Z_STREAM_END || code == Z_BUF_ERROR else {
            throw GristError(.io, "gzip compression failed (zlib error \(code))", at: InputPosition(path: path))
        }
        return (output.count - Int(state.pointee.avail_out), code == Z_STREAM_END)
    }

    func close() {
        deflateEnd(state)
        state.deinitialize(count: 1)
        state.deallocate()
    }
}
