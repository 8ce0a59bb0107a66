import CZlib

/// GZIP: a gzip member (or several; a zlib stream is accepted too), inflated by zlib.
extension PageCodec {
    func decompressGzip(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws(DecodeFailure) {
        let stream: UnsafeMutablePointer<z_stream>
        if let zlibStream {
            stream = zlibStream
            inflateReset(stream)
        } else {
            stream = .allocate(capacity: 1)
            stream.initialize(to: z_stream())
            // 32 + 15: gzip or zlib header, detected (Parquet's GZIP is gzip; some writers wrote zlib).
            guard czlib_inflate_init2(stream, 32 + 15) == Z_OK else {
                stream.deallocate()
                throw .corrupt("cannot start the zlib decoder")
            }
            zlibStream = stream
        }
        var scratchByte: UInt8 = 0
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        var produced = 0
        while true {
            let result: Int32
            if produced < output.count {
                stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self) + produced
                stream.pointee.avail_out = uInt(min(output.count - produced, Int(UInt32.max)))
                let before = stream.pointee.avail_out
                result = inflate(stream, Z_NO_FLUSH)
                produced += Int(before - stream.pointee.avail_out)
            } else {
                // Full: one more byte of room tells whether the stream has more than declared.
                result = withUnsafeMutablePointer(to: &scratchByte) { byte in
                    stream.pointee.next_out = byte
                    stream.pointee.avail_out = 1
                    return inflate(stream, Z_NO_FLUSH)
                }
                if stream.pointee.avail_out == 0 {
                    throw Self.sizeLie("gzip", produced: "more than \(output.count)", declared: output.count)
                }
            }
            if result == Z_STREAM_END {
                // Another gzip member may follow (concatenated members are one stream).
                if stream.pointee.avail_in > 0 {
                    inflateReset(stream)
                    continue
                }
                break
            }
            if result == Z_BUF_ERROR, stream.pointee.avail_in == 0 {
                throw .corrupt("gzip page ends inside its stream (\(produced) of \(output.count) bytes decompressed)")
            }
            guard result == Z_OK else {
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "error \(result)"
                throw .corrupt("gzip page is corrupt: \(reason)")
            }
        }
        guard produced == output.count else { throw Self.sizeLie("gzip", produced: String(produced), declared: output.count) }
    }
}
