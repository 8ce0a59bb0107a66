import Foundation
import GristCore
@testable import GristFilter
import Testing

/// The pieces of the fastText reader: its hash, character n-grams on multi-byte UTF-8, the Huffman
/// tree of hierarchical softmax, the top-k heap, and damaged files.
@Suite struct FastTextUnitTests {
    static var folder: String { FastTextAgreementTests.folder }

    @Test func hashFoldsBytesAsSignedChars() {
        // values from the formula h = (h ^ uint32(int8(c))) * 16777619, computed apart in Python
        #expect(FastTextHash.hash([UInt8]()) == 2_166_136_261)
        #expect(FastTextHash.hash(Array("a".utf8)) == 3_826_002_220)
        #expect(FastTextHash.hash(Array("</s>".utf8)) == 3_617_362_777)
        #expect(FastTextHash.hash(Array("é".utf8)) == 1_023_043_777)
        #expect(FastTextHash.hash(Array("日本".utf8)) == 4_164_387_409)
    }

    @Test func characterNgramsKeepUTF8CharactersWhole() throws {
        let model = try FastTextModel(path: Self.folder + "/softmax-charngrams.bin")  // minn 2, maxn 5
        let dict = model.dictionary
        let word = Array("<日本>".utf8)
        var rows: [Int32] = []
        word.withUnsafeBufferPointer { dict.appendSubwords(of: $0, to: &rows) }
        // n-grams of 2...5 characters, never cutting a character's bytes
        let grams = ["<日", "<日本", "<日本>", "日本", "日本>", "本>"]
        let expected = grams.map { dict.nwords + Int32(bitPattern: FastTextHash.hash(Array($0.utf8)) % UInt32(dict.bucket)) }
        #expect(rows == expected)
    }

    @Test func huffmanTreeJoinsTheTwoSmallest() throws {
        let tree = try #require(FastTextHuffmanTree(counts: [5, 3, 2, 1]))
        #expect(tree.root == 6)
        #expect(tree.left == [-1, -1, -1, -1, 3, 4, 0])
        #expect(tree.right == [-1, -1, -1, -1, 2, 1, 5])
        #expect((0..<4).allSatisfy { tree.isLeaf($0) })
        let single = try #require(FastTextHuffmanTree(counts: [7]))
        #expect(single.root == 0 && single.isLeaf(0))
        #expect(FastTextHuffmanTree(counts: [5, -1]) == nil)
        #expect(FastTextHuffmanTree(counts: [1_000_000_000_000_000, 2]) == nil)
        // equal counts chain every leaf under the last node: as deep as there are labels
        #expect(FastTextHuffmanTree(counts: Array(repeating: 0, count: 500)) != nil)
        #expect(FastTextHuffmanTree(counts: Array(repeating: 0, count: 2000)) == nil)
    }

    @Test func topKKeepsTheBestInOrder() {
        var top = FastTextTopK()
        for (i, s) in [Float(-3), -1, -2, -0.5, -4].enumerated() { top.push(s, Int32(i), k: 3) }
        top.sort()
        #expect(top.items.map(\.label) == [3, 1, 2])
    }

