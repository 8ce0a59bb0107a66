#if canImport(Glibc)
import Glibc
#endif

/// Files that appear whole or not at all: written under a temporary name, fsynced, then renamed.
public enum AtomicFile {
    /// Writes `path` through `body`; on any error the temporary file is removed and `path` is untouched.
    public static func write(path: String, _ body: (BufferedFileWriter) throws -> Void) throws {
        let temporary = path + ".tmp-\(getpid())"
        do {
            let writer = try BufferedFileWriter(path: temporary)
            try body(writer)
            try writer.sync()
            try writer.close()
            try commit(temporary: temporary, to: path)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Renames a finished temporary file into place and makes the rename durable.
    public static func commit(temporary: String, to path: String) throws {
        if rename(temporary, path) != 0 {
            throw GristError(.io, "cannot rename \(temporary): \(errnoText())", at: InputPosition(path: path))
        }
        syncDirectory(of: path)
    }

    /// fsyncs the folder holding `path`, so that a rename survives a crash.
    public static func syncDirectory(of path: String) {
        let fd = open(FileSystem.parent(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
