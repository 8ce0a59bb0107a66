import Foundation
import GristCore
import Testing

@Suite struct FileDescriptorTests {
    private func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grist-fd-\(UUID().uuidString)").path
        try FileSystem.createDirectory(path)
        return path
    }

    /// The error `body` throws, as a GristError.
    private func error(_ body: () throws -> Void) -> GristError? {
        do { try body() } catch let error as GristError { return error } catch { return nil }
        return nil
    }

    @Test func readsInPiecesAndReturnsZeroAtTheEnd() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let path = root + "/f"
        try Data("hello, world".utf8).write(to: URL(fileURLWithPath: path))
        let file = try FileDescriptor(reading: path)
        #expect(file.path == path)
        var buffer = [UInt8](repeating: 0, count: 5)
        #expect(try buffer.withUnsafeMutableBytes { try file.read(into: $0) } == 5)
        #expect(String(decoding: buffer, as: UTF8.self) == "hello")
        #expect(try buffer.withUnsafeMutableBytes { try file.readFully(into: $0) } == 5)
        #expect(String(decoding: buffer, as: UTF8.self) == ", wor")
        // The last two bytes, then the end: a short count, then 0 (again and again).
        #expect(try buffer.withUnsafeMutableBytes { try file.readFully(into: $0) } == 2)
        #expect(buffer[0..<2] == [UInt8]("ld".utf8)[...])
        #expect(try buffer.withUnsafeMutableBytes { try file.read(into: $0) } == 0)
        #expect(try buffer.withUnsafeMutableBytes { try file.readFully(into: $0) } == 0)
        // An empty buffer reads nothing.
        #expect(try file.read(into: UnsafeMutableRawBufferPointer(start: nil, count: 0)) == 0)
    }

    @Test func readsAtAnOffsetWithoutMovingThePosition() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let path = root + "/f"
        try Data("0123456789".utf8).write(to: URL(fileURLWithPath: path))
        let file = try FileDescriptor(reading: path)
        var buffer = [UInt8](repeating: 0, count: 4)
        #expect(try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: 3) } == 4)
        #expect(String(decoding: buffer, as: UTF8.self) == "3456")
        #expect(try buffer.withUnsafeMutableBytes { try file.readFully(into: $0, at: 8) } == 2)
        #expect(buffer[0..<2] == [UInt8]("89".utf8)[...])
        #expect(try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: 10) } == 0)
        #expect(try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: 1_000) } == 0)
        // The sequential position is still at the start.
        #expect(try buffer.withUnsafeMutableBytes { try file.read(into: $0) } == 4)
        #expect(String(decoding: buffer, as: UTF8.self) == "0123")
    }

    @Test func writesEverythingAndReportsStatus() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let path = root + "/out"
        try Data("old contents, longer".utf8).write(to: URL(fileURLWithPath: path))
        let file = try FileDescriptor(creating: path)  // truncates
        let big = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try file.writeAll(big)
        try file.writeAll(Array("tail".utf8))
        try file.writeAll(UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(Int(try file.status().st_size) == big.count + 4)
        try file.sync()
        try file.close()
        try file.close()  // a second close does nothing
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(big + Array("tail".utf8)))
    }

    @Test func bufferedWriterWritesThroughInOrder() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let path = root + "/w"
        let writer = try BufferedFileWriter(path: path, capacity: 8)
        try writer.write(Array("abc".utf8))
        try writer.write(Array("0123456789".utf8))  // at least the capacity: written straight through
        try writer.write(littleEndian: UInt16(0x4241))
        #expect(writer.bytesWritten == 15)
        #expect(writer.path == path)
        try writer.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "abc0123456789AB")
    }

    @Test func errorsNameThePath() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let missing = error { _ = try FileDescriptor(reading: root + "/missing") }
        #expect(missing?.kind == .io)
        #expect(missing?.description == root + "/missing: cannot open: No such file or directory")
        let uncreatable = error { _ = try FileDescriptor(creating: root + "/no/such/folder/f") }
        #expect(uncreatable?.description == root + "/no/such/folder/f: cannot create file: No such file or directory")
        // A folder opens for reading, but reading it fails: the error names the folder (and the byte of a pread).
        let folder = try FileDescriptor(reading: root)
        var buffer = [UInt8](repeating: 0, count: 4)
        let sequential = error { _ = try buffer.withUnsafeMutableBytes { try folder.read(into: $0) } }
        #expect(sequential?.kind == .io)
        #expect(sequential?.description == root + ": read failed: Is a directory")
        let positioned = error { _ = try buffer.withUnsafeMutableBytes { try folder.read(into: $0, at: 7) } }
        #expect(positioned?.description == root + " (byte 7): read failed: Is a directory")
        // Writing a file opened for reading.
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/r"))
        let readOnly = try FileDescriptor(reading: root + "/r")
        let write = error { try readOnly.writeAll(Array("y".utf8)) }
        #expect(write?.description == root + "/r: write failed: Bad file descriptor")
    }

    @Test func aClosedDescriptorFailsWithThePath() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let path = root + "/c"
        try Data("abc".utf8).write(to: URL(fileURLWithPath: path))
        let file = try FileDescriptor(reading: path)
        try file.close()
        #expect(file.rawValue == -1)
        var buffer = [UInt8](repeating: 0, count: 4)
        let read = error { _ = try buffer.withUnsafeMutableBytes { try file.read(into: $0) } }
        #expect(read?.description == path + ": read failed: Bad file descriptor")
        let pread = error { _ = try buffer.withUnsafeMutableBytes { try file.readFully(into: $0, at: 1) } }
        #expect(pread?.description == path + " (byte 1): read failed: Bad file descriptor")
        let write = error { try file.writeAll(Array("z".utf8)) }
        #expect(write?.description == path + ": write failed: Bad file descriptor")
        let stat = error { _ = try file.status() }
        #expect(stat?.description == path + ": cannot stat: Bad file descriptor")
        let sync = error { try file.sync() }
        #expect(sync?.description == path + ": fsync failed: Bad file descriptor")
    }

    @Test func standardStreamsAreNamedAndNeverClosed() throws {
        #expect(FileDescriptor.standardInput.rawValue == 0)
        #expect(FileDescriptor.standardOutput.rawValue == 1)
        #expect(FileDescriptor.standardError.rawValue == 2)
        #expect(FileDescriptor.standardOutput.path == "standard output")
        try FileDescriptor.standardError.close()
        #expect(FileDescriptor.standardError.rawValue == 2)
        #expect(fcntl(2, F_GETFD) >= 0)
    }
}
