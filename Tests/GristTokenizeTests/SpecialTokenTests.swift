import GristCore
import Testing
@testable import GristTokenize

/// tiktoken's `encode(text, allowed_special=…, disallowed_special=…)` semantics.
@Suite("Special tokens")
struct SpecialTokenTests {
    static let text = TestSupport.bytes("hello<|endoftext|>world")

    @Test("Allowed special tokens become their id")
    func allowed() throws {
        var encoder = try TestSupport.encoder()
        #expect(try encoder.encode(Self.text, allowedSpecial: .all) == [31373, 50256, 6894])
        #expect(try encoder.encode(Self.text, allowedSpecial: .named(["<|endoftext|>"])) == [31373, 50256, 6894])
        #expect(try encoder.encode(TestSupport.bytes("<|endoftext|><|endoftext|> x<|endoftext|>"),
                                   allowedSpecial: .all) == [50256, 50256, 2124, 50256])
        // Text without special tokens encodes as with encodeOrdinary.
        #expect(try encoder.encode(TestSupport.bytes("Hello world")) == [15496, 995])
    }

    @Test("A disallowed special token throws a usage error naming it and its byte offset")
    func disallowed() throws {
        var encoder = try TestSupport.encoder()
        let error = try #require(throws: GristError.self) { try encoder.encode(TestSupport.bytes("ab <|endoftext|>")) }
        #expect(error.kind == .usage)
        #expect(error.message.contains("<|endoftext|>"))
        #expect(error.message.contains("byte offset 3"))
        // Explicitly disallowed, and allowed-but-also-disallowed (tiktoken checks the disallowed set first).
        #expect(throws: GristError.self) {
            try encoder.encode(Self.text, disallowedSpecial: .named(["<|endoftext|>"]))
        }
        #expect(throws: GristError.self) {
            try encoder.encode(Self.text, allowedSpecial: .all, disallowedSpecial: .named(["<|endoftext|>"]))
        }
    }

    @Test("Neither allowed nor disallowed: encoded as ordinary text")
    func ordinary() throws {
        var encoder = try TestSupport.encoder()
        let tokens = try encoder.encode(TestSupport.bytes("ab <|endoftext|>"), disallowedSpecial: .none)
        #expect(tokens == [397, 1279, 91, 437, 1659, 5239, 91, 29])
        #expect(tokens == encoder.encodeOrdinary(TestSupport.bytes("ab <|endoftext|>")))
        // A partial special token is just text.
        #expect(try encoder.encode(TestSupport.bytes("<|endoftext|")) ==
                encoder.encodeOrdinary(TestSupport.bytes("<|endoftext|")))
    }

    @Test("Several special tokens: leftmost first, longest on a shared start")
    func several() throws {
        let vocabulary = try TestSupport.vocabulary(
            fromRanksText: TestSupport.tinyRanksFile(),
            specialTokens: ["<s>": 300, "<s><s>": 301, "</s>": 302])
        #expect(vocabulary.count == 303)
        var encoder = BPEEncoder(vocabulary: vocabulary)
        let text = TestSupport.bytes("x<s><s><s>y</s>")
        #expect(try encoder.encode(text, allowedSpecial: .all) == [120, 301, 300, 121, 302])
        // "<s><s>" is disallowed by default when not allowed; with no check it is not matched.
        #expect(throws: GristError.self) { try encoder.encode(text, allowedSpecial: .named(["<s>", "</s>"])) }
        #expect(try encoder.encode(text, allowedSpecial: .named(["<s>", "</s>"]), disallowedSpecial: .none)
                == [120, 300, 300, 300, 121, 302])
        let error = try #require(throws: GristError.self) {
            try encoder.encode(text, allowedSpecial: .named(["<s>", "<s><s>"]))
        }
        #expect(error.message.contains("</s>") && error.message.contains("byte offset 11"))
        #expect(vocabulary.decode([120, 301, 300, 121, 302]) == text)
    }
}
