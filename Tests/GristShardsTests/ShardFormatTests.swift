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
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
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

/// uint32 shards: llm.c's llama-3 layout (magic 20240801, version 7).
@Suite struct UInt32ShardTests {
    @Test func writesAndReadsWideTokens() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grist-u32-\(UUID().uuidString)").path
        try FileSystem.createDirectory(root)
        defer { try? FileSystem.remove(root) }
        let header = ShardHeader(tokenCount: 3, tokenWidth: .uint32).bytes
        #expect(Array(header[0..<12]) == [0xA1, 0xD9, 0x34, 0x01, 7, 0, 0, 0, 3, 0, 0, 0])
        let writer = try ShardWriter(path: root + "/w.bin", tokenCount: 3, tokenWidth: .uint32)
        try [100_000, 7, 4_000_000_000].withUnsafeBufferPointer { try writer.append($0) }
        let (_, size) = try writer.finish()
        #expect(size == 1024 + 12)
        let reader = try ShardReader(path: root + "/w.bin")
        #expect(reader.header.tokenWidth == .uint32)
        #expect(reader.tokens(0..<3) == [100_000, 7, 4_000_000_000])
        #expect(reader.documentRanges(separator: 7) == [0..<1, 1..<3])
        #expect(ShardHeader.TokenWidth.forVocabulary(size: 65_536) == .uint16)
        #expect(ShardHeader.TokenWidth.forVocabulary(size: 65_537) == .uint32)

        // A uint32 header whose size says uint16, and a magic with the other layout's version.
        var short = ShardHeader(tokenCount: 2, tokenWidth: .uint32).bytes
        short += [1, 0, 2, 0]
        _ = FileManager.default.createFile(atPath: root + "/s.bin", contents: Data(short))
        #expect(throws: GristError.self) { _ = try ShardReader(path: root + "/s.bin") }
        var mixed = ShardHeader(tokenCount: 0, tokenWidth: .uint32).bytes
        mixed[4] = 1
        _ = FileManager.default.createFile(atPath: root + "/m.bin", contents: Data(mixed))
        let error = try #require(throws: GristError.self) { _ = try ShardReader(path: root + "/m.bin") }
        #expect(error.message.contains("unsupported shard version 1 for magic 20240801"))
    }
}
