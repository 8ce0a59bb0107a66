import Testing
@testable import GristTokenize

/// The quadratic scan and the heap merge must agree token for token.
@Suite("BytePairMerge")
struct BytePairMergeTests {
    static func merged(_ bytes: [UInt8], heap: Bool, table: RankTable) -> [UInt32] {
        var tokens: [UInt32] = []
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            if heap {
                BytePairMerge.mergeWithHeap(base, buffer.count, table: table, scratch: HeapMergeScratch(), into: &tokens)
            } else {
                let scratch = UnsafeMutablePointer<UInt32>.allocate(
                    capacity: BytePairMerge.scratchCount(forLength: buffer.count))
                defer { scratch.deallocate() }
                BytePairMerge.mergeQuadratic(base, buffer.count, table: table, scratch: scratch, into: &tokens)
            }
        }
        return tokens
    }

    @Test("Heap and quadratic merges agree on every piece of mixed text")
    func agree() throws {
        let vocabulary = try TestSupport.gpt2()
        let text = Array("""
            The antidisestablishmentarianism of 1234567890 supercalifragilistic words, \
            日本語のテキストとカタカナ, ภาษาไทย, नमस्ते दुनिया, 🦊🐶🇫🇷 and        spaces\n\n\n\t\t\t; \
            aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ---------------------------------- ...........
            """.utf8)
        var pieces = 0
        for range in PreTokenizer.pieces(of: text) where range.count >= 2 {
            let piece = Array(text[range])
            let quadratic = Self.merged(piece, heap: false, table: vocabulary.ranks)
            #expect(Self.merged(piece, heap: true, table: vocabulary.ranks) == quadratic)
            #expect(vocabulary.decode(quadratic) == piece)
            pieces += 1
        }
        #expect(pieces > 20)
    }

    @Test("Long pieces take the heap path and still match the quadratic result")
    func long() throws {
        let vocabulary = try TestSupport.gpt2()
        var encoder = BPEEncoder(vocabulary: vocabulary)
        for piece in [String(repeating: "ab", count: 300), String(repeating: "7", count: 500),
                      String(repeating: "的一是不了人我在", count: 40), String(repeating: " ", count: 257)] {
            let bytes = Array(piece.utf8)
            #expect(bytes.count > BytePairMerge.quadraticLimit)
            let quadratic = Self.merged(bytes, heap: false, table: vocabulary.ranks)
            #expect(Self.merged(bytes, heap: true, table: vocabulary.ranks) == quadratic)
            if PreTokenizer.pieces(of: bytes).count == 1 {
                #expect(encoder.encodeOrdinary(bytes) == quadratic)
            }
        }
    }
}
