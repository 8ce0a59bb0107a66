import GristCore
import Testing
@testable import GristTokenize

/// Loading ranks files: the tiny vocabulary works, malformed files fail with their line number.
@Suite("Tiktoken ranks file")
struct TiktokenFileTests {
    static func loadError(_ text: String, specialTokens: [String: UInt32] = [:]) throws -> GristError {
        try #require(throws: GristError.self) {
            try TestSupport.vocabulary(fromRanksText: text, specialTokens: specialTokens)
        }
    }

    @Test("A tiny vocabulary merges by rank")
    func tiny() throws {
        let vocabulary = try TestSupport.vocabulary(fromRanksText: TestSupport.tinyRanksFile())
        #expect(vocabulary.count == 259)
        #expect(vocabulary.endOfText == nil)
        var encoder = BPEEncoder(vocabulary: vocabulary)
        // "ab" (256) merges before "bc" (258); then "abc" (257).
        #expect(encoder.encodeOrdinary(TestSupport.bytes("abc")) == [257])
        #expect(encoder.encodeOrdinary(TestSupport.bytes("abcab bc")) == [257, 256, 32, 258])
    }

    @Test("CRLF line ends and blank lines are accepted")
    func lenient() throws {
        let text = TestSupport.tinyRanksFile().replacingOccurrences(of: "\n", with: "\r\n") + "\r\n\n"
        let vocabulary = try TestSupport.vocabulary(fromRanksText: text)
        #expect(vocabulary.count == 259)
    }

    @Test("Malformed lines name their line number", arguments: [
        ("!!!! 256", "invalid base64"),
        ("YWJ 256", "invalid base64"),
        ("YW=j 256", "invalid base64"),
        ("YWJj", "missing rank"),
        ("YWJj x1", "invalid rank"),
        ("YWJj -1", "invalid rank"),
        ("YWJj 4294967295", "invalid rank"),
        ("YWJj 4000000000", "rank 4000000000 is far above"),
        ("YWJj 1 2", "expected 2 fields"),
        ("YWJj 3", "duplicate rank 3 (first on line 4)"),
        ("YQ== 256", "duplicate token bytes (first on line 98)"),
    ])
    func malformed(line: String, message: String) throws {
        let text = TestSupport.tinyRanksFile(merges: []) + line + "\n"
        let error = try Self.loadError(text)
        #expect(error.kind == .badFormat)
        #expect(error.position?.line == 257)
        #expect(error.position?.path == "test.tiktoken")
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.description.contains("test.tiktoken:257"))
    }

    @Test("Empty files and files without all 256 bytes are rejected")
    func incomplete() throws {
        #expect(try Self.loadError("").kind == .badFormat)
        #expect(try Self.loadError("\n\n").message.contains("no tokens"))
        let missing = TestSupport.tinyRanksFile(merges: []).split(separator: "\n").dropFirst().joined(separator: "\n")
        let error = try Self.loadError(missing)
        #expect(error.kind == .badFormat)
        #expect(error.message.contains("single byte 0"))
    }

    @Test("Special token ids must not collide")
    func specialCollisions() throws {
        #expect(try Self.loadError(TestSupport.tinyRanksFile(), specialTokens: ["<x>": 256]).kind == .badFormat)
        #expect(try Self.loadError(TestSupport.tinyRanksFile(), specialTokens: ["<x>": 300, "<y>": 300]).kind == .badFormat)
    }

    @Test("Base64 decoding")
    func base64() {
        func decode(_ text: String) -> [UInt8]? {
            var out: [UInt8] = []
            return Base64.decode(Array(text.utf8), into: &out) ? out : nil
        }
        #expect(decode("IQ==") == [0x21])
        #expect(decode("YWI=") == Array("ab".utf8))
        #expect(decode("YWJj") == Array("abc".utf8))
        #expect(decode("IHdvcmxk") == Array(" world".utf8))
        #expect(decode("////") == [0xFF, 0xFF, 0xFF])
        #expect(decode("") == nil)
        #expect(decode("====") == nil)
        #expect(decode("A===") == nil)
        #expect(decode("YW=j") == nil)
        #expect(decode("YWJj\u{0}") == nil)
    }

    @Test("The bundled GPT-2 file loads from its path with the same hash")
    func fromPath() throws {
        let path = try #require(BPEVocabulary.gpt2RanksPath)
        let vocabulary = try BPEVocabulary(tiktokenFile: path)
        #expect(vocabulary.count == 50257)
        #expect(vocabulary.fileSHA256 == (try TestSupport.gpt2()).fileSHA256)
        let missing = try #require(throws: GristError.self) {
            try BPEVocabulary(tiktokenFile: "/nonexistent/gpt2.tiktoken")
        }
        #expect(missing.kind == .io)
    }
}
