import GristCore
@testable import GristFilter
import Testing

/// Filters on hand-made documents: reasons, options, and input that must not crash.
@Suite struct FilterBehaviourTests {
    static func verdict(_ kind: String, _ yaml: String = "{}", _ text: String) throws -> (Verdict, Document) {
        let rule = try FilterRegistry.make(DeferredConfig(kind: kind, yaml: yaml))
        var document = Document(id: "d", text: Array(text.utf8), ordinal: 0, line: 1, byteOffset: 0)
        return (rule.apply(to: &document), document)
    }

    static let prose = String(repeating: "The cat sat on the mat and that was the end of it. ", count: 12)

    @Test func wordsAreSpacysTokens() {
        #expect(Words.words(of: "Don't stop, Mr. Smith! Visit https://example.com/a?b=c now.")
            == ["Do", "n't", "stop", ",", "Mr.", "Smith", "!", "Visit", "https://example.com/a?b=c", "now", "."])
        #expect(Words.sentenceCount(of: "One. Two! Three? four") == 4)
        #expect(Words.sentenceCount(of: "") == 1)
    }

    @Test func gopherQualityReasonsAndOptions() throws {
        #expect(try Self.verdict("gopher_quality", "{}", "too short").0 == .drop(reason: "short_doc"))
        #expect(try Self.verdict("gopher_quality", "{min_doc_words: 2, min_stop_words: null}", "hello world").0 == .keep)
        #expect(try Self.verdict("gopher_quality", "{min_doc_words: 2}", "hello world").0 == .drop(reason: "enough_stop_words"))
        let hashes = String(repeating: "#tag word ", count: 30) + "the and"
        #expect(try Self.verdict("gopher_quality", "{min_doc_words: 5}", hashes).0 == .drop(reason: "too_many_hashes"))
        #expect(throws: ConfigError.self) { try Self.verdict("gopher_quality", "{min_doc_word: 5}", "x") }
    }

    @Test func repetitionAndFinewebReasons() throws {
        let repeated = String(repeating: "same line here\n", count: 10)
        #expect(try Self.verdict("gopher_repetition", "{}", repeated).0 == .drop(reason: "dup_para_char_frac")
            || (try Self.verdict("gopher_repetition", "{}", repeated).0) == .drop(reason: "dup_line_frac"))
        #expect(try Self.verdict("gopher_repetition", "{}", "").0 == .drop(reason: "empty"))
        #expect(try Self.verdict("gopher_repetition", "{top_n_grams: [[2, 0.9]], dup_n_grams: []}", Self.prose).0
            != .drop(reason: "top_2_gram"))
        // datatrove joins an n-gram's words without spaces: "ab c" repeats as "a bc".
        let joined = "{top_n_grams: [], dup_n_grams: [[2, 0.1]]}"
        #expect(try Self.verdict("gopher_repetition", joined, "ab c a bc").0 == .drop(reason: "duplicated_2_n_grams"))
        #expect(try Self.verdict("gopher_repetition", joined, "ab c a bd").0 == .keep)
        #expect(try Self.verdict("fineweb_quality", "{}", "\n \n").0 == .drop(reason: "empty"))
        #expect(try Self.verdict("fineweb_quality", "{}", "no punctuation here at all\nnor here either my friend").0
            == .drop(reason: "line_punct_ratio"))
    }

    @Test func c4RemovesLinesAndRewritesTheDocument() throws {
        let text = """
            Menu
            This line has enough words and ends well.
            Please enable javascript to see this page properly.
            Another fine sentence is here. And one more sentence.
            We use cookies, see our privacy policy for details.
            Third good line has words [1]. Fourth sentence here.
            """
        let (verdict, document) = try Self.verdict("c4", "{min_num_sentences: 3}", text)
        #expect(verdict == .keep)
        #expect(String(decoding: document.text, as: UTF8.self) == """
            This line has enough words and ends well.
            Another fine sentence is here. And one more sentence.
            Third good line has words . Fourth sentence here.
            """)
        #expect(try Self.verdict("c4", "{min_num_sentences: 6}", text).0 == .drop(reason: "too_few_sentences"))
        #expect(try Self.verdict("c4", "{}", "Lorem ipsum dolor sit amet.").0 == .drop(reason: "lorem_ipsum"))
        #expect(try Self.verdict("c4", "{}", "function f() { return 1; } is code.").0 == .drop(reason: "curly_bracket"))
    }

    @Test func regexAndURLFilters() throws {
        #expect(try Self.verdict("regex", "{pattern: 'buy now'}", "Please buy now!").0 == .drop(reason: "match"))
        #expect(try Self.verdict("regex", "{pattern: 'buy now', action: keep}", "nothing").0 == .drop(reason: "no_match"))
        #expect(throws: ConfigError.self) { try Self.verdict("regex", "{pattern: '(unclosed'}", "x") }
        #expect(URLBlocklistFilter.host(of: "https://user@Sub.Example.com:8080/path?q") == "sub.example.com")
        #expect(throws: ConfigError.self) { try Self.verdict("url_blocklist", "{domains_file: /no/such/file}", "x") }
    }

    /// Empty, binary, one huge line, unlisted scripts: a decision and a reason, no crash.
    @Test(arguments: ["gopher_quality", "gopher_repetition", "c4", "fineweb_quality", "language"])
    func badInputGetsADecision(kind: String) throws {
        let rule = try FilterRegistry.make(DeferredConfig(kind: kind))
        var garbage: [UInt8] = []
        var state: UInt64 = 42
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            garbage.append(UInt8(truncatingIfNeeded: state >> 56))
        }
        let valid = Array(String(decoding: garbage, as: UTF8.self).utf8)
        let inputs: [[UInt8]] = [
            [], Array(" \n\t ".utf8), valid, Array(String(repeating: "word, ", count: 400_000).utf8),
            Array(String(repeating: "ᚠᛇᚻ᛫ᛒᛦᚦ ", count: 2000).utf8), Array(String(repeating: "@.@.", count: 50_000).utf8),
        ]
        for input in inputs {
            var document = Document(id: "d", text: input, ordinal: 0, line: 1, byteOffset: 0)
            switch rule.apply(to: &document) {
            case .keep: break
            case .drop(let reason): #expect(!reason.isEmpty)
            }
        }
    }
}
