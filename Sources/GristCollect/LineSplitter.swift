#if canImport(Glibc)
import Glibc
#endif
import GristCore

/// Cuts a byte stream into lines with `memchr`, in one reused buffer.
///
/// A line that spans two reads is moved to the front of the buffer and completed by the next read;
/// the buffer grows only for a line longer than itself, up to `maxLineBytes + 1`, and shrinks back
/// afterwards. A line longer than `maxLineBytes` is not kept: its bytes are dropped as they arrive
/// until the next newline, and it comes out as `.tooLong`. So memory stays bounded by the longest
/// allowed line plus one buffer, whatever the input (a zip bomb just streams through).
final class LineSplitter {
    enum Event {
        /// A line without its `\n`. The bytes live in the splitter's buffer: valid until the next call.
        case line(UnsafeRawBufferPointer)
        /// A line longer than `maxLineBytes`, skipped; `length` is its size without the `\n`.
        case tooLong(length: Int)
        /// The stream ended cleanly (after the last line).
        case end
        /// The stream ended early. The unfinished line at the break is dropped;
        /// `lineNumber`/`lineOffset` tell where it started.
        case failed(StreamFailure)
    }

    private let source: any ByteSource
    private let maxLineBytes: Int
    private let baseCapacity: Int
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    /// Unconsumed bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    /// Bytes after `start` already searched for a newline without success.
    private var searched = 0
    /// Stream offset of `buffer[0]`.
    private var bufferOffset = 0
    private var sourceEnded = false
    private var discarding = false
    private var discardedBytes = 0
    private var nextLineNumber = 1

    /// 1-based line number of the line in the last event (or where the stream broke off).
    private(set) var lineNumber = 0
    /// Stream offset of the start of that line.
    private(set) var lineOffset = 0
    /// Bytes received from the source so far.
    private(set) var totalBytes = 0

    /// - Parameter baseOffset: the stream offset of the source's first byte (a reader that starts inside a file).
    init(source: any ByteSource, bufferSize: Int = 1 << 20, maxLineBytes: Int, baseOffset: Int = 0) {
        self.source = source
        bufferOffset = baseOffset
        self.maxLineBytes = min(max(maxLineBytes, 0), 1 << 40)
        baseCapacity = max(bufferSize, 16)
        capacity = baseCapacity
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    func next() throws(GristError) -> Event {
        while true {
            let unsearched = buffer + start + searched
            let pending = end - start - searched
            if pending > 0, let newline = memchr(unsearched, 0x0A, pending) {
                let lineEnd = UnsafeMutableRawPointer(newline) - buffer
                return takeLine(upTo: lineEnd, consumed: lineEnd + 1)
            }
            searched = end - start
            if discarding {
                discardedBytes += end - start
                drop()
            } else if end - start > maxLineBytes {
                beginLine()
                discarding = true
                discardedBytes = end - start
                drop()
            }
            if sourceEnded { return finish() }
            try fill()
        }
    }

    /// Records the position of a line that starts at `start`.
    private func beginLine() {
        lineNumber = nextLineNumber
        nextLineNumber += 1
        lineOffset = bufferOffset + start
    }

    /// Forgets the buffered bytes (of a line being skipped).
    private func drop() {
        bufferOffset += end
        start = 0
        end = 0
        searched = 0
    }

    private func takeLine(upTo lineEnd: Int, consumed: Int) -> Event {
        defer {
            start = consumed
            searched = 0
        }
        if discarding {
            discarding = false
            return .tooLong(length: discardedBytes + lineEnd - start)
        }
        beginLine()
        let length = lineEnd - start
        if length > maxLineBytes { return .tooLong(length: length) }
        return .line(UnsafeRawBufferPointer(start: buffer + start, count: length))
    }

    /// After the source ended: the last line without `\n`, then `.end` or `.failed`.
    private func finish() -> Event {
        if let failure = source.failure {
            if !discarding {
                lineNumber = nextLineNumber
                lineOffset = bufferOffset + start
            }
            discarding = false
            drop()
            return .failed(failure)
        }
        if discarding || start < end { return takeLine(upTo: end, consumed: end) }
        return .end
    }

    /// Reads more bytes after the unconsumed ones, compacting or resizing the buffer first.
    private func fill() throws(GristError) {
        let kept = end - start
        if start > 0 {
            if capacity > baseCapacity, kept <= baseCapacity / 2 {
                resize(to: baseCapacity)
            } else {
                memmove(buffer, buffer + start, kept)
                bufferOffset += start
                start = 0
                end = kept
            }
        }
        if end == capacity {
            resize(to: min(max(capacity * 2, baseCapacity), maxLineBytes + 1))
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if n == 0 {
            sourceEnded = true
        } else {
            end += n
            totalBytes += n
        }
    }

    /// Moves the unconsumed bytes to the front of a new buffer of `newCapacity` bytes.
    private func resize(to newCapacity: Int) {
        let kept = end - start
        let newBuffer = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBuffer.copyMemory(from: buffer + start, byteCount: kept)
        buffer.deallocate()
        buffer = newBuffer
        capacity = newCapacity
        bufferOffset += start
        start = 0
        end = kept
    }
}
