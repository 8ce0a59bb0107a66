import GristCore

/// Reads a byte stream to its end into memory, up to a limit.
enum WholeStream {
    enum Outcome {
        case bytes([UInt8])
        /// More than `limit` bytes: reading stopped at the limit.
        case tooLarge
        /// The stream broke off after `count` bytes.
        case failed(StreamFailure, count: Int)
    }

    static func read(_ source: any ByteSource, limit: Int, chunk: Int = 1 << 16) throws(GristError) -> Outcome {
        var bytes: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { break }
            if bytes.count + n > limit { return .tooLarge }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        if let failure = source.failure { return .failed(failure, count: bytes.count) }
        return .bytes(bytes)
    }
}
