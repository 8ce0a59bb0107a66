import GristCore

#if canImport(Glibc)
import Glibc
#endif

/// Writes a file compressed as its name says (`Compression(path:)`: gzip, zstd, bzip2 or plain), whole
/// or not at all: as `PATH.partial` until `finish()` syncs it and renames it into place; a writer
/// dropped before `finish()` removes its partial file.
///
/// The bytes depend only on what is written and the level: one stream (gzip member, zstd frame,
/// bzip2 stream) compressed on the calling thread, with no time or name in its header. Optionally
/// computes the SHA-256 of the bytes that reach the disk as it goes (the manifest's checksums).
public final class CompressedFileWriter {
    public let path: String
    public let compression: Compression
    private let temporary: String
    private let writer: BufferedFileWriter
    private let encoder: (any StreamEncoder)?
    private var finished = false

    /// Levels used when none is given: zstd's and gzip's own defaults.
    public static let defaultZstdLevel = 3
    public static let defaultGzipLevel = 6

    /// - Parameters:
    ///   - compression: nil: from the file name.
    ///   - level: the zstd or gzip level (nil: their defaults); bzip2 always uses 900 kB blocks.
    ///   - hashing: compute the SHA-256 of the file (returned by `finish()`).
    public init(path: String, compression: Compression? = nil, level: Int? = nil, hashing: Bool = false) throws {
        self.path = path
        let compression = compression ?? Compression(path: path)
        self.compression = compression
        temporary = path + ".partial"
        switch compression {
        case .none: encoder = nil
        case .zstd: encoder = try ZstdEncoder(level: level ?? Self.defaultZstdLevel, path: path)
        case .gzip: encoder = LibraryStreamEncoder(try GzipStream(level: level ?? Self.defaultGzipLevel, path: path))
        case .bzip2: encoder = LibraryStreamEncoder(try Bzip2Stream(path: path))
        }
        writer = try BufferedFileWriter(path: temporary, capacity: 1 << 20, hashing: hashing)
    }

    deinit {
        if !finished {
            try? writer.close()
            unlink(temporary)
        }
    }

    /// Appends `bytes` (uncompressed).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let encoder else { return try store(bytes) }
        try encoder.encode(bytes) { try store($0) }
    }

    public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    /// Ends the compressed stream, syncs the file and renames it into place; returns its SHA-256 (hex;
    /// nil unless `hashing`) and size on disk.
    @discardableResult
    public func finish() throws -> (sha256: String?, byteCount: Int) {
        precondition(!finished, "finish() is called once")
        if let encoder { try encoder.finish { try store($0) } }
        try writer.sync()
        try writer.close()
        try AtomicFile.commit(temporary: temporary, to: path)
        finished = true
        return (writer.sha256(), writer.bytesWritten)
    }

    private func store(_ bytes: UnsafeRawBufferPointer) throws {
        try writer.write(bytes)
    }
}
