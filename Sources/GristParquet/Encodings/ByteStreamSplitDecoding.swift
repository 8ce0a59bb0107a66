/// BYTE_STREAM_SPLIT: for values of `width` bytes, byte k of every value is stored in stream k
/// (`width` streams of one byte per value), which compresses floats better.
enum ByteStreamSplitDecoding {
    /// Gathers `count` values of `width` bytes; the streams are `data.count / width` bytes apart.
    static func decode(_ data: UnsafeRawBufferPointer, count: Int, width: Int, into out: UnsafeMutableRawPointer) throws(DecodeFailure) {
        let stride = data.count / width
        guard stride >= count else {
            throw .corrupt("BYTE_STREAM_SPLIT page of \(data.count) bytes cannot hold \(count) values of \(width) bytes")
        }
        guard count > 0 else { return }
        let source = data.baseAddress!
        let bytes = out.assumingMemoryBound(to: UInt8.self)
        for k in 0..<width {
            let stream = source.advanced(by: k * stride).assumingMemoryBound(to: UInt8.self)
            for i in 0..<count { bytes[i * width + k] = stream[i] }
        }
    }
}
