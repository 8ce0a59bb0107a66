import Foundation
import GristCore
import Testing
@testable import GristTokenize

/// Reading and writing Hugging Face `tokenizer.json`: round trips, GPT-2, ids out of merge order, and
/// files that are not byte-level BPE (rejected with the entry that does not fit).
@Suite("tokenizer.json")
struct TokenizerJSONTests {
    static func load(_ text: String, source: String = "t.json") throws -> BPEVocabulary {
        try TokenizerJSON.load(data: Data(text.utf8), source: source, fileSHA256: "x")
    }

    static func loadError(_ text: String) throws -> GristError {
        try #require(throws: GristError.self) { _ = try load(text) }
    }

    @Test("GPT-2 written as tokenizer.json reads back to the same encoder")
    func gpt2RoundTrip() throws {
        let gpt2 = try TestSupport.gpt2()
        let json = try Self.load(gpt2.tokenizerJSONText)
        #expect(json.count == 50257)
        #expect(json.endOfText == 50256)
        #expect(json.idOfRank == nil)
        let text = TestSupport.bytes("Hello world, it's 2026! 日本語のテキスト <|endoftext|> ")
        var a = BPEEncoder(vocabulary: gpt2), b = BPEEncoder(vocabulary: json)
        #expect(a.encodeOrdinary(text) == b.encodeOrdinary(text))
        #expect(try b.encode(text, allowedSpecial: .all).contains(50256))
    }

    @Test("A trained vocabulary encodes the same from its tiktoken file and its tokenizer.json")
    func trainedRoundTrip() throws {
        let text = BPETrainerTests.sampleText(seed: 11, words: 6000)
        let (trained, _) = try BPETrainerTests.train(text, size: 600, specials: ["<|endoftext|>", "<|sep|>"])
        let json = try Self.load(trained.tokenizerJSONText)
        let ranks = try Array(trained.tiktokenText.utf8).withUnsafeBytes {
            try BPEVocabulary(tiktokenContents: $0, source: "t.tiktoken")
        }
        #expect(json.specialTokens.map(\.name) == ["<|endoftext|>", "<|sep|>"])
        #expect(ranks.endOfText == trained.endOfText)  // one past the last rank
        var a = BPEEncoder(vocabulary: trained), b = BPEEncoder(vocabulary: json), c = BPEEncoder(vocabulary: ranks)
        let expected = a.encodeOrdinary(text)
        #expect(b.encodeOrdinary(text) == expected)
        #expect(c.encodeOrdinary(text) == expected)
        #expect(json.decode(expected) == text)
    }

    /// A hand-written tokenizer.json over the 256 bytes plus merges, with `ids` for the merged tokens.
    static func handMade(merges: [(String, String)], mergedIds: [Int], byteIdOffset: Int = 0, specialId: Int = 999,
                         preTokenizer: String = #"{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}"#,
                         model extra: String = "") -> String {
        var vocab: [String] = []
        for byte in 0..<256 {
            vocab.append("\(JSONText.quoted(ByteLevelAlphabet.encode([UInt8(byte)]))): \(byte + byteIdOffset)")
        }
        for ((left, right), id) in zip(merges, mergedIds) {
            vocab.append("\(JSONText.quoted(ByteLevelAlphabet.encode(Array((left + right).utf8)))): \(id)")
        }
        let mergeList = merges.map { JSONText.quoted(ByteLevelAlphabet.encode(Array($0.0.utf8)) + " "
                                                          + ByteLevelAlphabet.encode(Array($0.1.utf8))) }
        return """
            {"added_tokens": [{"id": \(specialId), "content": "<s>", "special": true}], "normalizer": null,
             "pre_tokenizer": \(preTokenizer),
             "model": {"type": "BPE", "dropout": null, "unk_token": null\(extra),
                       "vocab": {\(vocab.joined(separator: ", "))}, "merges": [\(mergeList.joined(separator: ", "))]}}
            """
    }

    @Test("Ids that are not in merge order (RoBERTa style) encode and decode by id")
    func permutedIds() throws {
        let text = Self.handMade(merges: [("a", "b"), ("ab", "c"), ("b", "c")], mergedIds: [300, 259, 280],
                                 byteIdOffset: 1, specialId: 0)
        let vocabulary = try Self.load(text)
        #expect(vocabulary.idOfRank != nil)
        var encoder = BPEEncoder(vocabulary: vocabulary)
        // "ab" merges first (rank order), then "abc"; "bc" alone in "xbc".
        let tokens = encoder.encodeOrdinary(TestSupport.bytes("abc xbc ab"))
        #expect(tokens == [259, 33, 121, 280, 33, 300])  // " " = byte 32 → id 33, "x" = 120 → 121
        #expect(vocabulary.decode(tokens) == TestSupport.bytes("abc xbc ab"))
        #expect(vocabulary.tokenBytes(300) == TestSupport.bytes("ab"))
        #expect(vocabulary.specialTokens.map(\.id) == [0])
        #expect(vocabulary.count == 301)
    }

