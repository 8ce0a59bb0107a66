import CBZip2
import GristCore

/// Decompresses a bzip2 file with libbz2, stream after stream (`cat a.bz2 b.bz2`, pbzip2 and
/// Wikimedia's multistream dumps all hold several streams). The file must end at the end of a
/// stream: ending inside one is `.skip(.truncated)`; undecodable data `.skip(.corrupt)`.
final class Bzip2Source: ByteSource {
    private let file: FileSource
    private let stream: UnsafeMutablePointer<bz_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var fileEnded = false
    private var inStream = false
    private var started = false
    private var finished = false
    private(set) var failure: StreamFailure?
    private let guardRatio: ExpansionGuard
    private var streamInput = 0
    private var streamOutput = 0

    init(file: FileSource, inputBufferSize: Int, maxExpansionRatio: Double = .infinity) throws(GristError) {
        self.file = file
        guardRatio = ExpansionGuard(maxRatio: maxExpansionRatio, format: "bzip2 stream")
        stream = .allocate(capacity: 1)
        stream.initialize(to: bz_stream())
        input = .allocate(byteCount: max(inputBufferSize, 16), alignment: 16)
    }

    deinit {
        if started { BZ2_bzDecompressEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    private var compressedOffset: Int { file.bytesRead - Int(stream.pointee.avail_in) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(GristError) -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let capacity = UInt32(clamping: buffer.count)
        stream.pointee.next_out = out.assumingMemoryBound(to: CChar.self)
        stream.pointee.avail_out = capacity
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 {
                if !fileEnded { try refill() }
                if stream.pointee.avail_in == 0 {
                    if inStream {
                        failure = StreamFailure.truncated("bzip2", inside: "a stream", at: compressedOffset)
                    }
                    finished = true
                    break
                }
            }
            if !started {
                let rc = BZ2_bzDecompressInit(stream, 0, 0)
                guard rc == BZ_OK else {
                    throw GristError(.io, "cannot start the bzip2 decoder (error \(rc))", at: InputPosition(path: file.path))
                }
                started = true
                streamInput = 0
                streamOutput = 0
            }
            inStream = true
            let availIn = stream.pointee.avail_in
            let availOut = stream.pointee.avail_out
            let rc = BZ2_bzDecompress(stream)
            streamInput += Int(availIn - stream.pointee.avail_in)
            streamOutput += Int(availOut - stream.pointee.avail_out)
            if let bomb = guardRatio.check(output: streamOutput, input: streamInput, at: compressedOffset) {
                failure = bomb
                finished = true
                break
            }
            switch rc {
            case BZ_OK:
                continue
            case BZ_STREAM_END:
                inStream = false
                BZ2_bzDecompressEnd(stream)
                started = false  // another stream may follow
            case BZ_MEM_ERROR:
                throw GristError(.io, "out of memory while decompressing", at: InputPosition(path: file.path))
            default:
                failure = StreamFailure.corrupt("bzip2", at: compressedOffset, reason: "libbz2 error \(rc)")
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
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: CChar.self)
        stream.pointee.avail_in = UInt32(n)
    }
}
