import Foundation
import Testing
@testable import GristTokenize

@Suite("PreTokenizer")
struct PreTokenizerTests {
    static func split(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return PreTokenizer.pieces(of: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test("Contractions are ASCII, lowercase, and only at a piece start")
    func contractions() {
        #expect(Self.split("I'm you're he'll we've she'd it's") ==
                ["I", "'m", " you", "'re", " he", "'ll", " we", "'ve", " she", "'d", " it", "'s"])
        #expect(Self.split("I'M") == ["I", "'", "M"])
        #expect(Self.split("''s") == ["''", "s"])
        #expect(Self.split(" 's") == [" '", "s"])
        #expect(Self.split("don’t") == ["don", "’", "t"])
        #expect(Self.split("'") == ["'"])
        #expect(Self.split("'l") == ["'", "l"])
    }

    @Test("Whitespace runs: the last character goes to the next piece only before non-space")
    func whitespace() {
        #expect(Self.split("a  b") == ["a", " ", " b"])
        #expect(Self.split("a \n b") == ["a", " \n", " b"])
        #expect(Self.split("a\n\nb") == ["a", "\n", "\n", "b"])
        #expect(Self.split("x   ") == ["x", "   "])
        #expect(Self.split("\t b") == ["\t", " b"])
        #expect(Self.split("a\u{00A0}b") == ["a", "\u{00A0}", "b"])  // only U+0020 joins a word
        #expect(Self.split("  \u{3000}x") == ["  ", "\u{3000}", "x"])
        #expect(Self.split(" ") == [" "])
    }

    @Test("Letters, numbers and other characters form separate runs")
    func classes() {
        #expect(Self.split("abc123def") == ["abc", "123", "def"])
        #expect(Self.split(" 42 ?! x") == [" 42", " ?!", " x"])
        #expect(Self.split("日本語です。") == ["日本語です", "。"])
        #expect(Self.split("e\u{0301}") == ["e", "\u{0301}"])
        #expect(Self.split("Ⅻ½") == ["Ⅻ½"])
        #expect(Self.split("a😀😀b") == ["a", "😀😀", "b"])
    }

    @Test("Characters newer than Unicode 16 count as unassigned, like tiktoken")
    func unicodeVersion() {
        #expect(Self.split("\u{1E5D0}'s") == ["\u{1E5D0}", "'s"])   // Unicode 16.0 letter
        #expect(Self.split("\u{333C5}'s") == ["\u{333C5}'", "s"])   // Unicode 17.0 letter
    }

    @Test("Invalid UTF-8 bytes are one-byte 'other' characters")
    func invalidUTF8() {
        let bytes: [UInt8] = [0x61, 0xFF, 0xC3, 0x28, 0x20, 0xE2, 0x82, 0x62, 0xED, 0xA0, 0x80]
        let pieces = PreTokenizer.pieces(of: bytes).map { Array(bytes[$0]) }
        #expect(pieces == [[0x61], [0xFF, 0xC3, 0x28], [0x20, 0xE2, 0x82], [0x62], [0xED, 0xA0, 0x80]])
    }

    /// NSRegularExpression (ICU) as an independent oracle; `\s` is spelled `\p{White_Space}`
    /// because ICU's `\s` is narrower than Rust's.
    @Test("Matches the regex oracle on mixed text")
    func regexOracle() throws {
        let pattern = #"'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+"#
        let regex = try NSRegularExpression(pattern: pattern)
        var samples = [
            "Hello world! I'm here,  you're there;\n\n  he'll go.\t\tTabs \u{00A0}nbsp \u{3000}x  \n",
            "Digits 1234 ١٢٣ ½ Ⅻ 3.14, emoji 😀👍🏽 👨\u{200D}👩\u{200D}👧 🇫🇷, CJK 你好，世界。カタカナ",
            "Marks: cafe\u{0301} नमस्ते ภาษาไทย العربية ''s 's x'sy I'M <|endoftext|>   ",
            "\u{2028}\u{2029}\u{0085}\u{000B}\u{000C}\r\n \r\n\t end",
        ]
        let fixture = TestSupport.fixtureDirectory.appendingPathComponent("edge-cases.txt")
        if let data = try? Data(contentsOf: fixture) { samples.append(String(decoding: data, as: UTF8.self)) }
        for text in samples {
            let ns = text as NSString
            let expected = regex.matches(in: text, range: NSRange(location: 0, length: ns.length))
                .map { ns.substring(with: $0.range) }
            #expect(Self.split(text) == expected)
        }
    }
}
