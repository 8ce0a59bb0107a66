#if canImport(Glibc)
import Glibc
#endif
import GristCore

/// The raw bytes of a file through `read(2)`; the caller's buffer sets the chunk size.
final class FileSource: ByteSource {
    let path: String
    private let fd: Int32
    /// Bytes handed out so far: the file offset of the next read.
    private(set) var bytesRead = 0

    /// A plain file never ends early: a short file is simply short.
    var failure: StreamFailure? { nil }

    /// Opens `path` for reading from byte `offset` on.
    init(path: String, offset: Int = 0) throws(GristError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw GristError(.io, "cannot open: \(errnoText())", at: InputPosition(path: path)) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw GristError(.io, "is a folder, not a file", at: InputPosition(path: path))
        }
        if offset > 0, lseek(fd, off_t(offset), SEEK_SET) < 0 {
            let reason = errnoText()
            close(fd)
            throw GristError(.io, "cannot seek to byte \(offset): \(reason)", at: InputPosition(path: path))
        }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        self.fd = fd
        bytesRead = offset
    }

    /// The first line start at or after `offset`: `offset` itself when the byte before it is a newline,
    /// else the byte after the next newline (the file size when there is none).
    func lineStart(atOrAfter offset: Int) throws(GristError) -> Int {
        guard offset > 0 else { return 0 }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var position = offset - 1
        while true {
            let n = chunk.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(fd, base, buffer.count, off_t(position))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw GristError(.io, "read failed: \(errnoText())", at: InputPosition(path: path, byteOffset: position))
            }
            if n == 0 { return position }
            if let index = chunk[..<n].firstIndex(of: 0x0A) { return position + index + 1 }
            position += n
        }
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(GristError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(fd, base, buffer.count)
            if n >= 0 {
                bytesRead += n
                return n
            }
            if errno == EINTR { continue }
            throw GristError(.io, "read failed: \(errnoText())", at: InputPosition(path: path, byteOffset: bytesRead))
        }
    }

    /// Up to `count` bytes from the start of the file, without moving the read position
    /// (to check magic numbers).
    func peek(_ count: Int) throws(GristError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(fd, base + got, count - got, off_t(got))
            }
            if n > 0 { got += n; continue }
            if n == 0 { break }
            if errno == EINTR { continue }
            throw GristError(.io, "read failed: \(errnoText())", at: InputPosition(path: path))
        }
        return Array(bytes.prefix(got))
    }
}
