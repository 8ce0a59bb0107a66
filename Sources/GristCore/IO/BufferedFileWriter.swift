#if canImport(Glibc)
import Glibc
#endif

/// Appends bytes to a file through a large buffer; `sync()` makes them durable.
public final class BufferedFileWriter {
    public let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// Bytes written so far (buffered included).
    public private(set) var bytesWritten = 0

    /// Creates (or truncates) `path`.
    public init(path: String, capacity: Int = 1 << 20) throws {
        self.path = path
        self.capacity = capacity
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw GristError(.io, "cannot create file: \(errnoText())", at: InputPosition(path: path)) }
        buffer.reserveCapacity(capacity)
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        bytesWritten += bytes.count
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    /// Writes the little-endian bytes of an integer.
    public func write<T: FixedWidthInteger>(littleEndian value: T) throws {
        try withUnsafeBytes(of: value.littleEndian) { try write($0) }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and fsyncs: the bytes are on disk when this returns.
    public func sync() throws {
        try flush()
        if fsync(fd) != 0 { throw GristError(.io, "fsync failed: \(errnoText())", at: InputPosition(path: path)) }
    }

    public func close() throws {
        try flush()
        guard fd >= 0 else { return }
        let result = Glibc.close(fd)
        fd = -1
        if result != 0 { throw GristError(.io, "close failed: \(errnoText())", at: InputPosition(path: path)) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard var base = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = Glibc.write(fd, base, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw GristError(.io, "write failed: \(errnoText())", at: InputPosition(path: path))
            }
            left -= n
            base += n
        }
    }
}

/// The C library's message for the current `errno`.
public func errnoText() -> String { String(cString: strerror(errno)) }
