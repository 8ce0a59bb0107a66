import Foundation
import GristCore
import Testing
@testable import GristCollect

/// Every byte of `path`, decompressed as its name says (the readers' own decoders).
private func readBack(_ path: String) throws -> [UInt8] {
    let source = try Compression.openSource(path: path, bufferSize: 1 << 16)
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        if n == 0 { break }
        bytes += buffer.prefix(n)
    }
    #expect(source.failure == nil, "\(path)")
    return bytes
}

private func fileBytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

/// Writes `data` to `path` in pieces of the given sizes (cycled), then finishes.
private func write(_ data: [UInt8], to path: String, pieces: [Int]) throws -> (sha256: String?, byteCount: Int) {
    let writer = try CompressedFileWriter(path: path, hashing: true)
    var offset = 0, index = 0
    while offset < data.count {
        let count = min(pieces[index % pieces.count], data.count - offset)
        try data.withUnsafeBytes { try writer.write(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
        offset += count
        index += 1
    }
    return try writer.finish()
}

/// Issue 15: the writer of compressed files (the curated text, `grist dedup --write`).
@Suite struct CompressedFileWriterTests {
    private static func sample(_ count: Int) -> [UInt8] {
        var random = TestRandom(state: 7)
        let words = ["the ", "curated ", "text ", "of ", "a ", "build\n", "é ", "日本 "].map { Array($0.utf8) }
        var out: [UInt8] = []
        while out.count < count { out += words[random.below(words.count)] }
        return out
    }

    @Test(arguments: ["plain.jsonl", "x.jsonl.gz", "x.jsonl.zst", "x.xml.bz2"])
    func whatIsWrittenReadsBackThroughTheReadersDecoders(name: String) throws {
        let folder = try TempFolder()
        let data = Self.sample(3_000_000)
        let path = folder.path + "/" + name
        let (sha256, byteCount) = try write(data, to: path, pieces: [1, 0, 70_000, 5, 2_500_000, 333])
        #expect(try readBack(path) == data)
        let stored = try fileBytes(path)
        #expect(sha256 == SHA256.hex(of: stored) && byteCount == stored.count)
        #expect(Compression.sniff(Array(stored.prefix(4)), complete: true) == (name.hasPrefix("plain") ? nil : Compression(path: name)))
        if !name.hasPrefix("plain") { #expect(stored.count < data.count / 2, "compressed") }
        #expect(FileSystem.contents(of: folder.path) == [name], "no partial file is left")
    }

    @Test(arguments: ["x.gz", "x.zst", "x.bz2"])
    func theBytesDependOnlyOnTheInput(name: String) throws {
        let folder = try TempFolder()
        let data = Self.sample(1_000_000)
        let one = try write(data, to: folder.path + "/a-" + name, pieces: [data.count])
        let many = try write(data, to: folder.path + "/b-" + name, pieces: [1, 4096, 77, 100_000])
        #expect(one.sha256 == many.sha256, "the same bytes however they were handed over")
        #expect(try fileBytes(folder.path + "/a-" + name) == fileBytes(folder.path + "/b-" + name))
    }

    @Test func anEmptyFileIsAValidEmptyStream() throws {
        let folder = try TempFolder()
        for name in ["e.gz", "e.zst", "e.bz2", "e.txt"] {
            let path = folder.path + "/" + name
            try CompressedFileWriter(path: path).finish()
            #expect(try readBack(path).isEmpty, "\(name)")
        }
        #expect(try fileBytes(folder.path + "/e.txt").isEmpty)
    }

    @Test func aWriterDroppedBeforeFinishLeavesNothing() throws {
        let folder = try TempFolder()
        do {
            let writer = try CompressedFileWriter(path: folder.path + "/x.zst")
            try writer.write(Array("{\"text\": \"half\"}\n".utf8))
            #expect(FileSystem.contents(of: folder.path) == ["x.zst.partial"], "written under a temporary name")
        }
        #expect(FileSystem.contents(of: folder.path).isEmpty)
    }
}
