import GristCore

/// Buffered output of text lines to a file (written whole or not at all) or to stdout.
final class LineSink {
    private let writer: BufferedFileWriter
    /// The file's final path and the temporary one written until `close()`; nil for stdout.
    private let file: (path: String, temporary: String)?

    /// `path` nil means stdout.
    init(path: String?) throws {
        if let path {
            let temporary = path + ".partial"
            file = (path, temporary)
            writer = try BufferedFileWriter(path: temporary)
        } else {
            file = nil
            writer = BufferedFileWriter(standardOutputCapacity: 1 << 16)
        }
    }

    func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try writer.write(UnsafeRawBufferPointer($0)) }
    }

    /// Flushes; a file is fsynced and renamed into place.
    func close() throws {
        guard let file else { return try writer.flush() }
        try writer.sync()
        try writer.close()
        try AtomicFile.commit(temporary: file.temporary, to: file.path)
    }

    /// Removes the unfinished file after a failure.
    func discard() {
        if let file { try? FileSystem.remove(file.temporary) }
    }
}
