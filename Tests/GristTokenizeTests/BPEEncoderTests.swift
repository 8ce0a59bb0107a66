import GristCore
import Testing
@testable import GristTokenize

/// Known GPT-2 ids (from tiktoken 0.14 `encode_ordinary`) for the pattern's corner cases.
@Suite("BPEEncoder")
struct BPEEncoderTests {
    static let known: [(String, [UInt32])] = [
        ("Hello world", [15496, 995]),
        (" hello", [23748]),
        ("I'm you're he'll we've she'd it's", [40, 1101, 345, 821, 339, 1183, 356, 1053, 673, 1549, 340, 338]),
        // Contractions are case-sensitive: 'M and 'RE are not contractions.
        ("I'M YOU'RE", [40, 6, 44, 7013, 6, 2200]),
        ("''s 's x'sy", [7061, 82, 705, 82, 2124, 338, 88]),
        // Whitespace runs give back their last character to the next word.
        ("a  b", [64, 220, 275]),
        ("a   b", [64, 220, 220, 275]),
        ("a\n\nb", [64, 198, 198, 65]),
        ("a \n b", [64, 220, 198, 275]),
        ("x  ", [87, 220, 220]),
        ("   ", [220, 220, 220]),
        ("\t\tb", [197, 197, 65]),
        ("a\u{00A0}\u{00A0}b", [64, 1849, 1849, 65]),
        ("\u{2028}\u{0085}x", [447, 101, 126, 227, 87]),
        ("a\u{000B}b", [64, 199, 65]),
        ("\u{3000}\u{3000}a", [5099, 222, 5099, 222, 64]),
        // Digits, non-ASCII numbers.
        ("12345 67 1.5", [10163, 2231, 8275, 352, 13, 20]),
        ("١٢٣ ½", [149, 94, 149, 95, 149, 96, 25208]),
        // Emoji (symbols, ZWJ sequences), CJK, combining marks (category Mn counts as "other").
        ("😀 👍🏽", [47249, 222, 50169, 235, 8582, 237, 121]),
        ("👨\u{200D}👩\u{200D}👧", [41840, 101, 447, 235, 41840, 102, 447, 235, 41840, 100]),
        ("日本語", [33768, 98, 17312, 105, 45739, 252]),
        ("e\u{0301}t\u{00E9}", [68, 136, 223, 83, 2634]),
        // encode_ordinary treats special-token text as ordinary text.
        ("hello<|endoftext|>world", [31373, 27, 91, 437, 1659, 5239, 91, 29, 6894]),
    ]

    @Test("Known ids", arguments: 0..<known.count)
    func knownIDs(index: Int) throws {
        let (text, expected) = Self.known[index]
        var encoder = try TestSupport.encoder()
        #expect(encoder.encodeOrdinary(TestSupport.bytes(text)) == expected, "\(text.debugDescription)")
    }

    @Test("Empty input gives no tokens")
    func empty() throws {
        var encoder = try TestSupport.encoder()
        #expect(encoder.encodeOrdinary([]).isEmpty)
        #expect(try encoder.encode([], allowedSpecial: .all).isEmpty)
        var tokens: [UInt32] = [7]
        encoder.encodeOrdinary(UnsafeRawBufferPointer(start: nil, count: 0), into: &tokens)
        #expect(tokens == [7])
    }

    @Test("encodeOrdinary(into:) appends")
    func appends() throws {
        var encoder = try TestSupport.encoder()
        var tokens: [UInt32] = [50256]
        TestSupport.bytes("Hello world").withUnsafeBytes { encoder.encodeOrdinary($0, into: &tokens) }
        #expect(tokens == [50256, 15496, 995])
    }

    @Test("Decode gives back the exact bytes, including long runs and invalid UTF-8")
    func roundTrip() throws {
        let vocabulary = try TestSupport.gpt2()
        var encoder = BPEEncoder(vocabulary: vocabulary)
        let samples: [[UInt8]] = [
            TestSupport.bytes("The quick brown fox's 123 jumps\n\n\tover  the lazy dog. 🦊🐶 日本語 한국어 ภาษาไทย"),
            TestSupport.bytes(String(repeating: "a", count: 700) + String(repeating: " ", count: 300) + "b"),
            TestSupport.bytes(String(repeating: "漢字かな", count: 200)),
            [0xFF, 0xFE, 0x41, 0xC3, 0x28, 0xE2, 0x82, 0x20, 0xF0, 0x9F, 0x98, 0x80, 0xED, 0xA0, 0x80, 0xC0, 0xAF],
            Array(0...255),
        ]
        for sample in samples {
            let tokens = encoder.encodeOrdinary(sample)
            #expect(vocabulary.decode(tokens) == sample)
            #expect(tokens.allSatisfy { $0 < 50256 })
        }
    }

    @Test("Vocabulary facts: size, end of text, token bytes, file hash")
    func vocabularyFacts() throws {
        let vocabulary = try TestSupport.gpt2()
        #expect(vocabulary.name == "gpt2")
        #expect(vocabulary.count == 50257)
        #expect(vocabulary.endOfText == 50256)
        #expect(vocabulary.tokenBytes(50256) == TestSupport.bytes("<|endoftext|>"))
        #expect(vocabulary.tokenBytes(15496) == TestSupport.bytes("Hello"))
        #expect(vocabulary.tokenBytes(50257) == nil)
        #expect(vocabulary.id(of: TestSupport.bytes(" world")) == 995)
        #expect(vocabulary.id(of: []) == nil)
        #expect(vocabulary.fileSHA256 == BPEVocabulary.gpt2RanksSHA256)
        #expect(vocabulary.decode([15496, 999_999, 995]) == TestSupport.bytes("Hello world"))
        #expect(throws: GristError.self) { try vocabulary.decodeChecked([15496, 999_999]) }
        #expect(try vocabulary.decodeChecked([15496, 50256]) == TestSupport.bytes("Hello<|endoftext|>"))
    }

    @Test("Every ordinary token encodes to itself")
    func everyTokenRoundTrips() throws {
        // A token's own bytes, pre-tokenized as a single piece, must merge back into that token.
        let vocabulary = try TestSupport.gpt2()
        var encoder = BPEEncoder(vocabulary: vocabulary)
        var checked = 0
        for token in UInt32(0)..<50256 {
            let bytes = try #require(vocabulary.tokenBytes(token))
            guard PreTokenizer.pieces(of: bytes).count == 1, String(validating: bytes, as: UTF8.self) != nil
            else { continue }
            #expect(encoder.encodeOrdinary(bytes) == [token], "token \(token) \(bytes)")
            checked += 1
        }
        #expect(checked > 40_000)
    }
}
