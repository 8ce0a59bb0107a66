import Foundation
import GristCore
import Testing
@testable import GristTokenize

/// The Hugging Face tokenizer files: GPT-2's equal OpenAI's, a tiny trained vocabulary's exact text,
/// and the merge list encodes as grist does (checked with a plain merge-list BPE, as `tokenizers` runs it).
@Suite("Hugging Face tokenizer files")
struct HuggingFaceTokenizerFilesTests {
    /// BPE by a merge list, as Hugging Face runs it: in each piece, merge the adjacent pair listed
    /// first (leftmost on ties) until no listed pair is left. Slow and plainly right.
    struct MergeListBPE {
        let priority: [UInt64: Int]
        let result: [UInt64: UInt32]
        let singles: [UInt32]

        init(vocabulary: BPEVocabulary, merges: [BPEMerge]) throws {
            var priority: [UInt64: Int] = [:], result: [UInt64: UInt32] = [:]
            for (index, merge) in merges.enumerated() {
                let key = UInt64(merge.left) << 32 | UInt64(merge.right)
                if priority[key] == nil { priority[key] = index }
                result[key] = merge.token
            }
            self.priority = priority
            self.result = result
            singles = try (0..<256).map { try #require(vocabulary.id(of: [UInt8($0)])) }
        }

        func encode(_ piece: ArraySlice<UInt8>) -> [UInt32] {
            var symbols = piece.map { singles[Int($0)] }
            while symbols.count > 1 {
                var best: (priority: Int, index: Int)?
                for i in 0..<(symbols.count - 1) {
                    if let p = priority[UInt64(symbols[i]) << 32 | UInt64(symbols[i + 1])], best == nil || p < best!.priority {
                        best = (p, i)
                    }
                }
                guard let best else { break }
                let i = best.index
                symbols[i] = result[UInt64(symbols[i]) << 32 | UInt64(symbols[i + 1])]!
                symbols.remove(at: i + 1)
            }
            return symbols
        }

        /// Every piece of `text` (split by `pattern`'s pre-tokenizer), merged by the list.
        func encode(_ text: [UInt8], pattern: PreTokenizerPattern) -> [UInt32] {
            let pieces: [Range<Int>]
            switch pattern {
            case .gpt2: pieces = PreTokenizer.pieces(of: text)
            case .cl100k: pieces = CL100KPreTokenizer.pieces(of: text)
            case .o200k: pieces = O200KPreTokenizer.pieces(of: text)
            }
            return pieces.flatMap { encode(text[$0]) }
        }
    }

    static func sha256(_ bytes: [UInt8]) -> String { hexString(SHA256.digest(bytes)) }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The first `count` bytes of a golden fixture text, cut at a line end.
    static func fixture(_ name: String, count: Int) throws -> [UInt8] {
        let bytes = try [UInt8](Data(contentsOf: TestSupport.fixtureDirectory.appendingPathComponent(name + ".txt")))
        guard bytes.count > count, let end = bytes[..<count].lastIndex(of: UInt8(ascii: "\n")) else { return bytes }
        return Array(bytes[...end])
    }

    @Test("GPT-2's vocab.json and merges.txt are OpenAI's encoder.json and vocab.bpe, byte for byte")
    func gpt2IsOpenAIs() throws {
        let gpt2 = try TestSupport.gpt2()
        let vocab = HuggingFaceTokenizerFiles.vocabJSON(gpt2)
        let merges = HuggingFaceTokenizerFiles.mergesText(gpt2, merges: try gpt2.merges())
        // The SHA-256 tiktoken pins for OpenAI's files (tiktoken_ext/openai_public.py, gpt2()).
        #expect(Self.sha256(vocab) == "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783")
        #expect(Self.sha256(merges) == "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5")
        #expect(vocab.count == 1_042_301 && merges.count == 456_318)

        let vocabText = Self.text(vocab)
        #expect(vocabText.hasPrefix(##"{"!": 0, "\"": 1, "#": 2,"##))
        #expect(vocabText.contains(#""\u00a1": 94,"#))
        #expect(vocabText.contains(#""\u0120the": 262,"#))
        #expect(vocabText.hasSuffix(#""\u0120informants": 50254, "\u0120gazed": 50255, "<|endoftext|>": 50256}"#))
        let lines = Self.text(merges).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 50_002 && lines.last == "")
        #expect(Array(lines.prefix(8)) == ["#version: 0.2", "Ġ t", "Ġ a", "h e", "i n", "r e", "o n", "Ġt he"])
        #expect(Array(lines.suffix(4)) == ["ĠColl ider", "Ġinform ants", "Ġg azed", ""])
    }

