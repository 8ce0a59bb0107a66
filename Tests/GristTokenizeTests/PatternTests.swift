import Testing
@testable import GristTokenize

/// The cl100k and o200k matchers on hand-picked corners (the golden `NAME.cl100k.tokens` and
/// `NAME.o200k.tokens` fixtures check them against tiktoken on real text).
@Suite("cl100k and o200k patterns")
struct PatternTests {
    static func pieces<S: PieceSplitter>(_ type: S.Type, _ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return S.pieces(of: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test func cl100kPieces() {
        let split = { Self.pieces(CL100KPreTokenizer.self, $0) }
        #expect(split("IT'S ok") == ["IT", "'S", " ok"])
        #expect(split("12345 x") == ["123", "45", " x"])
        #expect(split("(hello) world!\n\nNext") == ["(hello", ")", " world", "!\n\n", "Next"])
        #expect(split("a  b") == ["a", " ", " b"])
        #expect(split("end  \n ") == ["end", "  \n "])           // \s++$ takes the whole tail
        #expect(split("x \n\ty") == ["x", " \n", "\ty"])
        #expect(split("'ſ it'ſ") == ["'ſ", " it", "'ſ"])
    }

    @Test func o200kPieces() {
        let split = { Self.pieces(O200KPreTokenizer.self, $0) }
        #expect(split("HTMLParser iPhone") == ["HTMLParser", " i", "Phone"])
        #expect(split("XMLHttpRequest") == ["XMLHttp", "Request"])
        #expect(split("ABC") == ["ABC"])
        #expect(split("He's HE'S") == ["He's", " HE'S"])
        #expect(split("a/b//\n c") == ["a", "/b", "//\n", " c"])
        #expect(split("1234567") == ["123", "456", "7"])
        #expect(split("end  \n ") == ["end", "  \n", " "])       // no \s++$ alternative in o200k
        #expect(split("\u{301}abc") == ["\u{301}abc"])           // a mark is a letter here
    }

    @Test func tiktokenFilesAreRecognizedByHash() throws {
        let path = try #require(BPEVocabulary.gpt2RanksPath)
        let gpt2 = try BPEVocabulary.load(path)
        #expect(gpt2.name == "gpt2" && gpt2.pattern == .gpt2 && gpt2.endOfText == 50256)
        let cl100k = try BPEVocabulary.load(path, pattern: .cl100k)
        #expect(cl100k.pattern == .cl100k && cl100k.endOfText == 50256)
        #expect(TiktokenEncoding.known.values.map(\.name).sorted() == ["cl100k_base", "gpt2", "o200k_base", "p50k_base"])
        #expect(PreTokenizerPattern(regex: PreTokenizerPattern.cl100k.huggingFaceRegex) == .cl100k)
        #expect(PreTokenizerPattern(regex: PreTokenizerPattern.o200k.regex) == .o200k)
    }

    @Test("Training with another pattern writes a tokenizer.json that reads back the same", arguments: [
        PreTokenizerPattern.cl100k, .o200k,
    ])
    func trainedWithPattern(pattern: PreTokenizerPattern) throws {
        let text = BPETrainerTests.sampleText(seed: 3, words: 4000) + Array(" HTMLParser iPhone 1234567\r\n".utf8)
        var trainer = try BPETrainer(options: .init(vocabularySize: 400, pattern: pattern))
        trainer.add(text)
        let (vocabulary, _) = try trainer.train()
        #expect(vocabulary.pattern == pattern)
        let json = try TokenizerJSONTests.load(vocabulary.tokenizerJSONText)
        #expect(json.pattern == pattern)
        var a = BPEEncoder(vocabulary: vocabulary), b = BPEEncoder(vocabulary: json)
        #expect(a.encodeOrdinary(text) == b.encodeOrdinary(text))
    }
}
