#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only into memory; bytes are paged in on demand.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let count: Int
    private let base: UnsafeRawPointer?

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw GristError(.io, "cannot open: \(errnoText())", at: InputPosition(path: path)) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw GristError(.io, "cannot stat: \(errnoText())", at: InputPosition(path: path)) }
        if (info.st_mode & S_IFMT) != S_IFREG {
            throw GristError(.io, "not a regular file", at: InputPosition(path: path))
        }
        count = Int(info.st_size)
        if count == 0 {
            base = nil
            return
        }
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        if mapped == MAP_FAILED {
            throw GristError(.io, "cannot map: \(errnoText())", at: InputPosition(path: path))
        }
        base = UnsafeRawPointer(mapped)
    }

    deinit { if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) } }

    /// The file's bytes; valid while this object lives.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}
