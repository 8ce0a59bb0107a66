/// Appends bytes to a file, or to standard output, through a large buffer; `sync()` makes a file's
/// bytes durable.
///
/// The one buffered writer: work files, output files and the commands that stream to standard output
/// all write through it, and it writes through a `FileDescriptor` (which retries interrupted writes
/// and names the file in errors).
public final class BufferedFileWriter {
    /// The file's path, or "standard output".
    public var path: String { file.path }
    private let file: FileDescriptor
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// Bytes written so far (buffered included).
    public private(set) var bytesWritten = 0
    /// With `hashing`: the SHA-256 of the bytes as they reach the file.
    private let hasher: SHA256?

    /// Creates (or truncates) `path`; with `hashing`, the writer computes the SHA-256 of everything it
    /// writes (`sha256()`), so a file's checksum needs no second read.
    public convenience init(path: String, capacity: Int = 1 << 20, hashing: Bool = false) throws {
        self.init(file: try FileDescriptor(creating: path), capacity: capacity, hashing: hashing)
    }

    /// Writes to standard output; nothing reaches it before a `flush()` (or a write of at least
    /// `capacity` bytes), and `close()` flushes without closing it.
    public convenience init(standardOutputCapacity capacity: Int = 1 << 20) {
        self.init(file: .standardOutput, capacity: capacity)
    }

    private init(file: FileDescriptor, capacity: Int, hashing: Bool = false) {
        self.file = file
        self.capacity = capacity
        hasher = hashing ? SHA256() : nil
        buffer.reserveCapacity(capacity)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        bytesWritten += bytes.count
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try emit(bytes)
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
        try buffer.withUnsafeBytes { try emit($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// The SHA-256 (hex) of everything written, once it is all flushed (after `sync()` or `close()`); nil
    /// without `hashing`. Call once.
    public func sha256() -> String? {
        precondition(buffer.isEmpty, "sha256() is read after the writer is flushed")
        return hasher.map { hexString($0.finalize()) }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws {
        hasher?.update(bytes)
        try file.writeAll(bytes)
    }

    /// Flushes and fsyncs: the bytes are on disk when this returns.
    public func sync() throws {
        try flush()
        try file.sync()
    }

    /// Flushes and closes the file (standard output stays open).
    public func close() throws {
        try flush()
        try file.close()
    }
}
