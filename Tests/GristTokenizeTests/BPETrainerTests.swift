import GristCore
import Testing
@testable import GristTokenize

/// The trainer against a naive reference, its determinism, its bounds and its errors.
@Suite("BPETrainer")
struct BPETrainerTests {
    /// Textbook BPE on pre-tokenized words: recount every pair each round, merge the most frequent
    /// (ties: smallest ids), give a repeated byte string its existing id. Slow and obviously right.
    static func naiveMerges(_ text: [UInt8], merges: Int) -> [[UInt8]] {
        var counts: [[UInt8]: Int] = [:]
        for range in PreTokenizer.pieces(of: text) { counts[Array(text[range]), default: 0] += 1 }
        var words = counts.map { (symbols: $0.key.map(UInt32.init), count: $0.value) }
        var tokens: [[UInt8]] = (0..<256).map { [UInt8($0)] }
        var idOf: [[UInt8]: UInt32] = [:]
        for (id, bytes) in tokens.enumerated() { idOf[bytes] = UInt32(id) }
        for _ in 0..<merges {
            var pairs: [UInt64: Int] = [:]
            for word in words where word.symbols.count > 1 {
                for k in 0..<(word.symbols.count - 1) {
                    pairs[UInt64(word.symbols[k]) << 32 | UInt64(word.symbols[k + 1]), default: 0] += word.count
                }
            }
            guard let best = pairs.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else { break }
            let left = UInt32(best.key >> 32), right = UInt32(truncatingIfNeeded: best.key)
            let joined = tokens[Int(left)] + tokens[Int(right)]
            let id: UInt32
            if let existing = idOf[joined] { id = existing } else {
                id = UInt32(tokens.count)
                tokens.append(joined)
                idOf[joined] = id
            }
            for w in words.indices {
                var out: [UInt32] = []
                var i = 0
                let s = words[w].symbols
                while i < s.count {
                    if i + 1 < s.count, s[i] == left, s[i + 1] == right {
                        out.append(id)
                        i += 2
                    } else {
                        out.append(s[i])
                        i += 1
                    }
                }
                words[w].symbols = out
            }
        }
        return tokens
    }

