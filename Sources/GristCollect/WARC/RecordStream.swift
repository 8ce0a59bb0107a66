#if canImport(Glibc)
import Glibc
#endif
import GristCore

/// A byte stream read as header lines and counted blocks: what WARC records are made of.
///
/// One reused buffer; `offset` and `line` say where the next byte is in the decompressed stream
/// (lines are counted as bytes are consumed, with `memchr`).
final class RecordStream {
    enum LineResult {
        /// The line without `\n` (and without a `\r` before it); valid until the next call.
        case line(UnsafeRawBufferPointer)
        /// A line longer than the limit: consumed up to its `\n` and dropped.
        case tooLong
        /// No more bytes.
        case end
    }

    private let source: any ByteSource
    private var buffer: UnsafeMutableRawPointer
    private let capacity: Int
    private var start = 0
    private var end = 0
    private var sourceEnded = false

    /// Offset in the stream of the next unread byte.
    private(set) var offset = 0
    /// 1-based line of the next unread byte.
    private(set) var line = 1

    /// Set when the source broke off (truncated or corrupt compressed data).
    var failure: StreamFailure? { source.failure }

    init(source: any ByteSource, bufferSize: Int = 1 << 18) {
        self.source = source
        capacity = max(bufferSize, 4096)
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Whether the stream has no more bytes.
    func atEnd() throws(GristError) -> Bool {
        if start < end { return false }
        try fill()
        return start == end
    }

    /// The next line, at most `maxBytes` long.
    func readLine(maxBytes: Int) throws(GristError) -> LineResult {
        var searched = 0
        var discarding = false
        while true {
            if let hit = memchr(buffer + start + searched, 0x0A, end - start - searched) {
                let newline = UnsafeMutableRawPointer(hit) - buffer
                if discarding || newline - start > maxBytes + 1 {
                    consume(newline + 1 - start)
                    return .tooLong
                }
                var length = newline - start
                if length > 0, buffer.load(fromByteOffset: newline - 1, as: UInt8.self) == 0x0D { length -= 1 }
                let result = UnsafeRawBufferPointer(start: buffer + start, count: length)
                consume(newline + 1 - start)
                return .line(result)
            }
            searched = end - start
            if searched > maxBytes + 1 {
                consume(searched)
                searched = 0
                discarding = true
            }
            if sourceEnded {
                if start == end { return discarding ? .tooLong : .end }
                // A last line without `\n`.
                if discarding { consume(end - start); return .tooLong }
                let result = UnsafeRawBufferPointer(start: buffer + start, count: end - start)
                consume(end - start)
                return .line(result)
            }
            try compactAndFill()
        }
    }

    /// Appends up to `count` bytes to `bytes`; returns how many there were (fewer at the end).
    func read(_ count: Int, into bytes: inout [UInt8]) throws(GristError) -> Int {
        try consume(upTo: count) { bytes.append(contentsOf: $0) }
    }

    /// Skips up to `count` bytes; returns how many there were.
    func skip(_ count: Int) throws(GristError) -> Int {
        try consume(upTo: count) { _ in }
    }

    /// Passes up to `count` bytes to `body`, chunk by chunk, and consumes them; returns how many there were.
    private func consume(upTo count: Int, _ body: (UnsafeRawBufferPointer) -> Void) throws(GristError) -> Int {
        var left = count
        while left > 0 {
            if start == end {
                try fill()
                if start == end { break }
            }
            let n = min(left, end - start)
            body(UnsafeRawBufferPointer(start: buffer + start, count: n))
            consume(n)
            left -= n
        }
        return count - left
    }

    private func consume(_ n: Int) {
        var p = UnsafeRawPointer(buffer + start)
        var remaining = n
        while remaining > 0, let hit = memchr(p, 0x0A, remaining) {
            line += 1
            let step = UnsafeRawPointer(hit) - p + 1
            p += step
            remaining -= step
        }
        start += n
        offset += n
    }

    private func fill() throws(GristError) {
        start = 0
        end = 0
        try compactAndFill()
    }

    private func compactAndFill() throws(GristError) {
        if sourceEnded { return }
        if start > 0 {
            memmove(buffer, buffer + start, end - start)
            end -= start
            start = 0
        }
        if end == capacity { return }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if n == 0 { sourceEnded = true } else { end += n }
    }
}
