import GristCore
import GristFilter
import Testing

@Suite struct LengthFilterTests {
    private func verdict(_ text: String, _ options: LengthFilter.Options) -> Verdict {
        var document = Document(id: "d", text: Array(text.utf8), ordinal: 0, line: 1, byteOffset: 0)
        return LengthFilter(options: options).apply(to: &document)
    }

    @Test func countsScalarsAndWords() {
        #expect(LengthFilter.count(Array("héllo  wörld\n\tok".utf8)) == (chars: 16, words: 3))
        #expect(LengthFilter.count([]) == (chars: 0, words: 0))
        #expect(LengthFilter.count(Array("東京 🙂".utf8)) == (chars: 4, words: 2))
    }

    @Test func dropsShortAndLongDocumentsWithReasons() {
        #expect(verdict("one two", .init().with { $0.minWords = 3 }) == .drop(reason: "too_short"))
        #expect(verdict("one two three", .init().with { $0.minWords = 3 }) == .keep)
        #expect(verdict("abcdef", .init().with { $0.maxChars = 5 }) == .drop(reason: "too_long"))
        #expect(verdict("a b c", .init().with { $0.maxWords = 2 }) == .drop(reason: "too_long"))
        #expect(verdict("abc", .init().with { $0.minChars = 4 }) == .drop(reason: "too_short"))
    }

    @Test func registryBuildsFromConfigAndRejectsUnknownKinds() throws {
        let filter = try FilterRegistry.make(DeferredConfig(kind: "length", yaml: "{min_words: 2}"))
        #expect(filter.name == "length")
        #expect(throws: ConfigError.self) { try FilterRegistry.make(DeferredConfig(kind: "nope")) }
        #expect(throws: ConfigError.self) { try FilterRegistry.make(DeferredConfig(kind: "length", yaml: "{min_word: 2}")) }
        #expect(throws: ConfigError.self) {
            try FilterRegistry.make(DeferredConfig(kind: "length", yaml: "{min_chars: 100, max_chars: 10}"))
        }
        // `rejects` belongs to the pipeline, not to the filter's options, and must be true or false.
        #expect(try DeferredConfig(kind: "length", yaml: "{min_words: 2, rejects: true}").rejects)
        #expect(try FilterRegistry.make(DeferredConfig(kind: "length", yaml: "{min_words: 2, rejects: true}")).name == "length")
        #expect(throws: ConfigError.self) { try DeferredConfig(kind: "length", yaml: "{rejects: sometimes}") }
    }
}