    static func modelBytes() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/quant-qnorm.ftz")))
    }

    static func expectBadFormat(_ bytes: [UInt8], _ why: String) {
        do {
            _ = try FastTextModel(bytes: bytes, path: "damaged.ftz")
            Issue.record("loaded a damaged file: \(why)")
        } catch let error as GristError {
            #expect(error.kind == .badFormat, "\(why): \(error)")
            #expect(error.message.contains("damaged.ftz") && error.message.contains("byte"), "\(why): \(error)")
        } catch {
            Issue.record("\(why): \(error)")
        }
    }

    @Test func truncatedFilesAreErrorsWithTheirOffset() throws {
        let bytes = try Self.modelBytes()
        _ = try FastTextModel(bytes: bytes, path: "whole.ftz")
        var cuts = Array(0..<200) + stride(from: 200, to: bytes.count, by: 997).map { $0 }
        cuts.append(bytes.count - 1)
        for cut in cuts { Self.expectBadFormat(Array(bytes[0..<cut]), "cut at \(cut)") }
    }

    static func setInt32(_ bytes: inout [UInt8], at offset: Int, _ value: Int32) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: UInt32(bitPattern: value) >> (8 * UInt32(i))) }
    }

    @Test func wrongMagicVersionAndAbsurdSizes() throws {
        let good = try Self.modelBytes()
        var bytes = good
        Self.setInt32(&bytes, at: 0, 12345)
        Self.expectBadFormat(bytes, "magic")
        bytes = good
        Self.setInt32(&bytes, at: 4, 13)
        Self.expectBadFormat(bytes, "version")
        // header: magic, version, 12 int32 args and a double = 64 bytes; then dictionary size, nwords, nlabels
        for (offset, value) in [(8, Int32(0)), (8, -5), (8, Int32.max), (64, Int32.max), (64, -1), (68, Int32.max),
                                (72, Int32.max), (40, -1), (48, 1 << 20)] {
            bytes = good
            Self.setInt32(&bytes, at: offset, value)
            Self.expectBadFormat(bytes, "int32 \(value) at \(offset)")
        }
        // pruneidx_size (int64 after ntokens) absurd
        bytes = good
        Self.setInt32(&bytes, at: 84, Int32.max)
        Self.expectBadFormat(bytes, "pruneidx_size")
    }

    /// Bytes changed at random (seeded) anywhere before the input matrix's data: each file is refused
    /// with an error or loads, and then predicts without trapping.
    @Test(arguments: ["quant-qnorm.ftz", "hs.bin"])
    func damagedBytesNeverTrap(file: String) throws {
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/" + file)))
        var rng = SplitMix64(seed: 16)
        let texts = ["Die Installation von Debian", "", "東京は日本の首都です。\nline two", "__label__en x y z"]
        var loaded = 0, refused = 0
        for _ in 0..<60 {
            var bytes = good
            for _ in 0..<Int(rng.next() % 4 + 1) {
                let at = Int(rng.next() % UInt64(Swift.min(bytes.count, Self.damageRange(file))))
                bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            do {
                let model = try FastTextModel(bytes: bytes, path: "damaged")
                for text in texts {
                    var b = Array(text.utf8)
                    let r = b.withUnsafeMutableBytes { model.predict(UnsafeRawBufferPointer($0), k: 5, threshold: 0) }
                    #expect(r.count <= 5)
                }
                loaded += 1
            } catch is GristError {
                refused += 1
            }
        }
        #expect(loaded + refused == 60)
    }

    /// Bytes up to the input matrix's data: the header, the dictionary (with the label counts that
    /// make the hierarchical softmax tree) and the matrix sizes.
    static func damageRange(_ file: String) -> Int {
        guard let model = try? FastTextModel(path: folder + "/" + file) else { return 2000 }
        var size = 64 + 28 + 1 + 16 + 4
        for i in 0..<model.dictionary.size {
            size += Int(model.dictionary.textStart[i + 1] - model.dictionary.textStart[i]) + 10
        }
        return size
    }

    @Test func labelCountsThatMakeNoTreeAreRefused() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/hs.bin")))
        let model = try FastTextModel(bytes: bytes, path: "hs.bin")
        // the last label's count: 8 bytes after its NUL, just before its type byte
        let dict = model.dictionary
        var end = 64 + 28
        for i in 0..<dict.size { end += Int(dict.textStart[i + 1] - dict.textStart[i]) + 10 }
        #expect(bytes[end - 1] == 1)  // the type of a label
        for i in 0..<8 { bytes[end - 9 + i] = 0xFF }  // count -1
        Self.expectBadFormat(bytes, "negative label count")
    }

    /// fastText reads a version 11 supervised model without character n-grams (maxn 0), as it was
    /// trained; version 10 and 13 are not this format.
    @Test func versionElevenHasNoCharacterNgrams() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/softmax-charngrams.bin")))
        #expect(try FastTextModel(bytes: bytes, path: "v12.bin").args.maxn == 5)
        Self.setInt32(&bytes, at: 4, 11)
        let old = try FastTextModel(bytes: bytes, path: "v11.bin")
        #expect(old.args.maxn == 0)
        var text = Array("zzzzqqq".utf8)  // unknown: no rows from character n-grams, only `</s>`'s
        let results = text.withUnsafeMutableBytes { old.predict(UnsafeRawBufferPointer($0), k: 1, threshold: 0) }
        #expect(results.count == 1)
        Self.setInt32(&bytes, at: 4, 10)
        Self.expectBadFormat(bytes, "version 10")
    }

    @Test func unsupervisedModelsAreRefused() throws {
        var bytes = try Self.modelBytes()
        Self.setInt32(&bytes, at: 36, 2)  // model: skipgram
        #expect(throws: GristError.self) { _ = try FastTextModel(bytes: bytes, path: "vectors.bin") }
        do {
            _ = try FastTextModel(bytes: bytes, path: "vectors.bin")
        } catch let error as GristError {
            #expect(error.message.contains("not a supervised classifier"))
        }
    }
}
