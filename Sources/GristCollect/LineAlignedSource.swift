import GristCore

/// A stream read from its first line that starts at or after a given offset: the bytes before it are
/// read and dropped, since a compressed stream cannot seek. Lets a large compressed JSON Lines file
/// be read in ranges of its decompressed bytes, like a plain one.
final class LineAlignedSource: ByteSource {
    private let inner: any ByteSource
    /// Bytes of the first line on, read while looking for it.
    private var pending: [UInt8] = []
    private var pendingIndex = 0
    /// The stream ended before the offset: this range is empty, and a damaged end belongs to an earlier
    /// range (which reports it), not to this one.
    private var endedBeforeStart = false
    /// Offset in the stream of the first byte this source returns.
    let start: Int

    var failure: StreamFailure? { endedBeforeStart ? nil : inner.failure }

    /// `start` is `offset` itself when the byte before it is a newline (or `offset` is 0), else the byte
    /// after the next newline, or the stream's length when there is none.
    init(_ inner: any ByteSource, lineStartAtOrAfter offset: Int, chunkSize: Int = 1 << 20) throws(GristError) {
        self.inner = inner
        guard offset > 0 else {
            start = 0
            return
        }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: max(chunkSize, 1), alignment: 16)
        defer { chunk.deallocate() }
        var position = 0  // stream offset of chunk[0]
        while true {
            let n = try inner.read(into: chunk)
            if n == 0 {
                start = position
                endedBeforeStart = true
                return
            }
            // The newline that ends the line holding byte offset - 1.
            let from = max(offset - 1 - position, 0)
            if from < n, let newline = chunk[from..<n].firstIndex(of: 0x0A) {
                start = position + newline + 1
                pending = Array(chunk[(newline + 1)..<n])
                return
            }
            position += n
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(GristError) -> Int {
        if pendingIndex < pending.count {
            let n = min(buffer.count, pending.count - pendingIndex)
            pending.withUnsafeBytes { bytes in
                buffer.baseAddress?.copyMemory(from: bytes.baseAddress! + pendingIndex, byteCount: n)
            }
            pendingIndex += n
            if pendingIndex == pending.count { pending = [] }
            return n
        }
        if endedBeforeStart { return 0 }
        return try inner.read(into: buffer)
    }
}
