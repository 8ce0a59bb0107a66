#if canImport(Glibc)
import Glibc
#endif
import GristCore

/// The raw bytes of a file, read at the offset after the bytes handed out so far; the caller's buffer
/// sets the chunk size.
final class FileSource: ByteSource {
    let path: String
    private let file: FileDescriptor
    /// Bytes handed out so far: the file offset of the next read.
    private(set) var bytesRead = 0

    /// A plain file never ends early: a short file is simply short.
    var failure: StreamFailure? { nil }

    /// Opens `path` for reading from byte `offset` on.
    init(path: String, offset: Int = 0) throws(GristError) {
        self.path = path
        file = try FileDescriptor(reading: path)
        if let info = try? file.status(), (info.st_mode & S_IFMT) == S_IFDIR {
            throw GristError(.io, "is a folder, not a file", at: InputPosition(path: path))
        }
        file.adviseSequential()
        bytesRead = offset
    }

    /// The first line start at or after `offset`: `offset` itself when the byte before it is a newline,
    /// else the byte after the next newline (the file size when there is none).
    func lineStart(atOrAfter offset: Int) throws(GristError) -> Int {
        guard offset > 0 else { return 0 }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
        defer { chunk.deallocate() }
        var position = offset - 1
        while true {
            let n = try file.read(into: chunk, at: position)
            if n == 0 { return position }
            if let index = chunk[..<n].firstIndex(of: 0x0A) { return position + index + 1 }
            position += n
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(GristError) -> Int {
        let n = try file.read(into: buffer, at: bytesRead)
        bytesRead += n
        return n
    }

    /// Up to `count` bytes from the start of the file, without moving the read position
    /// (to check magic numbers).
    func peek(_ count: Int) throws(GristError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        defer { buffer.deallocate() }
        let got = try file.readFully(into: buffer, at: 0)
        return Array(buffer[..<got])
    }
}