    @Test("A Split + ByteLevel pre-tokenizer with the GPT-2 pattern is accepted")
    func splitPattern() throws {
        let pattern = JSONText.quoted(PreTokenizerPattern.gpt2.regex)
        let text = Self.handMade(merges: [("a", "b")], mergedIds: [256], preTokenizer: """
            {"type": "Sequence", "pretokenizers": [
              {"type": "Split", "pattern": {"Regex": \(pattern)}, "behavior": "Isolated", "invert": false},
              {"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}]}
            """)
        #expect(try Self.load(text).pattern == .gpt2)
    }

    @Test("Files that are not byte-level BPE name the entry", arguments: [
        ("not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (#"{"model": {"type": "WordPiece"}}"#, "model.type: expected \"BPE\""),
        (#"{"model": {"type": "BPE", "dropout": 0.1}}"#, "model.dropout: expected null"),
        (#"{"model": {"type": "BPE"}, "normalizer": {"type": "NFC"}, "pre_tokenizer": null}"#, "normalizer: expected null"),
        (#"{"model": {"type": "BPE"}, "pre_tokenizer": {"type": "Whitespace"}}"#, "pre_tokenizer.type"),
        (#"{"model": {"type": "BPE"}, "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": true}}"#, "add_prefix_space"),
        (#"{"model": {"type": "BPE", "vocab": {"a": "x"}}, "pre_tokenizer": {"type": "ByteLevel"}}"#, "model.vocab[\"a\"]: expected a token id"),
        (#"{"model": {"type": "BPE", "vocab": {"a b": 1}}, "pre_tokenizer": {"type": "ByteLevel"}}"#, "not a byte-level token"),
        (#"{"model": {"type": "BPE", "vocab": {"a": 1}, "merges": []}, "pre_tokenizer": {"type": "ByteLevel"}}"#, "no token for the single byte 0"),
    ])
    func rejected(text: String, message: String) throws {
        let error = try Self.loadError(text)
        #expect(error.kind == .badFormat)
        #expect(error.position?.path == "t.json")
        #expect(error.description.contains(message), "\(error.description)")
    }

    @Test("Bad merges name their index")
    func badMerges() throws {
        var text = Self.handMade(merges: [("a", "b")], mergedIds: [256])
        text = text.replacingOccurrences(of: #""merges": ["#, with: #""merges": ["x y z", "#)
        #expect(try Self.loadError(text).description.contains("model.merges[0]: expected two byte-level tokens"))
        let missing = Self.handMade(merges: [("a", "b")], mergedIds: [256])
            .replacingOccurrences(of: #""merges": ["#, with: #""merges": ["c d", "#)
        #expect(try Self.loadError(missing).description.contains("model.merges[0]: the merge makes \"cd\", which is not in model.vocab"))
        let unreachable = Self.handMade(merges: [("a", "b")], mergedIds: [256])
            .replacingOccurrences(of: #""merges": ["a b"]"#, with: #""merges": []"#)
        #expect(try Self.loadError(unreachable).description.contains("neither a single byte nor made by any merge"))
        let pattern = Self.handMade(merges: [], mergedIds: [], preTokenizer: """
            {"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "\\\\w+"}, "behavior": "Isolated"},
             {"type": "ByteLevel", "use_regex": false}]}
            """)
        #expect(try Self.loadError(pattern).description.contains("unsupported pattern"))
    }

    @Test("Loading from disk names the file; vocabulary specs pick the format by name")
    func fromDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grist-tj-\(UUID().uuidString)").path
        try FileSystem.createDirectory(folder)
        defer { try? FileSystem.remove(folder) }
        let (trained, _) = try BPETrainerTests.train(BPETrainerTests.sampleText(seed: 5, words: 2000), size: 320)
        let paths = try trained.save(in: folder, name: "v")
        #expect(try BPEVocabulary.load(paths.tokenizerJSON).count == 320)
        #expect(try BPEVocabulary.load(paths.tiktoken).fileSHA256 == trained.fileSHA256)
        #expect(try BPEVocabulary.load("gpt2").count == 50257)
        try "{broken".write(toFile: folder + "/bad.json", atomically: true, encoding: .utf8)
        let error = try #require(throws: GristError.self) { _ = try BPEVocabulary.load(folder + "/bad.json") }
        #expect(error.description.hasPrefix(folder + "/bad.json"))
        #expect(throws: GristError.self) { _ = try BPEVocabulary.load(folder + "/missing.tiktoken") }
    }
}
