import Foundation
import GristCore
import GristShards
import Testing

@Suite struct ShardFormatTests {
    private func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grist-shards-\(UUID().uuidString)").path
        try FileSystem.createDirectory(path)
        return path
    }

    @Test func headerMatchesLLMCLayout() {
        let bytes = ShardHeader(tokenCount: 5).bytes
        #expect(bytes.count == 1024)
        #expect(Array(bytes[0..<12]) == [0x88, 0xD8, 0x34, 0x01, 1, 0, 0, 0, 5, 0, 0, 0])  // 20240520 = 0x0134D888
        #expect(bytes[12...].allSatisfy { $0 == 0 })
    }

    @Test func writesAndReadsBackTokensWithChecksum() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let path = root + "/s.bin"
        let writer = try ShardWriter(path: path, tokenCount: 6)
        try writer.append(50256)
        try [15496, 995].withUnsafeBufferPointer { try writer.append($0) }
        try writer.append(50256)
        try [40, 0].withUnsafeBufferPointer { try writer.append($0) }
        let (sha256, size) = try writer.finish()
        #expect(size == 1024 + 12)
        let reader = try ShardReader(path: path)
        #expect(reader.tokenCount == 6)
        #expect(reader.tokens(0..<6) == [50256, 15496, 995, 50256, 40, 0])
        #expect(reader.documentRanges(separator: 50256) == [0..<3, 3..<6])
        #expect(reader.sha256() == sha256)
        #expect(FileSystem.contents(of: root) == ["s.bin"])
    }

    @Test func writerRefusesWrongCountsAndWideTokens() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let short = try ShardWriter(path: root + "/a.bin", tokenCount: 2)
        try short.append(1)
        #expect(throws: GristError.self) { try short.finish() }
        let wide = try ShardWriter(path: root + "/b.bin", tokenCount: 1)
        #expect(throws: GristError.self) { try wide.append(70_000) }
        #expect(!FileSystem.exists(root + "/a.bin") && !FileSystem.exists(root + "/b.bin"))
    }

    @Test func readerRejectsBadFilesWithReasons() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        func message(_ bytes: [UInt8]) -> String {
            let path = root + "/x.bin"
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            do {
                _ = try ShardReader(path: path)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(message([1, 2, 3]).contains("shorter than the 1024-byte shard header"))
        #expect(message([UInt8](repeating: 7, count: 1024)).contains("bad magic number"))
        var truncated = ShardHeader(tokenCount: 10).bytes
        truncated += [1, 0, 2, 0]
        #expect(message(truncated).contains("header says 10 tokens"))
        var version = ShardHeader(tokenCount: 0).bytes
        version[4] = 7
        #expect(message(version).contains("unsupported shard version 7"))
    }
}
