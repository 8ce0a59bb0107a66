import GristCore

#if canImport(Glibc)
import Glibc
#endif

/// The slots of an ``EvalSetIndex`` in a file mapped into memory, for eval sets larger than the memory
/// budget: the kernel writes the pages back to the file and reads them again as lookups touch them, so
/// the index takes page cache (which memory pressure reclaims) instead of the process's own memory.
///
/// The file is unlinked as soon as it is mapped: nothing is left behind, whatever happens to the process.
/// Written only while the index is built, then read by any number of threads.
final class SpilledNGramTable: @unchecked Sendable {
    let keys: UnsafeMutablePointer<UInt64>
    let values: UnsafeMutablePointer<UInt32>
    let slots: Int
    private let base: UnsafeMutableRawPointer
    private let length: Int

    /// A zeroed table of `slots` slots in a new file of `directory`.
    init(slots: Int, directory: String) throws {
        try FileSystem.createDirectory(directory)
        let path = directory + "/eval-ngrams-XXXXXX"
        var template = Array(path.utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw GristError(.io, "cannot create the eval n-gram table: \(String(cString: strerror(errno)))",
                             at: InputPosition(path: directory))
        }
        let created = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer {
            unlink(created)
            close(fd)
        }
        length = slots * 12
        guard ftruncate(fd, off_t(length)) == 0 else {
            throw GristError(.io, "cannot size the eval n-gram table to \(length) bytes: "
                + String(cString: strerror(errno)), at: InputPosition(path: created))
        }
        guard let mapped = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED else {
            throw GristError(.io, "cannot map the eval n-gram table: \(String(cString: strerror(errno)))",
                             at: InputPosition(path: created))
        }
        base = mapped
        self.slots = slots
        keys = mapped.bindMemory(to: UInt64.self, capacity: slots)
        values = (mapped + slots * 8).bindMemory(to: UInt32.self, capacity: slots)
    }

    deinit { munmap(base, length) }
}
