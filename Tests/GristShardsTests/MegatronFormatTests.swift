import Foundation
import GristCore
import GristShards
import Testing

/// The Megatron-LM indexed dataset and nanoGPT files, read back by a reader written here from the
/// format's description (not `MegatronDataset.Reader`).
@Suite struct MegatronFormatTests {
    private func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grist-megatron-\(UUID().uuidString)").path
        try FileSystem.createDirectory(path)
        return path
    }

    /// An independent reader of `PREFIX.idx` + `PREFIX.bin`: returns the dtype code, the document
    /// indices and every sequence's tokens.
    static func readMegatron(prefix: String) throws -> (dtype: UInt8, documentIndices: [Int64], sequences: [[UInt32]]) {
        let idx = [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".idx")))
        let bin = [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".bin")))
        var at = 0
        func take(_ n: Int) -> UInt64 {
            var value: UInt64 = 0
            for i in 0..<n { value |= UInt64(idx[at + i]) << (8 * UInt64(i)) }
            at += n
            return value
        }
        #expect(Array(idx[0..<9]) == [0x4D, 0x4D, 0x49, 0x44, 0x49, 0x44, 0x58, 0, 0])  // "MMIDIDX\0\0"
        at = 9
        #expect(take(8) == 1)  // version
        let dtype = UInt8(take(1))
        let sequenceCount = Int(take(8)), documentCount = Int(take(8))
        let lengths = (0..<sequenceCount).map { _ in Int(Int32(truncatingIfNeeded: take(4))) }
        let pointers = (0..<sequenceCount).map { _ in Int(Int64(bitPattern: take(8))) }
        let documents = (0..<documentCount).map { _ in Int64(bitPattern: take(8)) }
        #expect(at == idx.count)
        let width = dtype == 8 ? 2 : 4
        #expect(dtype == 8 || dtype == 4)
        var sequences: [[UInt32]] = []
        for (length, pointer) in zip(lengths, pointers) {
            sequences.append((0..<length).map { i in
                var value: UInt32 = 0
                for b in 0..<width { value |= UInt32(bin[pointer + width * i + b]) << (8 * UInt32(b)) }
                return value
            })
        }
        #expect(lengths.reduce(0, +) * width == bin.count)
        return (dtype, documents, sequences)
    }

    @Test(arguments: [(50257, UInt8(8)), (65_500, UInt8(4)), (100_277, UInt8(4))])
    func writesWhatAnIndependentReaderReads(vocabulary: Int, code: UInt8) throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let documents: [[UInt32]] = [[15496, 995, 50256], [40, 50256], [], [7, 8, 9, 10, 50256]]
        let dtype = MegatronDataset.DType.forVocabulary(size: vocabulary)
        #expect(dtype.rawValue == code)
        let writer = try MegatronDataset.Writer(prefix: root + "/train", dtype: dtype)
        for document in documents {
            writer.beginDocument()
            for (index, token) in document.enumerated() {
                if index % 2 == 0 { try writer.append(token) }
                else { try [token].withUnsafeBufferPointer { try writer.append($0) } }
            }
        }
        let (bin, idx) = try writer.finish()
        let read = try Self.readMegatron(prefix: root + "/train")
        #expect(read.dtype == code)
        #expect(read.documentIndices == [0, 1, 2, 3, 4])
        #expect(read.sequences == documents)
        #expect(bin.byteCount == 10 * dtype.byteCount)
        #expect(idx.byteCount == 9 + 8 + 1 + 8 + 8 + 4 * 4 + 8 * 4 + 8 * 5)
        let binData = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/train.bin")))
        let idxData = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/train.idx")))
        #expect(SHA256.hex(of: binData) == bin.sha256)
        #expect(SHA256.hex(of: idxData) == idx.sha256)
        #expect(FileSystem.contents(of: root).sorted() == ["train.bin", "train.idx"])

        let reader = try MegatronDataset.Reader(path: root + "/train.idx")
        #expect(reader.documentCount == 4 && reader.sequenceCount == 4 && reader.tokenCount == 10)
        #expect((0..<4).map { reader.sequence($0) } == documents)
    }

    @Test func readerRefusesMismatchedFiles() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let writer = try MegatronDataset.Writer(prefix: root + "/a", dtype: .uint16)
        writer.beginDocument()
        try writer.append(5)
        _ = try writer.finish()
        try Data([1, 2, 3, 4]).write(to: URL(fileURLWithPath: root + "/a.bin"))
        #expect(throws: GristError.self) { try MegatronDataset.Reader(path: root + "/a") }
        try Data("not an index at all, really not".utf8).write(to: URL(fileURLWithPath: root + "/a.idx"))
        #expect(throws: GristError.self) { try MegatronDataset.Reader(path: root + "/a.bin") }
    }

    @Test func rawTokenWriterIsHeaderlessAndRefusesWideTokens() throws {
        let root = try temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let writer = try RawTokenWriter(path: root + "/train.bin", tokenBytes: 2)
        try [1, 0x1234, 50256].withUnsafeBufferPointer { try writer.append($0) }
        let (sha, size) = try writer.finish()
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/train.bin")))
        #expect(data == [1, 0, 0x34, 0x12, 0x50, 0xC4])
        #expect(size == 6 && sha == SHA256.hex(of: data))
        let wide = try RawTokenWriter(path: root + "/w.bin", tokenBytes: 2)
        #expect(throws: GristError.self) { try wide.append(70_000) }
    }
}
