#if canImport(Glibc)
import Glibc
#endif
import GristCore

/// Cuts a byte stream into blocks at every occurrence of a separator (`memmem`), in one reused buffer.
///
/// Like `LineSplitter`, but the separator is any byte string (`"\n---\n"`, `"\u{1E}"`). A block longer
/// than `maxBlockBytes` is not kept: its bytes are dropped as they arrive (keeping only the last
/// `separator.count - 1`, which may start a separator) and it comes out as `.tooLong`. Memory stays
/// bounded by the largest allowed block plus one buffer.
final class SeparatorSplitter {
    enum Event {
        /// A block without its separator; valid until the next call.
        case block(UnsafeRawBufferPointer)
        case tooLong(length: Int)
        case end
        /// The stream ended early; the block being read at the break is dropped.
        case failed(StreamFailure)
    }

    private let source: any ByteSource
    private let separator: [UInt8]
    private let maxBlockBytes: Int
    private let baseCapacity: Int
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0
    private var end = 0
    /// Bytes after `start` already searched without finding a separator.
    private var searched = 0
    /// Stream offset of `buffer[0]`.
    private var bufferOffset = 0
    private var sourceEnded = false
    private var discarding = false
    private var discardedBytes = 0
    /// Line number at stream offset `countedOffset` (newlines counted so far, plus 1).
    private var countedLine = 1
    private var countedOffset = 0

    /// 1-based line where the last block (or the break) starts.
    private(set) var blockLine = 1
    /// Stream offset where the last block starts.
    private(set) var blockOffset = 0
    private(set) var totalBytes = 0

    init(source: any ByteSource, separator: [UInt8], bufferSize: Int = 1 << 20, maxBlockBytes: Int) {
        precondition(!separator.isEmpty, "an empty separator")
        self.source = source
        self.separator = separator
        self.maxBlockBytes = min(max(maxBlockBytes, 0), 1 << 40)
        baseCapacity = max(bufferSize, 16, separator.count * 2)
        capacity = baseCapacity
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    func next() throws(GristError) -> Event {
        while true {
            let from = max(0, searched - (separator.count - 1))
            let pending = end - start - from
            if pending >= separator.count, let found = find(in: buffer + start + from, count: pending) {
                let blockEnd = found - buffer
                return take(upTo: blockEnd, consumed: blockEnd + separator.count)
            }
            searched = end - start
            if discarding || end - start > maxBlockBytes + separator.count - 1 {
                discard(keepingTail: separator.count - 1)
            }
            if sourceEnded { return finish() }
            try fill()
        }
    }

    /// The first occurrence of the separator in `count` bytes at `p`: `memchr` for its first byte, then `memcmp`.
    private func find(in p: UnsafeMutableRawPointer, count: Int) -> UnsafeMutableRawPointer? {
        separator.withUnsafeBytes { sep -> UnsafeMutableRawPointer? in
            guard let s = sep.baseAddress else { return nil }
            let first = Int32(sep[0])
            let last = p + (count - sep.count)
            var at = p
            while at <= last, let hit = memchr(at, first, last - at + 1) {
                if memcmp(hit, s, sep.count) == 0 { return hit }
                at = hit + 1
            }
            return nil
        }
    }

    private func markBlockStart() {
        advanceLineCount(to: bufferOffset + start)
        blockLine = countedLine
        blockOffset = bufferOffset + start
    }

    /// Counts the newlines between the last counted offset and `offset` (bytes still in the buffer).
    private func advanceLineCount(to offset: Int) {
        guard offset > countedOffset else { return }
        var p = UnsafeRawPointer(buffer + (countedOffset - bufferOffset))
        var left = offset - countedOffset
        while left > 0, let hit = memchr(p, 0x0A, left) {
            countedLine += 1
            let skip = UnsafeRawPointer(hit) - p + 1
            p += skip
            left -= skip
        }
        countedOffset = offset
    }

    /// Drops buffered bytes of a block too long to keep, all but the last `tail` (a separator may
    /// start there).
    private func discard(keepingTail tail: Int) {
        if !discarding {
            markBlockStart()
            discarding = true
            discardedBytes = 0
        }
        let drop = max(0, end - start - tail)
        advanceLineCount(to: bufferOffset + start + drop)
        discardedBytes += drop
        start += drop
        searched = end - start
    }

    private func take(upTo blockEnd: Int, consumed: Int) -> Event {
        defer {
            advanceLineCount(to: bufferOffset + consumed)
            start = consumed
            searched = 0
        }
        if discarding {
            discarding = false
            return .tooLong(length: discardedBytes + blockEnd - start)
        }
        markBlockStart()
        let length = blockEnd - start
        if length > maxBlockBytes { return .tooLong(length: length) }
        return .block(UnsafeRawBufferPointer(start: buffer + start, count: length))
    }

    private func finish() -> Event {
        if let failure = source.failure {
            if !discarding { markBlockStart() }
            discarding = false
            start = end
            return .failed(failure)
        }
        if discarding || start < end { return take(upTo: end, consumed: end) }
        return .end
    }

    private func fill() throws(GristError) {
        let kept = end - start
        if start > 0 {
            // Line counting reads bytes from `countedOffset` on: they are never before `start`.
            memmove(buffer, buffer + start, kept)
            bufferOffset += start
            start = 0
            end = kept
        }
        if end == capacity {
            let newCapacity = min(max(capacity * 2, baseCapacity), maxBlockBytes + separator.count + 1)
            let newBuffer = UnsafeMutableRawPointer.allocate(byteCount: max(newCapacity, capacity + 1), alignment: 16)
            newBuffer.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = newBuffer
            capacity = max(newCapacity, capacity + 1)
        }
        if capacity > baseCapacity * 2, kept <= baseCapacity / 2 {
            let newBuffer = UnsafeMutableRawPointer.allocate(byteCount: baseCapacity, alignment: 16)
            newBuffer.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = newBuffer
            capacity = baseCapacity
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if n == 0 {
            sourceEnded = true
        } else {
            end += n
            totalBytes += n
        }
    }
}
