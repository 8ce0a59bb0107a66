import CBZip2
import GristCore

/// One bzip2 stream, written with libbz2 (900 kB blocks, as `bzip2` writes by default).
struct Bzip2Stream: LibraryStream {
    private let state: UnsafeMutablePointer<bz_stream>
    private let path: String

    init(path: String) throws {
        self.path = path
        state = .allocate(capacity: 1)
        state.initialize(to: bz_stream())
        let code = BZ2_bzCompressInit(state, 9, 0, 0)
        if code != BZ_OK {
            state.deinitialize(count: 1)
            state.deallocate()
            throw GristError(.io, "cannot start the bzip2 encoder (libbz2 error \(code))", at: InputPosition(path: path))
        }
    }

    func setInput(_ start: UnsafeMutableRawPointer?, count: Int) {
        state.pointee.next_in = start?.assumingMemoryBound(to: CChar.self)
        state.pointee.avail_in = UInt32(count)
    }

    var pendingInput: Int { Int(state.pointee.avail_in) }

    func compress(into output: UnsafeMutableRawBufferPointer, finish: Bool) throws -> (written: Int, ended: Bool) {
        state.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: CChar.self)
        state.pointee.avail_out = UInt32(output.count)
        let code = BZ2_bzCompress(state, finish ? BZ_FINISH : BZ_RUN)
        guard code == BZ_RUN_OK || code == BZ_FINISH_OK || code == BZ_STREAM_END else {
            throw GristError(.io, "bzip2 compression failed (libbz2 error \(code))", at: InputPosition(path: path))
        }
        return (output.count - Int(state.pointee.avail_out), code == BZ_STREAM_END)
    }

    func close() {
        BZ2_bzCompressEnd(state)
        state.deinitialize(count: 1)
        state.deallocate()
    }
}