    /// Text with a Zipf-like mix of words, repeats, digits, punctuation and non-Latin letters.
    static func sampleText(seed: UInt64, words: Int) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let vocabulary = ["the", "of", "and", "tokenizer", "byte", "pair", "encoding", "aaaa", "aaab", "banana",
                          "bandana", "12345", "3.14", "日本語", "テキスト", "привет", "!!", "--", "it's", "we're",
                          "x", "xy", "xyz", "mississippi", "  ", "\n"]
        var out = ""
        for _ in 0..<words {
            let a = Int(rng.next() % UInt64(vocabulary.count)), b = Int(rng.next() % UInt64(vocabulary.count))
            out += vocabulary[min(a, b)]
            out += rng.next() % 5 == 0 ? "" : " "
        }
        return Array(out.utf8)
    }

    static func train(_ text: [UInt8], size: Int, specials: [String] = ["<|endoftext|>"],
                      maxDistinct: Int = 1_000_000) throws -> (BPEVocabulary, BPETrainer.Report) {
        var trainer = try BPETrainer(options: .init(vocabularySize: size, specialTokens: specials,
                                                    maxDistinctPieces: maxDistinct))
        trainer.add(text)
        return try trainer.train()
    }

    @Test("Learns the same tokens as a naive reference", arguments: [1 as UInt64, 2, 3])
    func matchesNaive(seed: UInt64) throws {
        let text = Self.sampleText(seed: seed, words: 3000)
        let (vocabulary, report) = try Self.train(text, size: 400)
        let expected = Self.naiveMerges(text, merges: report.merges)
        let actual = vocabulary.ordinaryTokens.map(\.bytes)
        #expect(actual.count == expected.count)
        #expect(actual == expected)
        #expect(vocabulary.ordinaryTokens.map(\.id) == (0..<UInt32(actual.count)).map { $0 })
    }

    @Test("Ids: bytes, then merges, then special tokens; the text round-trips")
    func layout() throws {
        let text = Self.sampleText(seed: 9, words: 5000)
        let (vocabulary, report) = try Self.train(text, size: 300, specials: ["<|endoftext|>", "<|pad|>"])
        #expect(vocabulary.count == 300)
        #expect(report.merges >= 298 - 256)
        #expect(vocabulary.specialTokens.map(\.name) == ["<|endoftext|>", "<|pad|>"])
        #expect(vocabulary.specialTokens.map(\.id) == [298, 299])
        #expect(vocabulary.endOfText == 298)
        for byte in 0..<256 { #expect(vocabulary.id(of: [UInt8(byte)]) == UInt32(byte)) }
        var encoder = BPEEncoder(vocabulary: vocabulary)
        let tokens = encoder.encodeOrdinary(text)
        #expect(tokens.count < text.count / 2)
        #expect(vocabulary.decode(tokens) == text)
        #expect(try encoder.encode(Array("a<|pad|>b".utf8), allowedSpecial: .all) == [97, 299, 98])
    }

    @Test("Same text, same vocabulary file, byte for byte")
    func deterministic() throws {
        let text = Self.sampleText(seed: 4, words: 4000)
        let first = try Self.train(text, size: 500).0
        let second = try Self.train(text, size: 500).0
        #expect(first.fileSHA256 == second.fileSHA256)
        #expect(first.tiktokenText == second.tiktokenText)
        #expect(first.tokenizerJSONText == second.tokenizerJSONText)
        #expect(first.fileSHA256 == hexString(SHA256.digest(Array(first.tiktokenText.utf8))))
    }

    @Test("Distinct pieces stay bounded; the most frequent survive pruning")
    func boundedCounting() throws {
        var text = Array(String(repeating: "frequent words repeat ", count: 200).utf8)
        var rng = SplitMix64(seed: 1)
        for _ in 0..<5000 {  // rare random words, each a distinct piece
            text.append(UInt8(ascii: " "))
            for _ in 0..<8 { text.append(UInt8(ascii: "a") + UInt8(rng.next() % 26)) }
        }
        let (vocabulary, report) = try Self.train(text, size: 290, maxDistinct: 64)
        #expect(report.distinctPruned > 4900)
        #expect(report.distinctPieces <= 64)
        for word in [" frequent", " words", " repeat"] {
            #expect(vocabulary.id(of: Array(word.utf8)) != nil, "\(word) was pruned")
        }
    }

    @Test("Stops early when the text has no pairs left")
    func runsOutOfPairs() throws {
        let (vocabulary, report) = try Self.train(Array("ab ab ab".utf8), size: 1000)
        #expect(report.merges == 2)  // "ab", " ab"
        #expect(vocabulary.count == 256 + 2 + 1)
    }

    @Test("A vocabulary too small for the bytes is refused")
    func tooSmall() throws {
        let error = try #require(throws: GristError.self) {
            _ = try BPETrainer(options: .init(vocabularySize: 256))
        }
        #expect(error.kind == .usage)
        #expect(error.message.contains("too small to hold the 256 byte tokens"))
        #expect(throws: GristError.self) { _ = try BPETrainer(options: .init(vocabularySize: 300, specialTokens: ["x", "x"])) }
        #expect(throws: GristError.self) { _ = try BPETrainer(options: .init(vocabularySize: 300, specialTokens: [""])) }
    }

    @Test("Empty and invalid-UTF-8 input train without error")
    func oddInput() throws {
        let (empty, _) = try Self.train([], size: 300)
        #expect(empty.count == 257)
        var bytes: [UInt8] = []
        for i in 0..<3000 { bytes += [0xFF, 0xFE, UInt8(i % 7), 0x00, 0xC3] }
        let (vocabulary, _) = try Self.train(bytes, size: 300)
        var encoder = BPEEncoder(vocabulary: vocabulary)
        #expect(vocabulary.decode(encoder.encodeOrdinary(bytes)) == bytes)
    }
}