    @Test("A tiny trained vocabulary's files, exactly")
    func tinyTrainedVocabulary() throws {
        let (vocabulary, _) = try BPETrainerTests.train(Array("ab ab ab".utf8), size: 1000)
        let merges = try vocabulary.merges()
        #expect(merges == [BPEMerge(left: 97, right: 98, token: 256), BPEMerge(left: 32, right: 256, token: 257)])
        #expect(Self.text(HuggingFaceTokenizerFiles.mergesText(vocabulary, merges: merges)) == "#version: 0.2\na b\nĠ ab\n")

        let vocab = Self.text(HuggingFaceTokenizerFiles.vocabJSON(vocabulary))
        #expect(vocab.hasPrefix(#"{"\u0100": 0, "\u0101": 1, "\u0102": 2,"#))
        #expect(vocab.contains(#""\u0120": 32, "!": 33,"#))
        #expect(vocab.contains(#""\u00ff": 255, "ab": 256, "\u0120ab": 257, "<|endoftext|>": 258}"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(vocab.utf8)) as? [String: Int])
        #expect(object.count == 259)
        for (key, id) in object where key != "<|endoftext|>" {
            #expect(ByteLevelAlphabet.decode(key) == vocabulary.tokenBytes(UInt32(id)), "\(key)")
        }

        let config = HuggingFaceTokenizerFiles.tokenizerConfig(vocabulary, modelMaxLength: 64)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(config.utf8)) as? [String: Any])
        #expect(parsed["tokenizer_class"] as? String == "GPT2Tokenizer")
        #expect(parsed["model_max_length"] as? Int == 64)
        for key in ["bos_token", "eos_token", "unk_token"] { #expect(parsed[key] as? String == "<|endoftext|>") }
        let added = try #require(parsed["added_tokens_decoder"] as? [String: [String: Any]])
        #expect(added["258"]?["content"] as? String == "<|endoftext|>" && added["258"]?["special"] as? Bool == true)
        #expect(HuggingFaceTokenizerFiles.specialTokensMap(vocabulary)
            == "{\n  \"bos_token\": \"<|endoftext|>\",\n  \"eos_token\": \"<|endoftext|>\",\n  \"unk_token\": \"<|endoftext|>\"\n}\n")
    }

    @Test("The merge list of GPT-2 encodes real text to grist's ids")
    func gpt2MergesEncodeAsGrist() throws {
        let gpt2 = try TestSupport.gpt2()
        let bpe = try MergeListBPE(vocabulary: gpt2, merges: try gpt2.merges())
        var encoder = BPEEncoder(vocabulary: gpt2)
        for name in ["bible-es-rv1909-john", "bible-ja-bungo-john", "cldr-ar"] {
            let text = try Self.fixture(name, count: 60_000)
            #expect(bpe.encode(text, pattern: .gpt2) == encoder.encodeOrdinary(text), "\(name)")
        }
    }

    @Test("A trained vocabulary's merge list encodes to grist's ids under every pattern", arguments: PreTokenizerPattern.allCases)
    func trainedMergesEncodeAsGrist(pattern: PreTokenizerPattern) throws {
        let text = BPETrainerTests.sampleText(seed: 21, words: 6000)
        var trainer = try BPETrainer(options: .init(vocabularySize: 700, pattern: pattern))
        trainer.add(text)
        let (vocabulary, _) = try trainer.train()
        let merges = try vocabulary.merges()
        #expect(merges.count == vocabulary.ordinaryTokens.count - 256)
        #expect(merges.map(\.token) == (256..<UInt32(256 + merges.count)).map { $0 }, "one merge per token, in rank order")
        let config = HuggingFaceTokenizerFiles.tokenizerConfig(vocabulary, modelMaxLength: 8)
        #expect(config.contains(pattern == .gpt2 ? "\"GPT2Tokenizer\"" : "\"PreTrainedTokenizerFast\""),
                "GPT2Tokenizer always runs GPT-2's pattern")
        let bpe = try MergeListBPE(vocabulary: vocabulary, merges: merges)
        var encoder = BPEEncoder(vocabulary: vocabulary)
        let other = BPETrainerTests.sampleText(seed: 22, words: 4000) + Array(" HTMLParser 1234567 naïve\r\n".utf8)
        for sample in [text, other] {
            #expect(bpe.encode(sample, pattern: pattern) == encoder.encodeOrdinary(sample))
        }
    }

    @Test("The tokenizer.json written with the merge list reads back to the same encoder")
    func tokenizerJSONRoundTrips() throws {
        let text = BPETrainerTests.sampleText(seed: 5, words: 5000)
        let (trained, _) = try BPETrainerTests.train(text, size: 500, specials: ["<|endoftext|>", "<|sep|>"])
        for vocabulary in [trained, try TestSupport.gpt2()] {
            let json = try TokenizerJSONTests.load(TokenizerJSON.text(of: vocabulary, merges: try vocabulary.merges()))
            #expect(json.ordinaryTokens.map(\.id) == vocabulary.ordinaryTokens.map(\.id))
            #expect(json.specialTokens == vocabulary.specialTokens)
            var a = BPEEncoder(vocabulary: vocabulary), b = BPEEncoder(vocabulary: json)
            let sample = text + Array(" it's <|endoftext|> 日本語 <|sep|>".utf8)
            #expect(try a.encode(sample, allowedSpecial: .all) == (try b.encode(sample, allowedSpecial: .all)))
        }
    }

    @Test("write puts the five files in the folder")
    func writesTheFiles() throws {
        let folder = NSTemporaryDirectory() + "grist-hf-tokenizer-\(UUID().uuidString)"
        try FileSystem.createDirectory(folder)
        defer { try? FileSystem.remove(folder) }
        let (vocabulary, _) = try BPETrainerTests.train(BPETrainerTests.sampleText(seed: 6, words: 2000), size: 300)
        try HuggingFaceTokenizerFiles.write(vocabulary, folder: folder, modelMaxLength: 128)
        #expect(FileSystem.contents(of: folder).sorted() == HuggingFaceTokenizerFiles.fileNames.sorted())
        let merges = try String(contentsOfFile: folder + "/merges.txt", encoding: .utf8)
        #expect(merges == Self.text(HuggingFaceTokenizerFiles.mergesText(vocabulary, merges: try vocabulary.merges())))
    }

    @Test("A token that is not one merge of two lower-ranked tokens has no merge list")
    func unmergeableTokenIsRefused() throws {
        // All 256 bytes, then "abc" without "ab" or "bc".
        var lines = (0..<256).map { "\(Data([UInt8($0)]).base64EncodedString()) \($0)" }
        lines.append("\(Data("abc".utf8).base64EncodedString()) 256")
        let vocabulary = try Array((lines.joined(separator: "\n") + "\n").utf8).withUnsafeBytes {
            try BPEVocabulary(tiktokenContents: $0, source: "odd.tiktoken", name: "odd")
        }
        let error = try #require(throws: GristError.self) { _ = try vocabulary.merges() }
        #expect(error.message.contains("token 256 (\"abc\") is not one merge of two tokens of lower rank"), "\(error)")
        #expect(error.message.contains("the odd vocabulary"))
    }

    @Test("JSON in ASCII escapes as Python's json.dumps")
    func jsonASCII() {
        #expect(JSONText.quotedASCII("a\"b\\c\n\u{8}\u{7f}é日😀") == #""a\"b\\c\n\b\u007f\u00e9\u65e5\ud83d\ude00""#)
    }
}
