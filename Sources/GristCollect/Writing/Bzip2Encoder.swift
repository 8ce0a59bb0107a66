import CBZip2
import GristCore

/// One bzip2 stream, written with libbz2 (900 kB blocks, as `bzip2` writes by default).
final class Bzip2Encoder: StreamEncoder {
    /// libbz2 keeps a pointer back to its `bz_stream`, so it must not move.
    private let stream: UnsafeMutablePointer<bz_stream>
    private let output: UnsafeMutableRawBufferPointer
    private let path: String

    init(path: String) throws {
        self.path = path
        stream = .allocate(capacity: 1)
        stream.initialize(to: bz_stream())
        output = .allocate(byteCount: 1 << 17, alignment: 16)
        let code = BZ2_bzCompressInit(stream, 9, 0, 0)
        if code != BZ_OK {
            stream.deinitialize(count: 1)
            stream.deallocate()
            output.deallocate()
            throw GristError(.io, "cannot start the bzip2 encoder (libbz2 error \(code))", at: InputPosition(path: path))
        }
    }

    deinit {
        BZ2_bzCompressEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    func encode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        var offset = 0
        while offset < input.count {
            let count = min(input.count - offset, 1 << 30)
            stream.pointee.next_in = UnsafeMutablePointer(mutating: (base + offset).assumingMemoryBound(to: CChar.self))
            stream.pointee.avail_in = UInt32(count)
            while stream.pointee.avail_in > 0 { _ = try step(BZ_RUN, emit: emit) }
            offset += count
        }
    }

    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        while try step(BZ_FINISH, emit: emit) != BZ_STREAM_END {}
    }

    private func step(_ action: Int32, emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Int32 {
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: CChar.self)
        stream.pointee.avail_out = UInt32(output.count)
        let code = BZ2_bzCompress(stream, action)
        guard code == BZ_RUN_OK || code == BZ_FINISH_OK || code == BZ_STREAM_END else {
            throw GristError(.io, "bzip2 compression failed (libbz2 error \(code))", at: InputPosition(path: path))
        }
        let produced = output.count - Int(stream.pointee.avail_out)
        if produced > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
        return code
    }
}
