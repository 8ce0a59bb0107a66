import Foundation
import GristCore
import Testing

@Suite struct FileTests {
    private func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grist-core-\(UUID().uuidString)").path
        try FileSystem.createDirectory(path)
        return path
    }

    @Test func sizeFollowsSymbolicLinksAndNamesParents() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        try String(repeating: "x", count: 1000).write(toFile: root + "/data.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/link.txt", withDestinationPath: root + "/data.txt")
        #expect(FileSystem.size(root + "/link.txt") == 1000)
        #expect(FileSystem.size(root + "/missing.txt") == nil)
        #expect(FileSystem.parent(of: root + "/data.txt") == root)
        #expect(FileSystem.parent(of: "data.txt") == ".")
        #expect(FileSystem.parent(of: "/data.txt") == "/")
    }

    @Test func globMatchesSortedAndRecursive() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        for name in ["b.txt", "a.txt", "c.md", "sub/d.txt", "sub/deeper/e.txt", ".hidden/f.txt"] {
            let path = root + "/" + name
            try FileSystem.createDirectory((path as NSString).deletingLastPathComponent)
            try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        }
        #expect(Glob.expand(root + "/*.txt") == [root + "/a.txt", root + "/b.txt"])
        #expect(Glob.expand(root + "/**/*.txt")
            == [root + "/a.txt", root + "/b.txt", root + "/sub/d.txt", root + "/sub/deeper/e.txt"])
        #expect(Glob.expand(root + "/nothing*").isEmpty)
        #expect(Glob.expand(root + "/sub/**") == [root + "/sub/d.txt", root + "/sub/deeper/e.txt"])
        #expect(Glob.hasWildcard("a/*.txt") && !Glob.hasWildcard("a/b.txt"))
    }

    @Test func atomicWriteReplacesWholeOrLeavesOldFile() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let path = root + "/f.bin"
        try AtomicFile.write(path: path) { try $0.write(Array("first".utf8)) }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try AtomicFile.write(path: path) { writer in
                try writer.write(Array("second".utf8))
                throw Boom()
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first")
        #expect(FileSystem.contents(of: root) == ["f.bin"])
    }

    @Test func mappedFileReadsBytesAndRejectsFolders() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: root + "/m"))
        let mapped = try MappedFile(path: root + "/m")
        #expect(Array(mapped.bytes) == [1, 2, 3])
        #expect(throws: GristError.self) { try MappedFile(path: root) }
        #expect(throws: GristError.self) { try MappedFile(path: root + "/missing") }
    }
}
