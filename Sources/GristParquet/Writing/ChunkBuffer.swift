#if canImport(Glibc)
import Glibc
#endif

/// The page bodies of a column chunk, in one growing allocation that a codec writes into directly
/// (an array cannot hand out its spare capacity, so each page would be compressed elsewhere and
/// copied). The one place the writer touches raw memory it allocated itself.
final class ChunkBuffer {
    private(set) var count = 0
    private var capacity = 0
    private var base: UnsafeMutableRawPointer?

    deinit { free(base) }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base! + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }

    /// Lets `fill` write at most `maxCount` bytes at the end, and keeps as many as it returns.
    func appendInPlace(maxCount: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows {
        reserve(max(maxCount, 1))
        let written = try fill(UnsafeMutableRawBufferPointer(start: base! + count, count: maxCount))
        precondition(written >= 0 && written <= maxCount, "wrote \(written) bytes into room for \(maxCount)")
        count += written
    }

    /// The bytes in `range` (valid during the call only).
    func withBytes<Result>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "\(range) is outside 0..<\(count)")
        guard let base else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    /// Empties the buffer, keeping its memory for the next chunk.
    func removeAll() { count = 0 }

    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let grown = max(count + extra, capacity * 2, 1 << 16)
        guard let moved = realloc(base, grown) else { fatalError("out of memory: a column chunk of \(grown) bytes") }
        base = moved
        capacity = grown
    }
}
