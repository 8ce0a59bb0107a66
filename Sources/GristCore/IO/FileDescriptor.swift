#if canImport(Glibc)
import Glibc
#endif

/// An open file descriptor and the name its errors carry: the one place that calls `read(2)`,
/// `pread(2)` and `write(2)`.
///
/// Every call interrupted by a signal (`EINTR`) is retried here, and every failure becomes a
/// `GristError` of kind `.io` naming the file (and, for a read at an offset, the byte): `read failed:
/// REASON`, `write failed: REASON`. A descriptor opened here is owned (closed by `close()` or when the
/// object goes); the standard streams are borrowed, never closed, and their errors name the stream
/// instead (`cannot read standard input: REASON`, `cannot write to standard output: REASON`).
///
/// Reads and writes allocate nothing, so readers on the input path call them once per buffer.
/// `@unchecked Sendable` so that the standard streams can be shared: the kernel orders concurrent
/// reads and writes; only `close()` must not race with the other calls.
public final class FileDescriptor: @unchecked Sendable {
    /// The descriptor number; -1 once closed.
    public private(set) var rawValue: Int32
    /// The file's path, or the stream's name ("standard output").
    public let path: String
    private let isStandardStream: Bool

    private init(rawValue: Int32, path: String, isStandardStream: Bool) {
        self.rawValue = rawValue
        self.path = path
        self.isStandardStream = isStandardStream
    }

    /// Standard input (descriptor 0), borrowed.
    public static let standardInput = FileDescriptor(rawValue: 0, path: "standard input", isStandardStream: true)
    /// Standard output (descriptor 1), borrowed. Unbuffered; see `BufferedFileWriter(standardOutputCapacity:)`.
    public static let standardOutput = FileDescriptor(rawValue: 1, path: "standard output", isStandardStream: true)
    /// Standard error (descriptor 2), borrowed.
    public static let standardError = FileDescriptor(rawValue: 2, path: "standard error", isStandardStream: true)

    /// Opens `path` for reading.
    public convenience init(reading path: String) throws(GristError) {
        let fd = Int32(Self.retryingInterrupts { Int(open(path, O_RDONLY | O_CLOEXEC)) })
        if fd < 0 { throw GristError(.io, "cannot open: \(errnoText())", at: InputPosition(path: path)) }
        self.init(rawValue: fd, path: path, isStandardStream: false)
    }

    /// Creates `path` for writing, or truncates it if it exists.
    public convenience init(creating path: String, mode: mode_t = 0o644) throws(GristError) {
        let fd = Int32(Self.retryingInterrupts { Int(open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) })
        if fd < 0 { throw GristError(.io, "cannot create file: \(errnoText())", at: InputPosition(path: path)) }
        self.init(rawValue: fd, path: path, isStandardStream: false)
    }

    deinit { if rawValue >= 0, !isStandardStream { Glibc.close(rawValue) } }

    // MARK: Reading

    /// Reads up to `buffer.count` bytes at the current position and moves past them: fewer when the
    /// file has fewer (or a pipe has fewer ready), 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(GristError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let n = Self.retryingInterrupts { Glibc.read(rawValue, base, buffer.count) }
        if n < 0 { throw failure(.read) }
        return n
    }

    /// Reads up to `buffer.count` bytes starting at byte `offset` (`pread(2)`), without moving the
    /// current position: fewer when the file ends first, 0 at or past the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(GristError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let n = Self.retryingInterrupts { pread(rawValue, base, buffer.count, off_t(offset)) }
        if n < 0 { throw failure(.read, at: offset) }
        return n
    }

    /// Reads at the current position until `buffer` is full or the file ends; returns the bytes read
    /// (fewer than `buffer.count` only at the end).
    public func readFully(into buffer: UnsafeMutableRawBufferPointer) throws(GristError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads from byte `offset` on until `buffer` is full or the file ends, without moving the current
    /// position; returns the bytes read (fewer than `buffer.count` only at the end).
    public func readFully(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(GristError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + done)
            if n == 0 { break }
            done += n
        }
        return done
    }

    // MARK: Writing

    /// Writes all of `bytes` at the current position, however many calls that takes.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(GristError) {
        guard var base = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = Self.retryingInterrupts { Glibc.write(rawValue, base, left) }
            if n < 0 { throw failure(.write) }
            if n == 0 { throw failure(.write, reason: "no bytes written") }
            left -= n
            base += n
        }
    }

    /// Writes all of `bytes` at the current position.
    public func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeAll($0) }
    }

    // MARK: The file

    /// The file's `fstat(2)` information: size, kind, modification time.
    public func status() throws(GristError) -> stat {
        var info = stat()
        if fstat(rawValue, &info) != 0 {
            throw GristError(.io, "cannot stat: \(errnoText())", at: InputPosition(path: path))
        }
        return info
    }

    /// Tells the kernel the file will be read from start to end (it reads further ahead).
    public func adviseSequential() { _ = posix_fadvise(rawValue, 0, 0, POSIX_FADV_SEQUENTIAL) }

    /// Makes the bytes written so far durable (`fsync(2)`).
    public func sync() throws(GristError) {
        if fsync(rawValue) != 0 { throw GristError(.io, "fsync failed: \(errnoText())", at: InputPosition(path: path)) }
    }

    /// Closes an owned descriptor now (a second call does nothing); a standard stream stays open.
    public func close() throws(GristError) {
        guard rawValue >= 0, !isStandardStream else { return }
        let result = Glibc.close(rawValue)
        rawValue = -1
        if result != 0 { throw GristError(.io, "close failed: \(errnoText())", at: InputPosition(path: path)) }
    }

    // MARK: The one EINTR loop and the error text

    /// Calls `call` again while it fails with `EINTR` (a signal arrived before any byte moved).
    @inline(__always)
    private static func retryingInterrupts(_ call: () -> Int) -> Int {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }

    private enum Operation { case read, write }

    /// The error for a failed read or write, from `errno` (or `reason`): the file and byte, or the stream.
    private func failure(_ operation: Operation, at offset: Int? = nil, reason: String? = nil) -> GristError {
        let reason = reason ?? errnoText()
        if isStandardStream {
            let verb = operation == .read ? "read" : "write to"
            return GristError(.io, "cannot \(verb) \(path): \(reason)")
        }
        let what = operation == .read ? "read failed" : "write failed"
        return GristError(.io, "\(what): \(reason)", at: InputPosition(path: path, byteOffset: offset))
    }
}

/// The C library's message for the current `errno`.
public func errnoText() -> String { String(cString: strerror(errno)) }
