import GristCore

#if canImport(Glibc)
import Glibc
#endif

/// Buffered output of text lines to a file (written whole or not at all) or to stdout.
final class LineSink {
    private let file: BufferedFileWriter?
    private let temporary: String?
    private let path: String?
    private var buffer: [UInt8] = []

    /// `path` nil means stdout.
    init(path: String?) throws {
        self.path = path
        if let path {
            let temporary = path + ".partial"
            self.temporary = temporary
            file = try BufferedFileWriter(path: temporary)
        } else {
            temporary = nil
            file = nil
        }
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        if let file {
            try file.write(buffer)
        } else {
            try buffer.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count, let base = bytes.baseAddress {
                    let n = Glibc.write(1, base + offset, bytes.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw GristError(.io, "cannot write to standard output: \(errnoText())")
                    }
                    offset += n
                }
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes; a file is fsynced and renamed into place.
    func close() throws {
        try flush()
        guard let file, let temporary, let path else { return }
        try file.sync()
        try file.close()
        try AtomicFile.commit(temporary: temporary, to: path)
    }

    /// Removes the unfinished file after a failure.
    func discard() {
        if let temporary { try? FileSystem.remove(temporary) }
    }
}
