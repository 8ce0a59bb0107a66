import Foundation
import Testing
@testable import GristTokenize

/// Exactness against tiktoken: every `NAME.txt` in `Fixtures/gpt2` must encode to `NAME.tokens`
/// (made by tiktoken's `encode_ordinary`) and decode back byte-exact; `NAME.special.tokens`, when
/// present, is `encode(text, allowed_special="all")`.
///
/// Set `GRIST_TOKENIZE_EXTRA_FIXTURES` to another folder of the same layout to check more text.
@Suite("GPT-2 golden fixtures")
struct GoldenFixtureTests {
    static func fixtureNames(in directory: URL) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }.sorted()
    }

    static let names = fixtureNames(in: TestSupport.fixtureDirectory)

    @Test("The fixture folder exists and has samples")
    func fixturesPresent() throws {
        let directory = TestSupport.fixtureDirectory
        #expect(FileManager.default.fileExists(atPath: directory.path),
                "missing golden fixture folder \(directory.path)")
        try #require(!Self.names.isEmpty, "no NAME.txt fixtures in \(directory.path)")
        for name in Self.names {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(name).tokens").path),
                    "\(name).txt has no \(name).tokens")
        }
    }

    @Test("encodeOrdinary and decode match tiktoken", arguments: names)
    func ordinary(name: String) throws {
        try Self.check(name: name, in: TestSupport.fixtureDirectory)
    }

    @Test("Extra fixtures from GRIST_TOKENIZE_EXTRA_FIXTURES",
          .enabled(if: ProcessInfo.processInfo.environment["GRIST_TOKENIZE_EXTRA_FIXTURES"] != nil))
    func extraFixtures() throws {
        let path = try #require(ProcessInfo.processInfo.environment["GRIST_TOKENIZE_EXTRA_FIXTURES"])
        let directory = URL(fileURLWithPath: path, isDirectory: true)
        let names = Self.fixtureNames(in: directory)
        try #require(!names.isEmpty, "no NAME.txt files in \(path)")
        for name in names { try Self.check(name: name, in: directory) }
    }

    static func check(name: String, in directory: URL) throws {
        let vocabulary = try TestSupport.gpt2()
        var encoder = BPEEncoder(vocabulary: vocabulary)
        let text = [UInt8](try Data(contentsOf: directory.appendingPathComponent("\(name).txt")))
        let expected = try TestSupport.readUInt16Tokens(directory.appendingPathComponent("\(name).tokens"))

        let actual = encoder.encodeOrdinary(text)
        expectSame(actual, expected, text: text, vocabulary: vocabulary, label: "\(name) encodeOrdinary")
        // The merge cache must not change a token: twice more, warm cache and no cache.
        expectSame(encoder.encodeOrdinary(text), expected, text: text, vocabulary: vocabulary, label: "\(name) warm cache")
        var uncached = BPEEncoder(vocabulary: vocabulary, cache: false)
        expectSame(uncached.encodeOrdinary(text), expected, text: text, vocabulary: vocabulary, label: "\(name) no cache")
        let decoded = vocabulary.decode(actual)
        #expect(decoded == text, "\(name): decode(encodeOrdinary(text)) differs from the text")

        // The same ranks under tiktoken's cl100k_base and o200k_base patterns.
        for pattern in [PreTokenizerPattern.cl100k, .o200k] {
            let url = directory.appendingPathComponent("\(name).\(pattern.rawValue).tokens")
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let patterned = try TestSupport.gpt2Ranks(pattern: pattern)
            var patternEncoder = BPEEncoder(vocabulary: patterned)
            let tokens = patternEncoder.encodeOrdinary(text)
            expectSame(tokens, try TestSupport.readUInt16Tokens(url), text: text, vocabulary: patterned,
                       label: "\(name) with the \(pattern.rawValue) pattern")
            #expect(patterned.decode(tokens) == text)
        }

        let specialURL = directory.appendingPathComponent("\(name).special.tokens")
        if FileManager.default.fileExists(atPath: specialURL.path) {
            let expectedSpecial = try TestSupport.readUInt16Tokens(specialURL)
            let actualSpecial = try encoder.encode(text, allowedSpecial: .all)
            expectSame(actualSpecial, expectedSpecial, text: text, vocabulary: vocabulary,
                       label: "\(name) encode(allowedSpecial: .all)")
            #expect(vocabulary.decode(actualSpecial) == text, "\(name): special round trip differs")
        }
    }

    /// Records one issue at the first differing token, with the surrounding tokens and text.
    static func expectSame(_ actual: [UInt32], _ expected: [UInt32], text: [UInt8], vocabulary: BPEVocabulary,
                           label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard actual != expected else { return }
        let common = zip(actual, expected).prefix { $0 == $1 }.count
        let byteOffset = vocabulary.decode(expected.prefix(common)).count
        let lower = max(0, common - 4)
        let context = text[max(0, byteOffset - 40)..<min(text.count, byteOffset + 40)]
        Issue.record("""
            \(label): first mismatch at token \(common) (byte \(byteOffset)); \
            \(actual.count) tokens vs \(expected.count) expected
              expected[\(lower)...]: \(Array(expected[lower..<min(expected.count, common + 6)])) \
            \(TestSupport.pieces(expected[lower..<min(expected.count, common + 6)], vocabulary))
              actual[\(lower)...]:   \(Array(actual[lower..<min(actual.count, common + 6)])) \
            \(TestSupport.pieces(actual[lower..<min(actual.count, common + 6)], vocabulary))
              text around byte \(byteOffset): \(String(decoding: context, as: UTF8.self).debugDescription)
            """, sourceLocation: sourceLocation)
    }
}
