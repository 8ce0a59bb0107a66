#if canImport(Glibc)
import Glibc
#endif

/// An owned, 64-byte-aligned, zero-filled array of `Float`: parameters, gradients, optimizer state and
/// activations each live in one of these, with named views into it (llm.c style).
public final class FloatBuffer: @unchecked Sendable {
    public let count: Int
    public let base: UnsafeMutablePointer<Float>

    public init(count: Int) {
        precondition(count >= 0, "negative size")
        self.count = count
        var raw: UnsafeMutableRawPointer?
        let bytes = max(64, count * MemoryLayout<Float>.stride)
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            preconditionFailure("out of memory allocating \(bytes) bytes")
        }
        memset(raw, 0, bytes)
        base = raw.bindMemory(to: Float.self, capacity: max(16, count))
    }

    deinit { free(base) }

    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: base, count: count) }

    /// Sets every element to zero.
    public func zero() { memset(base, 0, count * MemoryLayout<Float>.stride) }

    /// Sets the first `count` elements to zero.
    public func zero(first count: Int) {
        precondition(count <= self.count, "zeroing past the end")
        memset(base, 0, count * MemoryLayout<Float>.stride)
    }

    public func copy(from other: FloatBuffer) {
        precondition(other.count == count, "size mismatch")
        memcpy(base, other.base, count * MemoryLayout<Float>.stride)
    }

    public var array: [Float] { Array(buffer) }
}
