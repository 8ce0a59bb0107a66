import Glibc
import Synchronization

extension SHA256 {
    private static let fileDigests = Mutex<[String: (size: Int, modified: Int, hex: String)]>([:])

    /// The SHA-256 (hex) of the file at `path`, read through a memory map. Computed once per process for a
    /// path while its size and modification time stay the same: a build keys its scan by a rule's model and
    /// records the model's checksum, and a model can be gigabytes.
    public static func hexDigest(ofFile path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw GristError(.io, "cannot stat: \(String(cString: strerror(errno)))", at: InputPosition(path: path))
        }
        let size = Int(info.st_size)
        let modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
        if let known = fileDigests.withLock({ $0[path] }), known.size == size, known.modified == modified {
            return known.hex
        }
        let file = try MappedFile(path: path)
        let hex = withExtendedLifetime(file) { hexString(digest(file.bytes)) }
        fileDigests.withLock { $0[path] = (size, modified, hex) }
        return hex
    }
}
