import CZlib
import GristCore

/// Decompresses a gzip file with zlib, member after member.
///
/// A `.gz` may hold several gzip members back to back (`cat a.gz b.gz`, pigz, bgzip); their
/// contents are concatenated, as `gzip -d` does. The file must end exactly at the end of a member:
/// ending inside one is `.skip(.truncated)`, undecodable data (including junk after a member) is `.skip(.corrupt)`.
final class GzipSource: ByteSource {
    private let file: FileSource
    /// zlib checks that its state still points at the same `z_stream`, so it must not move.
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var fileEnded = false
    /// Inside a member whose end has not been seen yet.
    private var inMember = false
    private var finished = false
    private(set) var failure: StreamFailure?
    private let guardRatio: ExpansionGuard

    init(file: FileSource, inputBufferSize: Int, maxExpansionRatio: Double = .infinity) throws(GristError) {
        self.file = file
        guardRatio = ExpansionGuard(maxRatio: maxExpansionRatio, format: "gzip member")
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: max(inputBufferSize, 16), alignment: 16)
        let rc = czlib_inflate_init2(stream, 15 + 32)
        if rc != Z_OK {
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            throw GristError(.io, "cannot start the gzip decoder (zlib error \(rc))", at: InputPosition(path: file.path))
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// Offset in the compressed file of the next byte zlib will read.
    private var compressedOffset: Int { file.bytesRead - Int(stream.pointee.avail_in) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(GristError) -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let capacity = UInt32(clamping: buffer.count)
        stream.pointee.next_out = out.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = capacity
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 {
                if !fileEnded { try refill() }
                if stream.pointee.avail_in == 0 {
                    if inMember {
                        failure = StreamFailure.truncated("gzip", inside: "a gzip member", at: compressedOffset)
                    }
                    finished = true
                    break
                }
            }
            inMember = true
            let rc = inflate(stream, Z_NO_FLUSH)
            if let bomb = guardRatio.check(output: Int(stream.pointee.total_out), input: Int(stream.pointee.total_in),
                                           at: compressedOffset) {
                failure = bomb
                finished = true
                break
            }
            switch rc {
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                continue  // no progress without more input: refilled above
            case Z_STREAM_END:
                inMember = false
                inflateReset(stream)  // another member may follow
            case Z_MEM_ERROR:
                throw GristError(.io, "out of memory while decompressing", at: InputPosition(path: file.path))
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                failure = StreamFailure.corrupt("gzip", at: compressedOffset, reason: reason)
                finished = true
            }
            if finished { break }
        }
        return Int(capacity - stream.pointee.avail_out)
    }

    private func refill() throws(GristError) {
        let n = try file.read(into: input)
        if n == 0 {
            fileEnded = true
            return
        }
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = UInt32(n)
    }
}
